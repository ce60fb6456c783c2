// Invitations (docs/decisions/014-invitations.md): nobody becomes a member of a tenant without
// accepting. An admin invites an email; the answer is the invitation's own fields, the same whether
// or not an account exists for that email, so inviting reveals nothing about other tenants or
// about who has an account. The invitee sees it after signing in and accepts or declines it.
import type { Db, Role } from '../db/client'
import { recordAudit } from '../audit/audit-log'
import type { AccessChanges } from '../auth/principal-cache'
import { ConflictError, NotFoundError, tenantScope, type Actor, type TenantScope } from '../kernel'
import { memberByEmail } from '../members/member-directory'

/** How long an invitation can be accepted; inviting the same email again renews it. */
export const INVITATION_TTL_MS = 14 * 24 * 60 * 60 * 1000

/** What an admin sees of an invitation: its own fields only. */
export const INVITATION_SELECT = { id: true, email: true, role: true, status: true, createdAt: true, expiresAt: true } as const

const isUniqueViolation = (err: unknown) => (err as { code?: string } | null)?.code === 'P2002'

/**
 * Creates the tenant's pending invitation for `email` (lower-cased by the caller's schema), or
 * renews the pending one with the new role and expiry. CONFLICT when the email already belongs to
 * a member of this tenant (this tenant's own data) or when two invitations race.
 */
export async function invite(scope: TenantScope, actor: Actor, input: { email: string; role: Role }) {
  const ctx = { ...scope, actor }
  const member = await memberByEmail(scope, input.email)
  if (member) throw new ConflictError('Already a member')
  const expiresAt = new Date(Date.now() + INVITATION_TTL_MS)
  return ctx.db
    .$transaction(async (tx) => {
      const pending = await tx.invitation.findFirst({ where: { email: input.email, status: 'PENDING' }, select: { id: true } })
      const invitation = pending
        ? await tx.invitation.update({
            where: { tenantId_id: { tenantId: ctx.tenantId, id: pending.id } },
            data: { role: input.role, expiresAt, invitedById: ctx.actor.userId },
            select: INVITATION_SELECT,
          })
        : await tx.invitation.create({
            data: { tenantId: ctx.tenantId, email: input.email, role: input.role, expiresAt, invitedById: ctx.actor.userId },
            select: INVITATION_SELECT,
          })
      await recordAudit(tx, ctx.actor, {
        action: pending ? 'invitation.renew' : 'invitation.create',
        target: `invitation/${invitation.id}`,
        after: { email: input.email, role: input.role },
      })
      return invitation
    })
    .catch((err: unknown) => {
      // Two admins inviting the same email at the same moment: one wins, the other is told.
      if (isUniqueViolation(err)) throw new ConflictError('An invitation for this email was just created')
      throw err
    })
}

// The invitee's side: a signed-in person and their own invitations, found by their account email
// across tenants (that is their nature, like a user's memberships), then changed only through the
// inviting tenant's scope, in its audit log. `root` is the unscoped client, deliberately.

/** Who is deciding: the signed-in person (an invitation is addressed to their email). */
export type Invitee = { id: string; email: string; name: string }

// One message for a missing id, someone else's, an expired or an already decided one.
const notFound = () => new NotFoundError('Invitation not found')

const inviteeActor = (user: Invitee): Actor => ({ userId: user.id, tokenId: null, label: user.name || user.email })

/** The person's own pending, unexpired invitation with this id, or not found. */
async function ownPending(root: Db, user: Invitee, invitationId: string) {
  const invitation = await root.invitation.findFirst({
    where: { id: invitationId, email: user.email.toLowerCase(), status: 'PENDING', expiresAt: { gt: new Date() } },
    select: { tenantId: true, id: true, role: true },
  })
  if (!invitation) throw notFound()
  return invitation
}

/** Pending invitations addressed to the person's email. */
export async function invitationsOf(root: Db, user: Invitee) {
  const rows = await root.invitation.findMany({
    where: { email: user.email.toLowerCase(), status: 'PENDING', expiresAt: { gt: new Date() } },
    select: { id: true, role: true, createdAt: true, expiresAt: true, tenant: { select: { id: true, name: true } } },
    orderBy: { createdAt: 'asc' },
  })
  return rows.map((r) => ({ id: r.id, role: r.role, createdAt: r.createdAt, expiresAt: r.expiresAt, tenant: { tenantId: r.tenant.id, name: r.tenant.name } }))
}

/** Joins the tenant with the invited role: membership and status change in one transaction. */
export async function acceptInvitation(root: Db, user: Invitee, input: { id: string }, access: AccessChanges) {
  const invitation = await ownPending(root, user, input.id)
  const actor = inviteeActor(user)
  const scope = tenantScope(root, invitation.tenantId)
  const role = await scope.db
    .$transaction(async (tx) => {
      const claimed = await tx.invitation.updateMany({ where: { id: invitation.id, status: 'PENDING' }, data: { status: 'ACCEPTED', decidedAt: new Date() } })
      if (claimed.count === 0) throw notFound() // decided meanwhile (a second tab, a revoke)
      // Someone who joined meanwhile (another invitation) keeps the role they have.
      const existing = await tx.membership.findFirst({ where: { userId: user.id }, select: { role: true } })
      if (!existing) await tx.membership.create({ data: { tenantId: invitation.tenantId, userId: user.id, role: invitation.role } })
      await recordAudit(tx, actor, { action: 'invitation.accept', target: `invitation/${invitation.id}`, after: { role: invitation.role } })
      if (!existing)
        await recordAudit(tx, actor, { action: 'member.add', target: `user/${user.id}`, after: { role: invitation.role, invitation: invitation.id } })
      return existing?.role ?? invitation.role
    })
    .catch((err: unknown) => {
      if (isUniqueViolation(err)) throw new ConflictError('You joined this tenant meanwhile')
      throw err
    })
  // A cached "not a member" would refuse the new member for a moment after switching to the tenant.
  await access.changed({ tenantId: invitation.tenantId, userId: user.id })
  const tenant = await root.tenant.findUniqueOrThrow({ where: { id: invitation.tenantId }, select: { id: true, name: true, slug: true } })
  return { tenantId: tenant.id, slug: tenant.slug, name: tenant.name, role }
}

export async function declineInvitation(root: Db, user: Invitee, input: { id: string }) {
  const invitation = await ownPending(root, user, input.id)
  await tenantScope(root, invitation.tenantId).db.$transaction(async (tx) => {
    const claimed = await tx.invitation.updateMany({ where: { id: invitation.id, status: 'PENDING' }, data: { status: 'DECLINED', decidedAt: new Date() } })
    if (claimed.count === 0) throw notFound()
    await recordAudit(tx, inviteeActor(user), { action: 'invitation.decline', target: `invitation/${invitation.id}` })
  })
  return { ok: true }
}
