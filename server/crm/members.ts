// What the crm needs to know about a tenant's members (user fields name one; a CSV cell may name
// one by email or name). The members domain owns memberships: these are the crm's only reads of
// them, with the member directory's signatures (server/members/member-directory.ts), so the
// import can switch to that service without touching the callers.
import type { Role } from '../config-language'
import type { TenantScope, TenantTx } from '../kernel'

/** A scope, or a scope whose `db` is a transaction of it (a check inside a write's transaction). */
type MemberScope = Pick<TenantScope, 'tenantId'> & { db: Pick<TenantTx, 'membership'> }

export type DirectoryMember = { userId: string; name: string; email: string; role: Role }

/** The member's role in the scope's tenant, or null when `userId` is not a member of it. */
export async function memberRole(scope: MemberScope, userId: string): Promise<Role | null> {
  const m = await scope.db.membership.findFirst({ where: { userId }, select: { role: true } })
  return (m?.role as Role | undefined) ?? null
}

/** Members of the tenant with `role`; every member when `role` is omitted. */
export async function membersWithRole(scope: MemberScope, role?: Role): Promise<DirectoryMember[]> {
  const rows = await scope.db.membership.findMany({
    where: role ? { role } : {},
    select: { userId: true, role: true, user: { select: { email: true, name: true } } },
  })
  return rows.map((m) => ({ userId: m.userId, name: m.user.name, email: m.user.email, role: m.role as Role }))
}
