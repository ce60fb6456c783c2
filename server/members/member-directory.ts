// The member directory: what other domains (the CRM's owner and assignee fields, CSV import,
// notifications) may know of a tenant's members, without reading the Membership table themselves.
import type { Role } from '../db/client'
import type { TenantScope, TenantTx } from '../kernel'

/** The scope's client, or a transaction of it when the caller is inside one. */
type Reader = Pick<TenantScope['db'] | TenantTx, 'membership'>
const readerOf = (scope: TenantScope, tx?: TenantTx): Reader => tx ?? scope.db

/** The member's role in the tenant, or null when they are not a member. */
export async function memberRole(scope: TenantScope, userId: string, tx?: TenantTx): Promise<Role | null> {
  const m = await readerOf(scope, tx).membership.findFirst({ where: { userId }, select: { role: true } })
  return m?.role ?? null
}

/** Names of those of `ids` who are members (others are absent from the map). */
export async function memberNames(scope: TenantScope, ids: readonly string[], tx?: TenantTx): Promise<Map<string, string>> {
  const unique = [...new Set(ids)]
  if (!unique.length) return new Map()
  const rows = await readerOf(scope, tx).membership.findMany({ where: { userId: { in: unique } }, select: { userId: true, user: { select: { name: true } } } })
  return new Map(rows.map((m) => [m.userId, m.user.name]))
}

/** Those of `ids` who are members, with role, name and email (others are absent from the map). */
export async function membersAmong(scope: TenantScope, ids: readonly (string | null)[], tx?: TenantTx) {
  const unique = [...new Set(ids.filter((id): id is string => id !== null))]
  if (!unique.length) return new Map<string, { userId: string; role: Role; name: string; email: string }>()
  const rows = await readerOf(scope, tx).membership.findMany({
    where: { userId: { in: unique } },
    select: { userId: true, role: true, user: { select: { name: true, email: true } } },
  })
  return new Map(rows.map((m) => [m.userId, { userId: m.userId, role: m.role, name: m.user.name, email: m.user.email }]))
}

/** The member with this (lower-cased) email, or null. */
export async function memberByEmail(scope: TenantScope, email: string, tx?: TenantTx): Promise<{ userId: string; role: Role } | null> {
  return readerOf(scope, tx).membership.findFirst({ where: { user: { email } }, select: { userId: true, role: true } })
}

/** The members holding `role` (or any of `roles`), oldest membership first. */
export async function membersWithRole(
  scope: TenantScope,
  role: Role | readonly Role[],
  tx?: TenantTx,
): Promise<{ userId: string; name: string; role: Role }[]> {
  const roles = typeof role === 'string' ? [role] : [...role]
  const rows = await readerOf(scope, tx).membership.findMany({
    where: { role: { in: roles } },
    select: { userId: true, role: true, user: { select: { name: true } } },
    orderBy: { createdAt: 'asc' },
  })
  return rows.map((m) => ({ userId: m.userId, name: m.user.name, role: m.role }))
}

/** Every member with email, name, role and since when, oldest first. */
export async function listMembers(scope: TenantScope, tx?: TenantTx) {
  const rows = await readerOf(scope, tx).membership.findMany({ select: MEMBER_SELECT, orderBy: { createdAt: 'asc' } })
  return rows.map(toMember)
}

export const MEMBER_SELECT = {
  userId: true,
  role: true,
  createdAt: true,
  user: { select: { email: true, name: true } },
} as const

type MemberRow = { userId: string; role: Role; createdAt: Date; user: { email: string; name: string } }
export const toMember = (m: MemberRow) => ({ userId: m.userId, email: m.user.email, name: m.user.name, role: m.role, since: m.createdAt })
