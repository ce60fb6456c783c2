// The `notifications` router: the caller's notification centre (list, mark read) and its live feed.
import { z } from 'zod'
import { router, tenantProcedure } from '../trpc/init'
import { resumeInput } from '../realtime/buffered-stream'
import { trackedStream } from '../trpc/tracked-stream'
import { notificationsFor } from './notification-events'
import { listNotifications, markNotificationsRead } from './notifications'

const idSchema = z.string().min(1).max(100)

export const notificationsRouter = router({
  /** The caller's notifications, newest first, with the unread count (any member; a token sees its person's). */
  list: tenantProcedure
    .input(z.strictObject({ unreadOnly: z.boolean().optional(), cursor: idSchema.optional(), limit: z.int().min(1).max(100).optional() }).optional())
    .query(({ ctx, input }) => listNotifications(ctx.scope, ctx.actor, input ?? {})),

  /** Marks the given notifications (or all) read; others' ids are ignored. */
  markRead: tenantProcedure
    .input(z.union([z.strictObject({ ids: z.array(idSchema).min(1).max(200) }), z.strictObject({ all: z.literal(true) })]))
    .mutation(({ ctx, input }) => markNotificationsRead(ctx.scope, ctx.actor, input)),

  /** New notifications addressed to the caller (any member or token; tokens get role-addressed ones). */
  onNew: tenantProcedure
    .input(resumeInput)
    .subscription(({ ctx, input, signal }) =>
      trackedStream(notificationsFor(ctx.scope, { userId: ctx.actor.userId, role: ctx.role }, { lastEventId: input?.lastEventId, signal }, ctx.services)),
    ),
})
