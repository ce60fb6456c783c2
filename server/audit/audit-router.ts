import { z } from 'zod'
import { permissionProcedure, router } from '../trpc/init'
import { storableDate } from '../config-language/storable-date'
import { listAudit } from './audit-log'

export const auditRouter = router({
  /** Newest first, filtered by actor, action, target and date range; cursor-paginated. */
  list: permissionProcedure('audit:read')
    .input(
      z.strictObject({
        actorUserId: z.string().max(100).optional(),
        action: z.string().max(100).optional(),
        target: z.string().max(300).optional(),
        // Bounded to what the timestamp column holds: a year-0 or year-10000 range is bad input.
        from: storableDate.optional(),
        to: storableDate.optional(),
        cursor: z.string().max(100).optional(),
        limit: z.number().int().min(1).max(200).default(50),
      }),
    )
    .query(({ ctx, input }) => listAudit(ctx.scope, input)),
})
