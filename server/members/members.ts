// The members service: who belongs to a tenant with which role, and the changes an admin makes
// (invite, add, change a role, remove). Plain `(scope, actor, input)` functions throwing kernel
// errors. The tenant's own Membership rows are written here; the global user table only through
// the accounts service (server/auth/accounts.ts).
import type { Role } from '../db/client'
import { recordAudit } from '../audit/audit-log'
import type { AccountStore } from '../auth/accounts'
import type { AccessChanges } from '../auth/principal-cache'
import { hashPassword } from '../auth/password'
import { INVITATION_SELECT, invite } from '../invitations/invitations'
import { ConflictError, NotFoundError, type Actor, type TenantScope, type TenantTx } from '../kernel'
import { applyMemberChangeToTokens } from '../tokens/token-creators'
import { MEMBER_SELECT, listMembers, toMember } from './member-directory'

export { listMembers }

async function findMember(scope: TenantScope, userId: string) {
  const m = await scope.db.membership.findFirst({ where: { userId }, select: MEMBER_SELECT })
  if (!m) throw new NotFoundError('Member not found')
  return m
}

/**
 * The last admin can neither leave nor be demoted: a tenant must always have someone in charge.
 * Runs inside the change's transaction and locks the tenant's admin rows, so two admins demoting
 * each other at once are serialised and the second one sees that only one admin is left.
 */
async function assertNotLastAdmin(tx: TenantTx, tenantId: string, member: { role: Role }) {
  if (member.role !== 'ADMIN') return
  const admins = await tx.$queryRaw<{ userId: string }[]>`
    SELECT "userId" FROM "Membership" WHERE "tenantId" = ${tenantId} AND "role" = 'ADMIN' FOR UPDATE`
  if (admins.length <= 1) throw new ConflictError('A tenant needs at least one admin')
}

/** Members by name only (what record pages show for an owner or an assignee). */
export async function memberNameList(scope: TenantScope) {
  const rows = await scope.db.membership.findMany({ select: { userId: true, user: { select: { name: true } } }, orderBy: { createdAt: 'asc' } })
  return rows.map((m) => ({ userId: m.userId, name: m.user.name }))
}

export { invite as inviteMember }

/**
 * `invite` for a person who may have no account yet: when none exists for the email it is created
 * with the name and initial password given; an existing account is left exactly as it is, and the
 * answer is the same invitation either way (docs/decisions/014-invitations.md).
 */
export async function addMember(
  accounts: AccountStore,
  scope: TenantScope,
  actor: Actor,
  input: { email: string; role: Role; name: string; initialPassword: string },
) {
  // Hashed whether or not it is used, so both cases take the same time.
  const passwordHash = await hashPassword(input.initialPassword)
  const invitation = await invite(scope, actor, input)
  await accounts.createIfMissing({ email: input.email, name: input.name, passwordHash })
  return invitation
}

/** The tenant's pending invitations (expired ones included, with their expiry). */
export function pendingInvitations(scope: TenantScope) {
  return scope.db.invitation.findMany({ where: { status: 'PENDING' }, select: INVITATION_SELECT, orderBy: { createdAt: 'asc' } })
}

export async function revokeInvitation(scope: TenantScope, actor: Actor, input: { id: string }) {
  const done = await scope.db.$transaction(async (tx) => {
    const res = await tx.invitation.updateMany({ where: { id: input.id, status: 'PENDING' }, data: { status: 'REVOKED', decidedAt: new Date() } })
    if (res.count === 0) return false
    await recordAudit(tx, actor, { action: 'invitation.revoke', target: `invitation/${input.id}` })
    return true
  })
  if (!done) throw new NotFoundError('Invitation not found')
  return { ok: true }
}

/** `access`: the principal caches forget the old role (and their tokens' roles) on every instance. */
export async function setMemberRole(scope: TenantScope, actor: Actor, input: { userId: string; role: Role }, access: AccessChanges) {
  const member = await findMember(scope, input.userId)
  if (member.role === input.role) return toMember(member)
  const updated = await scope.db.$transaction(async (tx) => {
    if (input.role !== 'ADMIN') await assertNotLastAdmin(tx, scope.tenantId, member)
    const m = await tx.membership.update({
      where: { tenantId_userId: { tenantId: scope.tenantId, userId: input.userId } },
      data: { role: input.role },
      select: MEMBER_SELECT,
    })
    // Their tokens act with at most their new role (docs/decisions/013-token-role.md).
    const tokens = await applyMemberChangeToTokens(tx, actor, input.userId, member.role, input.role)
    await recordAudit(tx, actor, {
      action: 'member.setRole',
      target: `user/${input.userId}`,
      before: { role: member.role },
      after: { role: input.role, tokens },
    })
    return m
  })
  await access.changed({ tenantId: scope.tenantId, userId: input.userId })
  return toMember(updated)
}

export async function removeMember(scope: TenantScope, actor: Actor, input: { userId: string }, access: AccessChanges) {
  const member = await findMember(scope, input.userId)
  await scope.db.$transaction(async (tx) => {
    await assertNotLastAdmin(tx, scope.tenantId, member)
    await tx.membership.delete({ where: { tenantId_userId: { tenantId: scope.tenantId, userId: input.userId } } })
    // Their tokens stop working with them (docs/decisions/013-token-role.md).
    const tokens = await applyMemberChangeToTokens(tx, actor, input.userId, member.role, null)
    await recordAudit(tx, actor, { action: 'member.remove', target: `user/${input.userId}`, before: { role: member.role }, after: { tokens } })
  })
  await access.changed({ tenantId: scope.tenantId, userId: input.userId })
  return { ok: true }
}

/**
 * Makes `userId` (an existing account) a member with `role`, whatever they were: for scripts that
 * set a tenant up (the demo seed). Idempotent: an unchanged membership writes nothing; a new one
 * or a changed role is audited like an admin's change, and the last admin still cannot be demoted.
 */
export async function ensureMember(scope: TenantScope, actor: Actor, input: { userId: string; role: Role }, access: AccessChanges | null) {
  const result = await scope.db.$transaction(async (tx) => {
    const current = await tx.membership.findFirst({ where: { userId: input.userId }, select: { role: true } })
    if (current?.role === input.role) return { changed: false }
    if (!current) {
      await tx.membership.create({ data: { tenantId: scope.tenantId, userId: input.userId, role: input.role } })
      await recordAudit(tx, actor, { action: 'member.add', target: `user/${input.userId}`, after: { role: input.role } })
    } else {
      if (input.role !== 'ADMIN') await assertNotLastAdmin(tx, scope.tenantId, current)
      await tx.membership.updateMany({ where: { userId: input.userId }, data: { role: input.role } })
      const tokens = await applyMemberChangeToTokens(tx, actor, input.userId, current.role, input.role)
      await recordAudit(tx, actor, {
        action: 'member.setRole',
        target: `user/${input.userId}`,
        before: { role: current.role },
        after: { role: input.role, tokens },
      })
    }
    return { changed: true }
  })
  if (result.changed) await access?.changed({ tenantId: scope.tenantId, userId: input.userId })
  return result
}
