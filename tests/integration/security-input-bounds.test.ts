// Issue 9, finding 7: inputs that pass validation must never reach the database as something it
// refuses (a 500). Dates are bounded to what PostgreSQL stores (storable-date.ts), decoded cursors
// are validated like any input, strings have maximums that fit their columns and indexes, and
// whatever still slips through is mapped to BAD_REQUEST (bad-request.ts databaseInputError).
import { describe, expect, it } from 'vitest'
import { TRPCError } from '@trpc/server'
import { z } from 'zod'
import { useHarness } from '../support/harness'
import { publishCustomerFields } from '../support/config-changes'
import { useHttpApp } from '../support/http-app'
import { databaseInputError } from '../../server/trpc/bad-request'
import { asProcedureError } from '../../server/http/procedure-error'
import { silentLogger } from '../../server/logger'
import { DEMO_PASSWORD } from '../../server/seed/demo'

const h = useHarness()
const app = useHttpApp(h)

/** Awaits `promise` and expects BAD_REQUEST (not a 500) with at least one issue path. */
async function expectBadRequestWithPath(promise: Promise<unknown>): Promise<string[]> {
  const err = await promise.then(
    () => null,
    (e: unknown) => e,
  )
  expect(err, 'expected BAD_REQUEST, got success').toBeInstanceOf(TRPCError)
  expect((err as TRPCError).code, String((err as Error).message)).toBe('BAD_REQUEST')
  const cause = (err as TRPCError).cause
  expect(cause).toBeInstanceOf(z.ZodError)
  const paths = (cause as z.ZodError).issues.map((i) => i.path.join('.'))
  expect(
    paths.some((p) => p.length > 0),
    `issue paths: ${JSON.stringify(paths)}`,
  ).toBe(true)
  return paths
}

// Year 0, the smallest JavaScript date, and a datetime that is year 10000 in UTC.
const BAD_DATES = ['0000-01-01', '-271821-04-20', '9999-12-31T23:59:59-14:00']
const BAD_DATETIMES = ['0000-01-01T00:00:00Z', '-271821-04-20T00:00:00Z', '9999-12-31T23:59:59-14:00']

const cursorOf = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url')

describe('dates outside what PostgreSQL stores are BAD_REQUEST', () => {
  it('in a view filter (built-in timestamp, built-in date, custom date/datetime)', async () => {
    await publishCustomerFields(await h.asUser('admin@acme.test', 'acme'), [
      { name: 'since', label: 'Since', type: 'date' },
      { name: 'lastContact', label: 'Last contact', type: 'datetime' },
    ])
    const agent = await h.asUser('agent@acme.test', 'acme')
    for (const value of [...BAD_DATES, ...BAD_DATETIMES]) {
      await expectBadRequestWithPath(agent.customers.list({ filter: { field: 'createdAt', op: 'gte', value } }))
      await expectBadRequestWithPath(agent.deals.list({ filter: { field: 'closeDate', op: 'lte', value } }))
      await expectBadRequestWithPath(agent.customers.list({ filter: { field: 'since', op: 'eq', value } }))
      await expectBadRequestWithPath(agent.customers.list({ filter: { field: 'lastContact', op: 'gt', value } }))
    }
    // The bounds themselves are fine.
    await agent.customers.list({
      filter: {
        all: [
          { field: 'createdAt', op: 'gte', value: '0001-01-01T00:00:00Z' },
          { field: 'createdAt', op: 'lte', value: '9999-12-30' },
        ],
      },
    })
  })

  it('in record values: custom date and datetime fields, and a deal closeDate', async () => {
    const agent = await h.asUser('agent@acme.test', 'acme')
    const customer = await agent.customers.create({ values: { name: 'Bounded Dates Ltd' } })
    for (const value of BAD_DATES) {
      const paths = await expectBadRequestWithPath(agent.deals.create({ values: { name: 'D', customerId: customer.id, closeDate: value } }))
      expect(paths).toContain('values.closeDate')
      await expectBadRequestWithPath(agent.customers.create({ values: { name: 'X', data: { since: value } } }))
    }
    for (const value of BAD_DATETIMES) await expectBadRequestWithPath(agent.customers.create({ values: { name: 'X', data: { lastContact: value } } }))
    const ok = await agent.deals.create({ values: { name: 'Edge', customerId: customer.id, closeDate: '9999-12-30' } })
    expect(ok.closeDate).toBeTruthy()
  })

  it('in audit.list from/to', async () => {
    const admin = await h.asUser('admin@acme.test', 'acme')
    for (const value of BAD_DATES) {
      expect(await expectBadRequestWithPath(admin.audit.list({ from: value as never }))).toContain('from')
      expect(await expectBadRequestWithPath(admin.audit.list({ to: value as never }))).toContain('to')
    }
    await admin.audit.list({ from: new Date('0001-01-01T00:00:00Z'), to: new Date('9999-12-30T00:00:00Z') })
  })

  it('in a CSV export filter over HTTP (400, never 500)', async () => {
    const login = await fetch(`${app.baseUrl}/api/trpc/auth.login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ json: { email: 'agent@acme.test', password: DEMO_PASSWORD } }),
    })
    const cookie = login.headers
      .getSetCookie()
      .find((c) => c.startsWith('pulse8_session='))!
      .split(';')[0]!
    for (const value of BAD_DATES) {
      const filter = encodeURIComponent(JSON.stringify({ field: 'closeDate', op: 'gte', value }))
      const res = await fetch(`${app.baseUrl}/api/crm/deals/export.csv?filter=${filter}`, { headers: { cookie } })
      expect(res.status).toBe(400)
      const body = (await res.json()) as { error: { code: string; issues?: { path: unknown[] }[] } }
      expect(body.error.code).toBe('BAD_REQUEST')
      expect(body.error.issues?.[0]?.path).toEqual(['filter', 'value'])
    }
  })
})

describe('decoded list cursors are validated', () => {
  it('a NUL inside the decoded cursor is BAD_REQUEST at cursor', async () => {
    const agent = await h.asUser('agent@acme.test', 'acme')
    const cursor = cursorOf({ v: ['a\u0000b'], id: 'x', k: 'name:asc' })
    expect(await expectBadRequestWithPath(agent.customers.list({ sort: [{ field: 'name', direction: 'asc' }], cursor }))).toEqual(['cursor'])
    const nulId = cursorOf({ v: ['a'], id: 'x\u0000', k: 'name:asc' })
    await expectBadRequestWithPath(agent.customers.list({ sort: [{ field: 'name', direction: 'asc' }], cursor: nulId }))
  })

  it('an impossible or unstorable date inside the decoded cursor is BAD_REQUEST at cursor', async () => {
    const agent = await h.asUser('agent@acme.test', 'acme')
    for (const v of ['0000-01-01', '2023-02-30']) {
      const cursor = cursorOf({ v: [v], id: 'x', k: 'closeDate:asc' })
      await expectBadRequestWithPath(agent.deals.list({ sort: [{ field: 'closeDate', direction: 'asc' }], cursor }))
    }
    for (const v of ['0000-01-01 00:00:00', '2023-02-30 00:00:00']) {
      const cursor = cursorOf({ v: [v], id: 'x', k: 'createdAt:desc' })
      await expectBadRequestWithPath(agent.customers.list({ sort: [{ field: 'createdAt', direction: 'desc' }], cursor }))
    }
  })
})

describe('strings have maximums that fit their columns and indexes', () => {
  const longEmail = `${'a'.repeat(2_800)}@example.test`

  it('a 2,800-character email is BAD_REQUEST at email in login, register, members.add/invite and a customer', async () => {
    expect(await expectBadRequestWithPath(h.anonymous().auth.login({ email: longEmail, password: 'x' }))).toContain('email')
    expect(
      await expectBadRequestWithPath(h.anonymous().auth.register({ email: longEmail, password: 'long-enough-password', name: 'N', tenantName: 'Long Co' })),
    ).toContain('email')
    const admin = await h.asUser('admin@acme.test', 'acme')
    expect(
      await expectBadRequestWithPath(admin.members.add({ email: longEmail, role: 'AGENT', name: 'N', initialPassword: 'long-enough-password' })),
    ).toContain('email')
    expect(await expectBadRequestWithPath(admin.members.invite({ email: longEmail, role: 'AGENT' }))).toContain('email')
    const agent = await h.asUser('agent@acme.test', 'acme')
    expect(await expectBadRequestWithPath(agent.customers.create({ values: { name: 'Long Mail', email: longEmail } }))).toContain('values.email')
  })
})

describe('the last line of defence', () => {
  it('maps a real database refusal of input (22xxx) to BAD_REQUEST, for procedures and plain HTTP endpoints alike', async () => {
    const refusal = await h.services.db.$queryRaw`SELECT ${'0000-01-01'}::date`.then(
      () => null,
      (e: unknown) => e,
    )
    expect(refusal).not.toBeNull()
    const mapped = databaseInputError(refusal)
    expect(mapped?.code).toBe('BAD_REQUEST')
    expect(mapped?.message).not.toMatch(/0000|date\/time|SELECT/)
    expect(asProcedureError(refusal, silentLogger, 'test').code).toBe('BAD_REQUEST')
    // A database error that is not about the input stays an internal error.
    const other = await h.services.db.$queryRaw`SELECT * FROM "NoSuchTable"`.then(
      () => null,
      (e: unknown) => e,
    )
    expect(databaseInputError(other)).toBeNull()
  })
})
