// Accounts and tenants: the only module, with members, that touches the global `User`, `Tenant`
// and `Session` tables (through the root client, deliberately).
import { TRPCError } from '@trpc/server'
import type { Db, Role } from '../db/client'
import { hashPassword } from './password'

export function slugify(name: string): string {
  const base = name
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 40)
  return base || 'tenant'
}

async function freeSlug(db: Pick<Db, 'tenant'>, wanted: string): Promise<string> {
  for (let i = 0; ; i++) {
    const slug = i === 0 ? wanted : `${wanted}-${i + 1}`
    if (!(await db.tenant.findUnique({ where: { slug }, select: { id: true } }))) return slug
  }
}

/** Creates a tenant and its first admin in one transaction. */
export async function registerTenant(
  db: Db,
  input: { email: string; password: string; name: string; tenantName: string },
): Promise<{ userId: string; tenantId: string; tenantSlug: string }> {
  const email = input.email.toLowerCase()
  const passwordHash = await hashPassword(input.password)
  const taken = () => new TRPCError({ code: 'CONFLICT', message: 'An account with this email already exists: sign in instead' })
  return db.$transaction(async (tx) => {
    if (await tx.user.findUnique({ where: { email }, select: { id: true } })) {
      throw taken()
    }
    const slug = await freeSlug(tx, slugify(input.tenantName))
    const user = await tx.user.create({ data: { email, name: input.name, passwordHash } })
    const tenant = await tx.tenant.create({ data: { slug, name: input.tenantName } })
    await tx.membership.create({ data: { tenantId: tenant.id, userId: user.id, role: 'ADMIN' } })
    return { userId: user.id, tenantId: tenant.id, tenantSlug: tenant.slug }
  }).catch((err: unknown) => {
    // Two registrations racing for the same email (or company slug): the unique key decides.
    if ((err as { code?: string } | null)?.code === 'P2002') throw new TRPCError({ code: 'CONFLICT', message: 'That account or company was just registered; sign in or try again' })
    throw err
  })
}

export async function membershipsOf(db: Db, userId: string) {
  const rows = await db.membership.findMany({
    where: { userId },
    select: { role: true, tenant: { select: { id: true, slug: true, name: true } } },
    orderBy: { createdAt: 'asc' },
  })
  return rows.map((m) => ({ tenantId: m.tenant.id, slug: m.tenant.slug, name: m.tenant.name, role: m.role as Role }))
}
