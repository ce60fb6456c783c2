// Invitations (docs/decisions/014-invitations.md): nobody becomes a member of a tenant without
// accepting. An admin invites an email; the answer is the invitation's own fields, the same whether
// or not an account exists for that email, so inviting reveals nothing about other tenants or
// about who has an account. The invitee sees it after signing in and accepts or declines it.
import { TRPCError } from '@trpc/server'
import type { Role } from '../db/client'
import type { TenantDb } from '../db/tenant-db'
import type { Actor } from '../trpc/init'
import { recordAudit } from '../audit/audit-log'

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
export async function invite(ctx: { db: TenantDb; tenantId: string; actor: Actor }, input: { email: string; role: Role }) {
  const member = await ctx.db.membership.findFirst({ where: { user: { email: input.email } }, select: { userId: true } })
  if (member) throw new TRPCError({ code: 'CONFLICT', message: 'Already a member' })
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
      await recordAudit(tx, ctx.tenantId, ctx.actor, {
        action: pending ? 'invitation.renew' : 'invitation.create',
        target: `invitation/${invitation.id}`,
        after: { email: input.email, role: input.role },
      })
      return invitation
    })
    .catch((err: unknown) => {
      // Two admins inviting the same email at the same moment: one wins, the other is told.
      if (isUniqueViolation(err)) throw new TRPCError({ code: 'CONFLICT', message: 'An invitation for this email was just created' })
      throw err
    })
}
