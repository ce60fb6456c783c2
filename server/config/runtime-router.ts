import { z } from 'zod'
import { router, tenantProcedure } from '../trpc/init'
import { liveSnapshot } from './live-config'

export const runtimeRouter = router({
  /**
   * The live config snapshot the CRM renders and the server enforces (any member, any token).
   * `minVersion`: a version the caller heard was published; the answer is never older than that.
   */
  config: tenantProcedure
    .meta({
      access: 'tenant',
      openapi: { method: 'GET', path: '/runtime/config', summary: 'The live config snapshot (GET /api/runtime/config adds an ETag)', tags: ['Config'] },
    })
    .input(z.strictObject({ minVersion: z.int32().min(0).optional() }).optional())
    .query(({ ctx, input }) => liveSnapshot(ctx.services.runtimeConfig, ctx.scope, { minVersion: input?.minVersion })),
})
