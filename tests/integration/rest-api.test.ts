// The REST surface generated from the procedures (docs/decisions/023-platform.md): the OpenAPI
// document validates, every GET in it answers as documented, CRUD and config-as-code work over
// plain HTTP at /api/v1 and the seed's /api aliases, and RBAC, token scopes and tenant isolation
// hold over REST exactly as over tRPC.
import { validate, compileErrors } from '@readme/openapi-parser'
import { beforeAll, describe, expect, it } from 'vitest'
import type { Role, TokenScope } from '../../server/db/client'
import { useHarness } from '../support/harness'
import { useHttpApp } from '../support/http-app'
import { expectTRPCError } from '../support/trpc-error'

const h = useHarness()
const app = useHttpApp(h)

type Answer = { status: number; body: any; headers: Headers }

async function call(method: string, path: string, token: string | null, body?: unknown): Promise<Answer> {
  const res = await fetch(`${app.baseUrl}${path}`, {
    method,
    headers: { ...(token ? { Authorization: `Bearer ${token}` } : {}), ...(body === undefined ? {} : { 'Content-Type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  })
  const text = await res.text()
  return { status: res.status, body: text && res.headers.get('content-type')?.includes('json') ? JSON.parse(text) : text, headers: res.headers }
}

const tokens = new Map<string, string>()
async function tokenOf(tenant: string, role: Role, scope: TokenScope = 'full'): Promise<string> {
  const key = `${tenant}/${role}/${scope}`
  if (!tokens.has(key)) tokens.set(key, (await h.issueToken(tenant, role, scope)).token)
  return tokens.get(key)!
}

let ids: { customer: string; deal: string; case: string }
beforeAll(async () => {
  const admin = await h.asUser('admin@acme.test', 'acme')
  const first = async (list: Promise<{ rows: { id: string }[] }>) => (await list).rows[0]!.id
  ids = {
    customer: await first(admin.customers.list({ limit: 1 })),
    deal: await first(admin.deals.list({ limit: 1 })),
    case: await first(admin.cases.list({ limit: 1 })),
  }
})

describe('OpenAPI document', () => {
  it('is valid OpenAPI 3.1 and lists the CRM, config and runtime routes', async () => {
    const { status, body } = await call('GET', '/api/openapi.json', null)
    expect(status).toBe(200)
    expect(body.openapi).toBe('3.1.0')
    const result = await validate(structuredClone(body))
    expect(result.valid, result.valid ? '' : compileErrors(result)).toBe(true)
    expect(Object.keys(body.paths)).toEqual(
      expect.arrayContaining([
        '/crm/customers',
        '/crm/customers/{id}',
        '/crm/deals',
        '/crm/cases/{id}',
        '/admin/config/{namespace}/{entity}/{key}/draft',
        '/admin/config/validate',
        '/admin/config/publish',
        '/admin/config/history',
        '/runtime/config',
      ]),
    )
    expect(body.components.securitySchemes.Authorization).toEqual({ type: 'http', scheme: 'bearer' })
  })

  it('every GET in the document answers 200 with a token, under /api/v1 and the /api alias alike', async () => {
    const doc = (await call('GET', '/api/openapi.json', null)).body as { paths: Record<string, Record<string, unknown>> }
    const params: Record<string, (path: string) => string> = {
      id: (path) => (path.startsWith('/crm/customers') ? ids.customer : path.startsWith('/crm/deals') ? ids.deal : ids.case),
      namespace: () => 'forms',
      entity: () => 'customer',
      key: () => 'default',
    }
    // Values for the required query parameters a GET documents (a new one must be added here).
    const queryExamples: Record<string, string> = { from: '2026-01-01T00:00:00.000Z', to: '2026-02-01T00:00:00.000Z', timeZone: 'UTC' }
    const queryOf = (template: string) => {
      const parameters = ((doc.paths[template]!.get as { parameters?: { in: string; name: string; required?: boolean }[] }).parameters ?? []).filter(
        (p) => p.in === 'query' && p.required,
      )
      for (const p of parameters) expect(queryExamples[p.name], `an example value for the query parameter ${p.name} of ${template}`).toBeDefined()
      return parameters.length ? `?${new URLSearchParams(parameters.map((p) => [p.name, queryExamples[p.name]!])).toString()}` : ''
    }
    const gets = Object.keys(doc.paths).filter((path) => doc.paths[path]!.get)
    expect(gets.length).toBeGreaterThanOrEqual(8)
    const token = await tokenOf('acme', 'ADMIN')
    for (const template of gets) {
      const path = template.replace(/\{(\w+)\}/g, (_, name: string) => params[name]!(template))
      for (const prefix of ['/api/v1', '/api']) {
        const answer = await call('GET', `${prefix}${path}${queryOf(template)}`, token)
        expect(answer.status, `GET ${prefix}${path}: ${JSON.stringify(answer.body).slice(0, 300)}`).toBe(200)
        expect(answer.headers.get('content-type')).toContain('application/json')
      }
    }
  })

  it('serves the API reference page and its assets from the app (no CDN)', async () => {
    const page = await call('GET', '/api/docs', null)
    expect(page.status).toBe(200)
    expect(page.body).toContain('/api/docs/swagger-ui-bundle.js')
    expect(page.body).not.toMatch(/https?:\/\//)
    expect(page.headers.get('content-security-policy')).toContain("script-src 'self'")
    for (const asset of ['/api/docs/swagger-ui-bundle.js', '/api/docs/swagger-ui.css', '/api/docs/init.js']) {
      const res = await fetch(`${app.baseUrl}${asset}`)
      expect(res.status, asset).toBe(200)
      expect((await res.text()).length, asset).toBeGreaterThan(50)
    }
  })
})

describe('REST calls', () => {
  it('creates, reads, lists with JSON filter and sort, updates and deletes a customer', async () => {
    const agent = await tokenOf('acme', 'AGENT')
    const created = await call('POST', '/api/v1/crm/customers', agent, { values: { name: 'Rest Rosen GmbH', email: 'rest@rosen.example' } })
    expect(created.status).toBe(200)
    expect(created.body).toMatchObject({ name: 'Rest Rosen GmbH', version: 1 })
    const id = created.body.id as string
    expect(typeof created.body.createdAt).toBe('string') // plain JSON: dates as ISO strings

    const got = await call('GET', `/api/crm/customers/${id}`, agent)
    expect(got.body).toMatchObject({ id, name: 'Rest Rosen GmbH' })

    const filter = encodeURIComponent(JSON.stringify({ field: 'name', op: 'startsWith', value: 'Rest Rosen' }))
    const sort = encodeURIComponent(JSON.stringify([{ field: 'name', direction: 'asc' }]))
    const listed = await call('GET', `/api/v1/crm/customers?filter=${filter}&sort=${sort}&limit=5`, agent)
    expect(listed.status).toBe(200)
    expect(listed.body.rows.map((r: { id: string }) => r.id)).toEqual([id])
    expect(listed.body.total).toBe(1)

    const bad = await call('GET', `/api/v1/crm/customers?filter=%7Bnot-json`, agent)
    expect(bad.status).toBe(400)
    expect(bad.body.code).toBe('BAD_REQUEST')
    const tooMany = await call('GET', `/api/v1/crm/customers?limit=5000`, agent)
    expect(tooMany.status).toBe(400)

    const updated = await call('PATCH', `/api/v1/crm/customers/${id}`, agent, { expectedVersion: 1, values: { phone: '+49 30 1234' } })
    expect(updated.body).toMatchObject({ version: 2, phone: '+49 30 1234' })
    const stale = await call('PATCH', `/api/v1/crm/customers/${id}`, agent, { expectedVersion: 1, values: { phone: '+49 30 9999' } })
    expect(stale.status).toBe(409)
    expect(stale.body.code).toBe('CONFLICT')

    // Deleting needs crm:delete (manager and up).
    expect((await call('DELETE', `/api/v1/crm/customers/${id}?expectedVersion=2`, agent)).status).toBe(403)
    const removed = await call('DELETE', `/api/v1/crm/customers/${id}?expectedVersion=2`, await tokenOf('acme', 'MANAGER'))
    expect(removed.status).toBe(200)
    expect((await call('GET', `/api/v1/crm/customers/${id}`, agent)).status).toBe(404)

    // REST calls never loosen the procedures' own checks (trpc-to-openapi coerces the number
    // schemas it is given; it is given copies): a text version is still refused over tRPC.
    const caller = await h.asUser('agent@acme.test', 'acme')
    await expectTRPCError(caller.customers.update({ id: ids.customer, expectedVersion: '1' as never, values: {} }), 'BAD_REQUEST')
  })

  it('config as code: put a draft, validate, publish with expectedVersion, read history', async () => {
    const ci = await tokenOf('acme', 'ADMIN', 'config')
    const path = '/api/admin/config/views/customer/rest-made/draft'
    const content = { label: 'Made over REST', columns: [{ field: 'name' }], sort: [], pageSize: 10 }
    const saved = await call('PUT', path, ci, { expectedRevision: 0, content })
    expect(saved.status, JSON.stringify(saved.body)).toBe(200)
    expect((await call('GET', path, ci)).body).toMatchObject({ address: 'views/customer/rest-made', content, draftRevision: 1 })
    const validation = await call('POST', '/api/admin/config/validate', ci, {})
    expect(validation.status).toBe(200)
    expect(validation.body.errors).toEqual([])
    const live = await call('GET', '/api/v1/runtime/config', ci)
    const published = await call('POST', '/api/admin/config/publish', ci, { expectedVersion: live.body.version, message: 'from CI' })
    expect(published.status, JSON.stringify(published.body)).toBe(200)
    expect(published.body.version).toBe(live.body.version + 1)
    const stale = await call('POST', '/api/admin/config/publish', ci, { expectedVersion: live.body.version, message: 'again' })
    expect(stale.status).toBe(409)
    const history = await call('GET', '/api/v1/admin/config/history?limit=1', ci)
    expect(history.body.items[0]).toMatchObject({ version: live.body.version + 1, message: 'from CI' })
  })
})

describe('REST access', () => {
  it('no or a bad token is 401; a role without the permission is 403 (RBAC over REST)', async () => {
    expect((await call('GET', '/api/v1/crm/customers', null)).status).toBe(401)
    expect((await call('GET', '/api/v1/crm/customers', 'p8_nope_nope')).status).toBe(401)
    const viewer = await tokenOf('acme', 'VIEWER')
    expect((await call('GET', '/api/v1/crm/customers', viewer)).status).toBe(200)
    expect((await call('POST', '/api/v1/crm/customers', viewer, { values: { name: 'Nope' } })).status).toBe(403)
    expect((await call('GET', '/api/v1/admin/config/history', viewer)).status).toBe(403)
    const manager = await tokenOf('acme', 'MANAGER')
    expect((await call('GET', '/api/v1/admin/config/history', manager)).status).toBe(200)
    expect((await call('POST', '/api/v1/admin/config/publish', manager, { expectedVersion: 1, message: 'x' })).status).toBe(403)
  })

  it('token scopes hold over REST: read cannot write, config cannot read the CRM, ingest can do neither', async () => {
    const read = await tokenOf('acme', 'ADMIN', 'read')
    expect((await call('GET', '/api/v1/crm/deals', read)).status).toBe(200)
    expect((await call('GET', '/api/v1/admin/config/history', read)).status).toBe(200)
    const refused = await call('POST', '/api/v1/crm/deals', read, { values: { name: 'Nope' } })
    expect(refused.status).toBe(403)
    expect(refused.body.message).toContain('scope (read)')
    const config = await tokenOf('acme', 'ADMIN', 'config')
    expect((await call('GET', '/api/v1/crm/deals', config)).status).toBe(403)
    expect((await call('GET', '/api/runtime/config', config)).status).toBe(200)
    const ingest = await tokenOf('acme', 'ADMIN', 'ingest')
    expect((await call('GET', '/api/v1/crm/deals', ingest)).status).toBe(403)
    expect((await call('GET', '/api/v1/runtime/config', ingest)).status).toBe(403)
  })

  it("another tenant's ids answer exactly like missing ones, and change nothing (isolation over REST)", async () => {
    const globex = await tokenOf('globex', 'ADMIN')
    for (const [entity, id, title] of [
      ['customers', ids.customer, 'name'],
      ['deals', ids.deal, 'name'],
      ['cases', ids.case, 'subject'],
    ] as const) {
      const foreign = await call('GET', `/api/v1/crm/${entity}/${id}`, globex)
      const missing = await call('GET', `/api/v1/crm/${entity}/no-such-id`, globex)
      expect(foreign.status).toBe(404)
      expect(foreign.body.message).toBe(missing.body.message)
      expect((await call('PATCH', `/api/v1/crm/${entity}/${id}`, globex, { expectedVersion: 1, values: { [title]: 'Taken' } })).status).toBe(404)
      expect((await call('DELETE', `/api/v1/crm/${entity}/${id}`, globex)).status).toBe(404)
    }
    const acme = await h.asUser('admin@acme.test', 'acme')
    expect((await acme.customers.get({ id: ids.customer })).name).not.toBe('Taken')
    // A config item only acme has (its draft) is missing for globex.
    await call('PUT', '/api/admin/config/views/customer/acme-only/draft', await tokenOf('acme', 'ADMIN'), {
      expectedRevision: 0,
      content: { label: 'Acme only', columns: [{ field: 'name' }], pageSize: 10 },
    })
    expect((await call('GET', '/api/admin/config/views/customer/acme-only/draft', globex)).status).toBe(404)
  })
})
