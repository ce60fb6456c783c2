// The demo tenants of docs/api.md. Idempotent: running it again changes nothing that exists
// (it does reset demo users' passwords to the documented one, so the README stays true).
import { withoutSlowQueryLog, type Db, type Role } from '../db/client'
import { hashPassword } from '../auth/password'
import { initializeTenantConfig } from '../config/initialize'
import { ensureMember } from '../members/members'
import { systemActor, tenantScope } from '../kernel'
import { seedDemoActivity } from './activity'
import { seedDemoRecords } from './records'

export const DEMO_PASSWORD = 'pulse-demo-pass'

export const DEMO_TENANTS: { slug: string; name: string; users: { email: string; name: string; role: Role }[] }[] = [
  {
    slug: 'acme',
    name: 'Acme Corp',
    users: [
      { email: 'admin@acme.test', name: 'Ada Admin', role: 'ADMIN' },
      { email: 'manager@acme.test', name: 'Max Manager', role: 'MANAGER' },
      { email: 'agent@acme.test', name: 'Aggie Agent', role: 'AGENT' },
      { email: 'viewer@acme.test', name: 'Vic Viewer', role: 'VIEWER' },
    ],
  },
  {
    slug: 'globex',
    name: 'Globex Corporation',
    users: [
      { email: 'admin@globex.test', name: 'Gil Globex', role: 'ADMIN' },
      // One person in two tenants, so the tenant switcher can be tried with a demo login.
      { email: 'manager@acme.test', name: 'Max Manager', role: 'MANAGER' },
    ],
  },
]

/** Who the seed is, in audit entries of what it does through the domain services. */
const SEED = systemActor('seed')

type Seeded = { tenants: { slug: string; id: string }[]; logins: { email: string; role: Role; tenant: string }[] }

/**
 * Seeding is bulk work: no slow-query warnings meanwhile (server/db/client.ts). `activity`: also
 * two weeks of inbox conversations, SLA clocks and automation runs (activity.ts) — for the app's
 * first start and `npm run seed`, not for the test harness, whose suites count their own.
 */
export function seedDemo(db: Db, opts: { activity?: boolean } = {}): Promise<Seeded> {
  return withoutSlowQueryLog(db, () => seedDemoTenants(db, opts))
}

async function seedDemoTenants(db: Db, opts: { activity?: boolean }): Promise<Seeded> {
  const passwordHash = await hashPassword(DEMO_PASSWORD)
  const tenants: { slug: string; id: string }[] = []
  const logins: { email: string; role: Role; tenant: string }[] = []
  for (const [variant, t] of DEMO_TENANTS.entries()) {
    const tenant = await db.tenant.upsert({ where: { slug: t.slug }, update: {}, create: { slug: t.slug, name: t.name } })
    tenants.push({ slug: tenant.slug, id: tenant.id })
    // The same domain services a procedure calls, with a scope and the seed as actor: no tRPC.
    const scope = tenantScope(db, tenant.id)
    // A tenant is created with its config (version 1), never without one.
    await initializeTenantConfig(scope)
    for (const u of t.users) {
      const user = await db.user.upsert({
        where: { email: u.email },
        update: { passwordHash },
        create: { email: u.email, name: u.name, passwordHash },
      })
      // Seeding runs before the process serves anyone: no principal cache holds these yet.
      await ensureMember(scope, SEED, { userId: user.id, role: u.role }, null)
      logins.push({ email: u.email, role: u.role, tenant: t.slug })
    }
    await seedDemoRecords(db, tenant.id, variant)
    if (opts.activity) await seedDemoActivity(db, tenant.id, variant)
  }
  return { tenants, logins }
}

export async function isEmptyDatabase(db: Db): Promise<boolean> {
  return (await db.tenant.count()) === 0
}
