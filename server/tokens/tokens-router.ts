// The `tokens` router: input schemas and one call each of the tokens service (tokens.ts).
import { z } from 'zod'
import { ROLES, TOKEN_SCOPES } from '../auth/permissions'
import { permissionProcedure, router } from '../trpc/init'
import { createToken, listTokens, revokeToken } from './tokens'

export const tokensRouter = router({
  /**
   * Each token with the person it acts for (null once they are no longer a member) and its
   * effective role: at most the creator's current role, null when disabled (docs/decisions/013).
   */
  list: permissionProcedure('tokens:manage').query(({ ctx }) => listTokens(ctx.scope)),

  /** Returns the secret once; only its hash is stored. `scope` limits what it may be used for (decision 024). */
  create: permissionProcedure('tokens:manage')
    .input(z.strictObject({ name: z.string().trim().min(1).max(100), role: z.enum(ROLES), scope: z.enum(TOKEN_SCOPES).optional() }))
    .mutation(({ ctx, input }) => createToken(ctx.scope, ctx.actor, input, { role: ctx.role, rateLimiter: ctx.services.rateLimiter })),

  revoke: permissionProcedure('tokens:manage')
    .input(z.strictObject({ id: z.string().min(1).max(100) }))
    .mutation(({ ctx, input }) => revokeToken(ctx.scope, ctx.actor, input, ctx.services.principals)),
})
