// The `notifications` router. For now only the live feed; the notification list and "mark as read"
// come with their producers (automations).
import { router, tenantProcedure } from '../trpc/init'
import { resumeInput, streamBuffered } from '../realtime/buffered-stream'
import { trackedStream } from '../trpc/tracked-stream'
import { NOTIFICATION_TOPIC, isAddressedTo, type Notification } from '../realtime/notification-events'

export const notificationsRouter = router({
  /** New notifications addressed to the caller (any member or token; tokens get role-addressed ones). */
  onNew: tenantProcedure.input(resumeInput).subscription(({ ctx, input, signal }) =>
    trackedStream(
      streamBuffered<{ type: 'notification' } & Notification>({
        bus: ctx.services.bus,
        tenantId: ctx.scope.tenantId,
        topic: NOTIFICATION_TOPIC,
        lastEventId: input?.lastEventId,
        signal,
        map: (payload) => {
          const n = payload as Notification
          return isAddressedTo(n, { userId: ctx.actor.userId, role: ctx.role }) ? { type: 'notification', ...n } : null
        },
      }),
    ),
  ),
})
