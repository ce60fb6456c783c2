import { TRPCError } from '@trpc/server'
import { z } from 'zod'
import { ROLES } from '../auth/permissions'
import { generateToken } from '../auth/api-tokens'
import { limitTokenCreation } from '../auth/rate-limit'
import { recordAudit } from '../audit/audit-log'
import { permissionProcedure, router } from '../trpc/init'

// Never select tokenHash: it has no business leaving the database.
const TOKEN_SELECT = { id: true, name: true, role: true, createdAt: true, lastUsedAt: true, revokedAt: true } as const

export const tokensRouter = router({
  list: permissionProcedure('tokens:manage').query(({ ctx }) =>
    ctx.db.apiToken.findMany({ select: TOKEN_SELECT, orderBy: { createdAt: 'desc' } }),
  ),

  /** Returns the secret once; only its hash is stored. */
  create: permissionProcedure('tokens:manage')
    .input(z.strictObject({ name: z.string().trim().min(1).max(100), role: z.enum(ROLES) }))
    .mutation(async ({ ctx, input }) => {
      await limitTokenCreation(ctx)
      const { token, tokenHash } = generateToken(ctx.tenantId)
      const row = await ctx.db.$transaction(async (tx) => {
        const created = await tx.apiToken.create({
          data: { tenantId: ctx.tenantId, name: input.name, role: input.role, tokenHash, createdById: ctx.actor.userId },
          select: TOKEN_SELECT,
        })
        await recordAudit(tx, ctx.tenantId, ctx.actor, { action: 'token.create', target: `token/${created.id}`, after: { name: input.name, role: input.role } })
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
