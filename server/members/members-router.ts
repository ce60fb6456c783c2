import { TRPCError } from '@trpc/server'
import { z } from 'zod'
import type { Role } from '../db/client'
import { ROLES } from '../auth/permissions'
import { hashPassword, PASSWORD_MIN_LENGTH } from '../auth/password'
import { recordAudit } from '../audit/audit-log'
import { permissionProcedure, router } from '../trpc/init'
import type { TenantDb } from '../db/tenant-db'

const role = z.enum(ROLES)
const userId = z.string().min(1).max(100)

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

const isUniqueViolation = (err: unknown) => (err as { code?: string } | null)?.code === 'P2002'

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
   * Adds a person to the tenant. An existing account just gains a membership; a new email gets an
   * account with the initial password given here (shared with them out of band).
   */
  add: permissionProcedure('members:manage')
    .input(
      z.strictObject({
        email: z.email().max(254).transform((e) => e.toLowerCase()),
        role,
        name: z.string().trim().min(1).max(100).optional(),
        initialPassword: z.string().min(PASSWORD_MIN_LENGTH).max(200).optional(),
      }),
    )
    .mutation(async ({ ctx, input }) => {
      if (await ctx.services.db.user.findUnique({ where: { email: input.email }, select: { id: true } })) {
        // An existing account: no password needed.
      } else if (!input.initialPassword || !input.name) {
        throw new TRPCError({ code: 'BAD_REQUEST', message: 'A new account needs a name and an initial password' })
      }
      const passwordHash = input.initialPassword ? await hashPassword(input.initialPassword) : null
      // One transaction for the account and the membership (members may touch the global user
      // table: docs/decisions/004), so a failure leaves neither behind.
      const created = await ctx.services.db
        .$transaction(async (tx) => {
          const user =
            (await tx.user.findUnique({ where: { email: input.email }, select: { id: true } })) ??
            (await tx.user.create({ data: { email: input.email, name: input.name!, passwordHash: passwordHash! }, select: { id: true } }))
          if (await tx.membership.findUnique({ where: { tenantId_userId: { tenantId: ctx.tenantId, userId: user.id } }, select: { role: true } })) {
            throw new TRPCError({ code: 'CONFLICT', message: 'Already a member' })
          }
          const m = await tx.membership.create({ data: { tenantId: ctx.tenantId, userId: user.id, role: input.role }, select: MEMBER_SELECT })
          await recordAudit(tx, ctx.tenantId, ctx.actor, { action: 'member.add', target: `user/${user.id}`, after: { role: input.role } })
          return m
        })
        .catch((err: unknown) => {
          // Two admins adding the same person at the same moment: one wins, the other is told.
          if (isUniqueViolation(err)) throw new TRPCError({ code: 'CONFLICT', message: 'Already a member' })
          throw err
        })
      return toMember(created)
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
        await recordAudit(tx, ctx.tenantId, ctx.actor, {
          action: 'member.setRole',
          target: `user/${input.userId}`,
          before: { role: member.role },
          after: { role: input.role },
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
        await recordAudit(tx, ctx.tenantId, ctx.actor, { action: 'member.remove', target: `user/${input.userId}`, before: { role: member.role } })
      })
      return { ok: true }
    }),
})
