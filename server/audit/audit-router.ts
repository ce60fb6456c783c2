import { z } from 'zod'
import { permissionProcedure, router } from '../trpc/init'

export const auditRouter = router({
  /** Newest first, filtered by actor, action, target and date range; cursor-paginated. */
  list: permissionProcedure('audit:read')
    .input(
      z.strictObject({
        actorUserId: z.string().optional(),
        action: z.string().max(100).optional(),
        target: z.string().max(300).optional(),
        from: z.coerce.date().optional(),
        to: z.coerce.date().optional(),
        cursor: z.string().optional(),
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
