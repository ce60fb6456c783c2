// The `notifications` router. For now only the live feed; the notification list and "mark as read"
// come with their producers (automations).
import { router, tenantProcedure } from '../trpc/init'
import { resumeInput } from '../realtime/buffered-stream'
import { trackedStream } from '../trpc/tracked-stream'
import { notificationsFor } from './notification-events'

export const notificationsRouter = router({
  /** New notifications addressed to the caller (any member or token; tokens get role-addressed ones). */
  onNew: tenantProcedure
    .input(resumeInput)
    .subscription(({ ctx, input, signal }) =>
      trackedStream(notificationsFor(ctx.scope, { userId: ctx.actor.userId, role: ctx.role }, { lastEventId: input?.lastEventId, signal }, ctx.services)),
    ),
})
