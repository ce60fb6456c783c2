import { TRPCError } from '@trpc/server'
import { z } from 'zod'
import { ROLES } from '../auth/permissions'
import { effectiveTokenRole, generateToken, roleAbove } from '../auth/api-tokens'
import { limitTokenCreation } from '../auth/rate-limit'
import { recordAudit } from '../audit/audit-log'
import { permissionProcedure, router } from '../trpc/init'
import { tokenCreators } from './token-creators'

// Never select tokenHash: it has no business leaving the database.
const TOKEN_SELECT = { id: true, name: true, role: true, createdById: true, createdAt: true, lastUsedAt: true, revokedAt: true } as const

export const tokensRouter = router({
  /**
   * Each token with the person it acts for (null once they are no longer a member) and its
   * effective role: at most the creator's current role, null when disabled (docs/decisions/013).
   */
  list: permissionProcedure('tokens:manage').query(async ({ ctx }) => {
    const rows = await ctx.db.apiToken.findMany({ select: TOKEN_SELECT, orderBy: { createdAt: 'desc' } })
    const creators = await tokenCreators(ctx.db, rows.map((r) => r.createdById))
    return rows.map(({ createdById, ...t }) => {
      const creator = createdById ? creators.get(createdById) : undefined
      return {
        ...t,
        creator: creator ? { userId: creator.userId, name: creator.name, email: creator.email } : null,
        effectiveRole: t.revokedAt ? null : effectiveTokenRole(t.role, creator?.role ?? null),
      }
    })
  }),

  /** Returns the secret once; only its hash is stored. */
  create: permissionProcedure('tokens:manage')
    .input(z.strictObject({ name: z.string().trim().min(1).max(100), role: z.enum(ROLES) }))
    .mutation(async ({ ctx, input }) => {
      // A token never outranks the person behind it. A token made by a token acts for the same
      // person as its parent, so no chain of tokens escapes that person's current role.
      if (roleAbove(input.role, ctx.role)) {
        throw new TRPCError({ code: 'FORBIDDEN', message: `A token cannot have a role above yours (${ctx.role.toLowerCase()})` })
      }
      const createdById = ctx.principal.kind === 'token' ? ctx.principal.token.creatorUserId : ctx.actor.userId
      await limitTokenCreation(ctx, createdById)
      const { token, tokenHash } = generateToken(ctx.tenantId)
      const { createdById: _creator, ...row } = await ctx.db.$transaction(async (tx) => {
        const created = await tx.apiToken.create({
          data: { tenantId: ctx.tenantId, name: input.name, role: input.role, tokenHash, createdById },
          select: TOKEN_SELECT,
        })
        await recordAudit(tx, ctx.tenantId, ctx.actor, { action: 'token.create', target: `token/${created.id}`, after: { name: input.name, role: input.role, createdById } })
        return created
      })
      return { ...row, token }
    }),

  revoke: permissionProcedure('tokens:manage')
    .input(z.strictObject({ id: z.string().min(1).max(100) }))
    .mutation(async ({ ctx, input }) => {
      const done = await ctx.db.$transaction(async (tx) => {
        const res = await tx.apiToken.updateMany({ where: { id: input.id, revokedAt: null }, data: { revokedAt: new Date() } })
        if (res.count === 0) return false
        await recordAudit(tx, ctx.tenantId, ctx.actor, { action: 'token.revoke', target: `token/${input.id}` })
        return true
      })
      if (!done) throw new TRPCError({ code: 'NOT_FOUND', message: 'Token not found' })
      return { ok: true }
    }),
})
