import { TRPCError } from '@trpc/server'
import { z } from 'zod'
import type { Role } from '../db/client'
import { ROLES } from '../auth/permissions'
import { hashPassword, PASSWORD_MIN_LENGTH } from '../auth/password'
import { recordAudit } from '../audit/audit-log'
import { permissionProcedure, router } from '../trpc/init'
import type { TenantDb } from '../db/tenant-db'
import { INVITATION_SELECT, invite } from '../invitations/invitations'
import { applyMemberChangeToTokens } from '../tokens/token-creators'

const role = z.enum(ROLES)
const userId = z.string().min(1).max(100)
const email = z.email().max(254).transform((e) => e.toLowerCase())

const MEMBER_SELECT = {
  userId: true,
  role: true,
  createdAt: true,
  user: { select: { email: true, name: true } },
} as const

type MemberRow = { userId: string; role: Role; createdAt: Date; user: { email: string; name: string } }
const toMember = (m: MemberRow) => ({ userId: m.userId, email: m.user.email, name: m.user.name, role: m.role, since: m.createdAt })

async function findMember(db: TenantDb, id: string) {
  const m = await db.membership.findFirst({ where: { userId: id }, select: MEMBER_SELECT })
  if (!m) throw new TRPCError({ code: 'NOT_FOUND', message: 'Member not found' })
  return m
}

type Tx = Parameters<Parameters<TenantDb['$transaction']>[0]>[0]

/**
 * The last admin can neither leave nor be demoted: a tenant must always have someone in charge.
 * Runs inside the change's transaction and locks the tenant's admin rows, so two admins demoting
 * each other at once are serialised and the second one sees that only one admin is left.
 */
async function assertNotLastAdmin(tx: Tx, tenantId: string, member: { role: Role }) {
  if (member.role !== 'ADMIN') return
  const admins = await tx.$queryRaw<{ userId: string }[]>`
    SELECT "userId" FROM "Membership" WHERE "tenantId" = ${tenantId} AND "role" = 'ADMIN' FOR UPDATE`
  if (admins.length <= 1) throw new TRPCError({ code: 'CONFLICT', message: 'A tenant needs at least one admin' })
}


export const membersRouter = router({
  list: permissionProcedure('members:read').query(async ({ ctx }) => {
    const rows = await ctx.db.membership.findMany({ select: MEMBER_SELECT, orderBy: { createdAt: 'asc' } })
    return rows.map(toMember)
  }),

  /**
   * Who the tenant's members are, by name only: what record pages need to show an owner or an
   * assignee to anyone who may read CRM data (read-only users may not list members' emails/roles).
   */
  names: permissionProcedure('crm:read').query(async ({ ctx }) => {
    const rows = await ctx.db.membership.findMany({ select: { userId: true, user: { select: { name: true } } }, orderBy: { createdAt: 'asc' } })
    return rows.map((m) => ({ userId: m.userId, name: m.user.name }))
  }),

  /**
   * Invites an email to the tenant with a role: a pending invitation whether or not an account
   * exists for it; the person joins only by accepting (invitations.accept). The answer is the
   * invitation's own fields, identical in both cases (docs/decisions/014-invitations.md).
   */
  invite: permissionProcedure('members:manage')
    .input(z.strictObject({ email, role }))
    .mutation(({ ctx, input }) => invite(ctx, input)),

  /**
   * `invite` for a person who may have no account yet: when none exists for the email, it is
   * created with the name and initial password given here (shared with them out of band); an
   * existing account is left exactly as it is. Name and password are required either way, and the
   * answer is the same invitation as `invite` gives, so nothing tells whether the account existed.
   */
  add: permissionProcedure('members:manage')
    .input(
      z.strictObject({
        email,
        role,
        name: z.string().trim().min(1).max(100),
        initialPassword: z.string().min(PASSWORD_MIN_LENGTH).max(200),
      }),
    )
    .mutation(async ({ ctx, input }) => {
      // Hashed whether or not it is used, so both cases take the same time.
      const passwordHash = await hashPassword(input.initialPassword)
      const invitation = await invite(ctx, input)
      // Only the global user table is touched here (members may: docs/decisions/004). An account
      // that exists, or that someone registers at this very moment, is kept as it is.
      await ctx.services.db.user
        .createMany({ data: [{ email: input.email, name: input.name, passwordHash }], skipDuplicates: true })
      return invitation
    }),

  /** The tenant's pending invitations (expired ones included, with their expiry). */
  invitations: permissionProcedure('members:manage').query(({ ctx }) =>
    ctx.db.invitation.findMany({ where: { status: 'PENDING' }, select: INVITATION_SELECT, orderBy: { createdAt: 'asc' } }),
  ),

  revokeInvitation: permissionProcedure('members:manage')
    .input(z.strictObject({ id: z.string().min(1).max(100) }))
    .mutation(async ({ ctx, input }) => {
      const done = await ctx.db.$transaction(async (tx) => {
        const res = await tx.invitation.updateMany({ where: { id: input.id, status: 'PENDING' }, data: { status: 'REVOKED', decidedAt: new Date() } })
        if (res.count === 0) return false
        await recordAudit(tx, ctx.tenantId, ctx.actor, { action: 'invitation.revoke', target: `invitation/${input.id}` })
        return true
      })
      if (!done) throw new TRPCError({ code: 'NOT_FOUND', message: 'Invitation not found' })
      return { ok: true }
    }),

  setRole: permissionProcedure('members:manage')
    .input(z.strictObject({ userId, role }))
    .mutation(async ({ ctx, input }) => {
      const member = await findMember(ctx.db, input.userId)
      if (member.role === input.role) return toMember(member)
      const updated = await ctx.db.$transaction(async (tx) => {
        if (input.role !== 'ADMIN') await assertNotLastAdmin(tx, ctx.tenantId, member)
        const m = await tx.membership.update({
          where: { tenantId_userId: { tenantId: ctx.tenantId, userId: input.userId } },
          data: { role: input.role },
          select: MEMBER_SELECT,
        })
        // Their tokens act with at most their new role (docs/decisions/013-token-role.md).
        const tokens = await applyMemberChangeToTokens(tx, ctx.tenantId, ctx.actor, input.userId, member.role, input.role)
        await recordAudit(tx, ctx.tenantId, ctx.actor, {
          action: 'member.setRole',
          target: `user/${input.userId}`,
          before: { role: member.role },
          after: { role: input.role, tokens },
        })
        return m
      })
      return toMember(updated)
    }),

  remove: permissionProcedure('members:manage')
    .input(z.strictObject({ userId }))
    .mutation(async ({ ctx, input }) => {
      const member = await findMember(ctx.db, input.userId)
      await ctx.db.$transaction(async (tx) => {
        await assertNotLastAdmin(tx, ctx.tenantId, member)
        await tx.membership.delete({ where: { tenantId_userId: { tenantId: ctx.tenantId, userId: input.userId } } })
        // Their tokens stop working with them (docs/decisions/013-token-role.md).
        const tokens = await applyMemberChangeToTokens(tx, ctx.tenantId, ctx.actor, input.userId, member.role, null)
        await recordAudit(tx, ctx.tenantId, ctx.actor, { action: 'member.remove', target: `user/${input.userId}`, before: { role: member.role }, after: { tokens } })
      })
      return { ok: true }
    }),
})
