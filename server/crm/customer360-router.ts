// customer360.get: one customer with its deals, its cases and the activity timeline of all three
// (the service is crm/customer360.ts).
import { z } from 'zod'
import { permissionProcedure, router } from '../trpc/init'
import { customer360 } from './customer360'
import { crmCall } from './record-router'

export type { ActivityRow } from './customer360'

export const customer360Router = router({
  /**
   * The customer (NOT_FOUND like customers.get), its newest 100 deals and cases (with totals), and
   * the newest 50 activity entries of the customer and its records (older ones with
   * `activityCursor` = the previous `activityNextCursor`).
   */
  get: permissionProcedure('crm:read')
    .input(z.strictObject({ id: z.string().min(1).max(100), activityCursor: z.string().max(100).optional() }))
    .query(({ ctx, input }) => {
      const { scope, actor, deps } = crmCall(ctx)
      return customer360(scope, actor, input, deps)
    }),
})
