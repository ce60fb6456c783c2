// Integration harness: one migrated database and one set of services per test file, the demo
// tenants seeded, and callers that act as any demo user or as an API token — through the real
// router (createCaller), real middleware and the real database.
import { randomUUID } from 'node:crypto'
import { afterAll, beforeAll } from 'vitest'
import { loadEnv } from '../../server/env'
import { silentLogger } from '../../server/logger'
import { createServices, type ServiceHandle } from '../../server/services'
import { seedDemo } from '../../server/seed/demo'
import { createCaller } from '../../server/http/app-server'
import { createInnerContext, resolvePrincipal, type Principal } from '../../server/trpc/context'
import { insertApiToken } from '../../server/auth/api-tokens'
import type { Role, TokenScope } from '../../server/db/client'
import { createTestDatabase, type TestDatabase } from './test-db'

export type Harness = ReturnType<typeof createHarnessApi>

function createHarnessApi(getServices: () => ServiceHandle, getTenants: () => Map<string, string>) {
  const api = {
    get services() {
      return getServices()
    },
    tenantId(slug: string): string {
      const id = getTenants().get(slug)
      if (!id) throw new Error(`unknown tenant ${slug}`)
      return id
    },
    anonymous() {
      return createCaller(createInnerContext({ services: getServices() }))
    },
    /** Signs `email` in with `tenant` active (default: the first membership): caller, principal, session id. */
    async signIn(email: string, tenant?: string) {
      const s = getServices()
      const user = await s.db.user.findUniqueOrThrow({ where: { email }, include: { memberships: true } })
      const activeTenantId = tenant ? api.tenantId(tenant) : (user.memberships[0]?.tenantId ?? null)
      const session = await s.auth.createSession(user.id, { activeTenantId })
      const cookie = s.auth.createSessionCookie(session.id).serialize()
      const principal = await resolvePrincipal(s, { cookieHeader: cookie })
      return { caller: createCaller(createInnerContext({ services: s, principal })), principal, sessionId: session.id }
    },
    /** A caller signed in as `email` (see signIn). */
    async asUser(email: string, tenant?: string) {
      return (await api.signIn(email, tenant)).caller
    },
    /** A fresh API token of `tenant` with `role` (and `scope`, default full): caller, principal and the token itself. */
    async issueToken(tenant: string, role: Role, scope: TokenScope = 'full') {
      const s = getServices()
      const tenantId = api.tenantId(tenant)
      const { token } = await insertApiToken(s.db, tenantId, role, scope === 'full' ? `test ${role}` : `test ${role} ${scope}`, scope)
      const principal: Principal = await resolvePrincipal(s, { authorization: `Bearer ${token}` })
      return { caller: createCaller(createInnerContext({ services: s, principal })), principal, token }
    },
    async asToken(tenant: string, role: Role, scope: TokenScope = 'full') {
      return (await api.issueToken(tenant, role, scope)).caller
    },
  }
  return api
}

export function useHarness(): Harness {
  let db: TestDatabase
  let services: ServiceHandle
  const tenants = new Map<string, string>()
  beforeAll(async () => {
    db = await createTestDatabase()
    // A Redis prefix of its own, so parallel test files never share rate-limit counters or events.
    const env = loadEnv({ NODE_ENV: 'test', REDIS_URL: process.env.REDIS_URL, REDIS_PREFIX: `test:${randomUUID()}:` })
    services = createServices(env, db.url, silentLogger)
    const seeded = await seedDemo(services.db)
    for (const t of seeded.tenants) tenants.set(t.slug, t.id)
  })
  afterAll(async () => {
    await services?.close()
    await db?.drop()
  })
  return createHarnessApi(
    () => services,
    () => tenants,
  )
}
