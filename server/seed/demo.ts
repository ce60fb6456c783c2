// The demo tenants of docs/api.md. Idempotent: running it again changes nothing that exists
// (it does reset demo users' passwords to the documented one, so the README stays true).
import type { Db, Role } from '../db/client'
import { hashPassword } from '../auth/password'
import { forTenant } from '../db/tenant-db'
import { ensureTenantConfig } from '../config/initialize'
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
    users: [{ email: 'admin@globex.test', name: 'Gil Globex', role: 'ADMIN' }],
  },
]

export async function seedDemo(db: Db): Promise<{ tenants: { slug: string; id: string }[]; logins: { email: string; role: Role; tenant: string }[] }> {
  const passwordHash = await hashPassword(DEMO_PASSWORD)
  const tenants: { slug: string; id: string }[] = []
  const logins: { email: string; role: Role; tenant: string }[] = []
  for (const t of DEMO_TENANTS) {
    const tenant = await db.tenant.upsert({ where: { slug: t.slug }, update: {}, create: { slug: t.slug, name: t.name } })
    tenants.push({ slug: tenant.slug, id: tenant.id })
    await ensureTenantConfig(forTenant(db, tenant.id), tenant.id)
    for (const u of t.users) {
      const user = await db.user.upsert({
        where: { email: u.email },
        update: { passwordHash },
        create: { email: u.email, name: u.name, passwordHash },
      })
      await db.membership.upsert({
        where: { tenantId_userId: { tenantId: tenant.id, userId: user.id } },
        update: { role: u.role },
        create: { tenantId: tenant.id, userId: user.id, role: u.role },
      })
      logins.push({ email: u.email, role: u.role, tenant: t.slug })
    }
    await seedDemoRecords(db, tenant.id)
  }
  return { tenants, logins }
}

export async function isEmptyDatabase(db: Db): Promise<boolean> {
  return (await db.tenant.count()) === 0
}
