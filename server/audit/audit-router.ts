import { z } from 'zod'
import { permissionProcedure, router } from '../trpc/init'
import { storableDate } from '../config-language/storable-date'

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
    .query(async ({ ctx, input }) => {
      const rows = await ctx.db.auditEntry.findMany({
        where: {
          actorUserId: input.actorUserId,
          action: input.action ? { startsWith: input.action } : undefined,
          target: input.target ? { contains: input.target } : undefined,
          createdAt: input.from || input.to ? { gte: input.from, lte: input.to } : undefined,
        },
        orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
        take: input.limit + 1,
        cursor: input.cursor ? { tenantId_id: { tenantId: ctx.tenantId, id: input.cursor } } : undefined,
        skip: input.cursor ? 1 : 0,
      })
      const hasMore = rows.length > input.limit
      const items = hasMore ? rows.slice(0, input.limit) : rows
      return { items, nextCursor: hasMore ? items[items.length - 1]!.id : null }
    }),
})
