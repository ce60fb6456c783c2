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

/** The last admin can neither leave nor be demoted: a tenant must always have someone in charge. */
async function assertNotLastAdmin(db: TenantDb, member: { role: Role }) {
  if (member.role !== 'ADMIN') return
  const admins = await db.membership.count({ where: { role: 'ADMIN' } })
  if (admins <= 1) throw new TRPCError({ code: 'CONFLICT', message: 'A tenant needs at least one admin' })
}

export const membersRouter = router({
  list: permissionProcedure('members:read').query(async ({ ctx }) => {
    const rows = await ctx.db.membership.findMany({ select: MEMBER_SELECT, orderBy: { createdAt: 'asc' } })
    return rows.map(toMember)
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
      const root = ctx.services.db
      let user = await root.user.findUnique({ where: { email: input.email }, select: { id: true } })
      if (!user) {
        if (!input.initialPassword || !input.name) {
          throw new TRPCError({ code: 'BAD_REQUEST', message: 'A new account needs a name and an initial password' })
        }
        user = await root.user.create({
          data: { email: input.email, name: input.name, passwordHash: await hashPassword(input.initialPassword) },
          select: { id: true },
        })
      }
      const existing = await ctx.db.membership.findFirst({ where: { userId: user.id }, select: { role: true } })
      if (existing) throw new TRPCError({ code: 'CONFLICT', message: 'Already a member' })
      const created = await ctx.db.$transaction(async (tx) => {
        const m = await tx.membership.create({
          data: { tenantId: ctx.tenantId, userId: user.id, role: input.role },
          select: MEMBER_SELECT,
        })
        await recordAudit(tx, ctx.tenantId, ctx.actor, { action: 'member.add', target: `user/${user.id}`, after: { role: input.role } })
        return m
      })
      return toMember(created)
    }),

  setRole: permissionProcedure('members:manage')
    .input(z.strictObject({ userId, role }))
    .mutation(async ({ ctx, input }) => {
      const member = await findMember(ctx.db, input.userId)
      if (member.role === input.role) return toMember(member)
      if (input.role !== 'ADMIN') await assertNotLastAdmin(ctx.db, member)
      const updated = await ctx.db.$transaction(async (tx) => {
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
      await assertNotLastAdmin(ctx.db, member)
      await ctx.db.$transaction(async (tx) => {
        await tx.membership.delete({ where: { tenantId_userId: { tenantId: ctx.tenantId, userId: input.userId } } })
        await recordAudit(tx, ctx.tenantId, ctx.actor, { action: 'member.remove', target: `user/${input.userId}`, before: { role: member.role } })
      })
      return { ok: true }
    }),
})
