// The signed-in person's own invitations: a session procedure, no tenant needed. Invitations are
// found by the person's account email across tenants (that is their nature, like a user's
// memberships), then changed only through the inviting tenant's client, in its audit log.
import { TRPCError } from '@trpc/server'
import { z } from 'zod'
import { authedProcedure, router } from '../trpc/init'
import { forTenant } from '../db/tenant-db'
import { recordAudit } from '../audit/audit-log'
import type { Services } from '../trpc/context'

const id = z.strictObject({ id: z.string().min(1).max(100) })

// One message for a missing id, someone else's, an expired or an already decided one.
const notFound = () => new TRPCError({ code: 'NOT_FOUND', message: 'Invitation not found' })

const isUniqueViolation = (err: unknown) => (err as { code?: string } | null)?.code === 'P2002'

/** The caller's own pending, unexpired invitation with this id, or NOT_FOUND. */
async function ownPending(services: Services, user: { email: string }, invitationId: string) {
  const invitation = await services.db.invitation.findFirst({
    where: { id: invitationId, email: user.email.toLowerCase(), status: 'PENDING', expiresAt: { gt: new Date() } },
    select: { tenantId: true, id: true, role: true },
  })
  if (!invitation) throw notFound()
  return invitation
}

export const invitationsRouter = router({
  /** Pending invitations addressed to the signed-in person's email. */
  list: authedProcedure.query(async ({ ctx }) => {
    const rows = await ctx.services.db.invitation.findMany({
      where: { email: ctx.user.email.toLowerCase(), status: 'PENDING', expiresAt: { gt: new Date() } },
      select: { id: true, role: true, createdAt: true, expiresAt: true, tenant: { select: { id: true, name: true } } },
      orderBy: { createdAt: 'asc' },
    })
    return rows.map((r) => ({ id: r.id, role: r.role, createdAt: r.createdAt, expiresAt: r.expiresAt, tenant: { tenantId: r.tenant.id, name: r.tenant.name } }))
  }),

  /** Joins the tenant with the invited role: membership and status change in one transaction. */
  accept: authedProcedure.input(id).mutation(async ({ ctx, input }) => {
    const invitation = await ownPending(ctx.services, ctx.user, input.id)
    const actor = { userId: ctx.user.id, tokenId: null }
    const db = forTenant(ctx.services.db, invitation.tenantId)
    const role = await db.$transaction(async (tx) => {
      const claimed = await tx.invitation.updateMany({ where: { id: invitation.id, status: 'PENDING' }, data: { status: 'ACCEPTED', decidedAt: new Date() } })
      if (claimed.count === 0) throw notFound() // decided meanwhile (a second tab, a revoke)
      // Someone who joined meanwhile (another invitation) keeps the role they have.
      const existing = await tx.membership.findFirst({ where: { userId: ctx.user.id }, select: { role: true } })
      if (!existing) await tx.membership.create({ data: { tenantId: invitation.tenantId, userId: ctx.user.id, role: invitation.role } })
      await recordAudit(tx, invitation.tenantId, actor, { action: 'invitation.accept', target: `invitation/${invitation.id}`, after: { role: invitation.role } })
      if (!existing) await recordAudit(tx, invitation.tenantId, actor, { action: 'member.add', target: `user/${ctx.user.id}`, after: { role: invitation.role, invitation: invitation.id } })
      return existing?.role ?? invitation.role
    }).catch((err: unknown) => {
      if (isUniqueViolation(err)) throw new TRPCError({ code: 'CONFLICT', message: 'You joined this tenant meanwhile' })
      throw err
    })
    const tenant = await ctx.services.db.tenant.findUniqueOrThrow({ where: { id: invitation.tenantId }, select: { id: true, name: true, slug: true } })
    return { tenantId: tenant.id, slug: tenant.slug, name: tenant.name, role }
  }),

  decline: authedProcedure.input(id).mutation(async ({ ctx, input }) => {
    const invitation = await ownPending(ctx.services, ctx.user, input.id)
    await forTenant(ctx.services.db, invitation.tenantId).$transaction(async (tx) => {
      const claimed = await tx.invitation.updateMany({ where: { id: invitation.id, status: 'PENDING' }, data: { status: 'DECLINED', decidedAt: new Date() } })
      if (claimed.count === 0) throw notFound()
      await recordAudit(tx, invitation.tenantId, { userId: ctx.user.id, tokenId: null }, { action: 'invitation.decline', target: `invitation/${invitation.id}` })
    })
    return { ok: true }
  }),
})
