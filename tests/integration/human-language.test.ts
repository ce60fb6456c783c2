// Issue 17, item 5 on the server: what reaches people speaks their words. The activity timeline
// names fields by their label in the live config, and the CSV export writes members' names
// (emails when two share a name), not internal ids, in user-type columns.
import { describe, expect, it } from 'vitest'
import { createDb, LOGGED_SQL_CHARS, withoutSlowQueryLog } from '../../server/db/client'
import { useHarness } from '../support/harness'
import { useHttpApp } from '../support/http-app'
import { createTestDatabase } from '../support/test-db'

const h = useHarness()
const http = useHttpApp(h)

describe('activity labels', () => {
  it('says "Updated Discount %" after the field was relabelled, never the API name', async () => {
    const admin = await h.asUser('admin@acme.test', 'acme')
    // Relabel the deal's discount field in a published config version.
    const address = { namespace: 'objects' as const, entity: 'deal', key: 'fields' }
    const current = await admin.config.get(address)
    const content = current.content as { fields: { name: string; label: string }[] }
    const fields = content.fields.map((f) => (f.name === 'discountPercent' ? { ...f, label: 'Discount %' } : f))
    await admin.config.saveDraft({ ...address, expectedRevision: current.draftRevision, content: { ...content, fields } })
    const { version } = await admin.config.list()
    await admin.config.publish({ expectedVersion: version, message: 'Discount label' })

    const agent = await h.asUser('agent@acme.test', 'acme')
    const c = await agent.customers.create({ values: { name: 'Label Check Ltd' } })
    const d = await agent.deals.create({ values: { name: 'Label deal', customerId: c.id, amount: 100 } })
    await agent.deals.update({ id: d.id, expectedVersion: 1, values: { stage: 'proposal', data: { discountPercent: 10 } } })
    const c360 = await agent.customer360.get({ id: c.id })
    const updated = c360.activity.find((a) => a.kind === 'updated')!
    expect(updated.summary).toMatch(/^Updated /)
    expect(updated.summary).toContain('Discount %')
    expect(updated.summary).toContain('Stage')
    expect(updated.summary).not.toMatch(/discountPercent|data\.|stage/)
    // Machines still get the field names.
    expect(Object.keys(updated.changes).sort()).toEqual(['data.discountPercent', 'stage'])
  })
})

describe('CSV export of user fields', () => {
  it('writes the owner’s name, or their email when two members share that name', async () => {
    const admin = await h.asUser('admin@acme.test', 'acme')
    const members = await admin.members.list()
    const idOf = (email: string) => members.find((m) => m.email === email)!.userId
    // A second "Aggie Agent" makes the name ambiguous: that owner is exported by email instead.
    await admin.members.add({ email: 'aggie.two@acme.test', role: 'AGENT', name: 'Aggie Agent', initialPassword: 'another-password' })
    const twin = await h.signIn('aggie.two@acme.test')
    const [invitation] = await twin.caller.invitations.list()
    await twin.caller.invitations.accept({ id: invitation!.id })
    const owned = [
      ['CSV owner Ada', idOf('admin@acme.test')],
      ['CSV owner Aggie', idOf('agent@acme.test')],
    ] as const
    for (const [name, owner] of owned) await admin.customers.create({ values: { name, owner } })

    const { token } = await h.issueToken('acme', 'VIEWER')
    const res = await fetch(`${http.baseUrl}/api/crm/customers/export.csv?search=CSV%20owner`, { headers: { authorization: `Bearer ${token}` } })
    expect(res.status).toBe(200)
    const lines = (await res.text())
      .replace(/^\uFEFF/, '')
      .trim()
      .split('\r\n')
    const header = lines[0]!.split(',')
    const ownerAt = header.indexOf('Owner')
    expect(ownerAt).toBeGreaterThan(0)
    const byName = Object.fromEntries(
      lines
        .slice(1)
        .map((l) => l.split(','))
        .map((cells) => [cells[header.indexOf('Name')], cells[ownerAt]]),
    )
    expect(byName['CSV owner Ada']).toBe('Ada Admin')
    expect(byName['CSV owner Aggie']).toBe('agent@acme.test')
    expect(lines.join('\n')).not.toContain(idOf('admin@acme.test'))
  })
})

describe('first run (issue 17, item 11)', () => {
  it('seeds demo data that reads right: nothing in the future, distinct names per tenant, one login in two tenants', async () => {
    const db = h.services.db
    const now = new Date()
    expect(await db.activity.count({ where: { createdAt: { gt: now } } })).toBe(0)
    for (const table of [db.customer, db.deal, db.case] as const) {
      expect(await (table as typeof db.customer).count({ where: { createdAt: { gt: now } } })).toBe(0)
    }
    const names = async (slug: string) =>
      new Set((await db.customer.findMany({ where: { tenantId: h.tenantId(slug) }, select: { name: true } })).map((c) => c.name))
    const acme = await names('acme')
    const globex = await names('globex')
    expect(acme.size).toBeGreaterThan(10)
    expect(globex.size).toBeGreaterThan(10)
    expect([...globex].filter((n) => acme.has(n))).toEqual([])
    const manager = await db.user.findUniqueOrThrow({ where: { email: 'manager@acme.test' }, include: { memberships: true } })
    expect(manager.memberships.map((m) => m.tenantId).sort()).toEqual([h.tenantId('acme'), h.tenantId('globex')].sort())
  })

  it('logs slow queries with short SQL, and not at all during bulk work', async () => {
    const warnings: Record<string, unknown>[] = []
    const logger = { debug() {}, info() {}, error() {}, warn: (_msg: string, fields?: Record<string, unknown>) => void warnings.push(fields ?? {}) }
    const scratch = await createTestDatabase()
    const db = createDb(scratch.url, { logger, slowQueryMs: 0, poolSize: 1, slowQueryWindowMs: 3_000 })
    try {
      const long = `SELECT ${Array.from({ length: 200 }, (_, i) => `${i} AS c${i}`).join(', ')}`
      await withoutSlowQueryLog(db, () => db.$queryRawUnsafe(long))
      expect(warnings).toEqual([])
      await db.$queryRawUnsafe(long)
      await expect.poll(() => warnings.length).toBeGreaterThan(0)
      const query = String(warnings[0]!.query)
      expect(query.length).toBeLessThanOrEqual(LOGGED_SQL_CHARS + 1)
      expect(query).toMatch(/^SELECT 0 AS c0/)
      // The same statement again in the window: counted, then one summary line, not a line each.
      const before = warnings.length
      for (let i = 0; i < 5; i++) await db.$queryRawUnsafe(long)
      expect(warnings.length).toBe(before)
      await expect.poll(() => warnings.find((w) => w.query === query && typeof w.count === 'number'), { timeout: 6_000 }).toMatchObject({ count: 6 })
    } finally {
      await db.$disconnect()
      await scratch.drop()
    }
  })
})
