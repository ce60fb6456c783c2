import { router, tenantProcedure } from '../trpc/init'

export const runtimeRouter = router({
  /** The live config snapshot the CRM renders and the server enforces (any member, any token). */
  config: tenantProcedure.query(({ ctx }) => ctx.services.runtimeConfig.get(ctx.tenantId)),
})
