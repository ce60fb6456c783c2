// In-app notifications: what a producer (automations' notify action, approvals) announces, and what
// `notifications.onNew` streams to the people it is addressed to. Like record changes, they go
// through the bounded recent-event buffer, so a reconnecting client gets what it missed.
import type { Role } from '../db/client'
import type { TenantScope } from '../kernel'
import { streamBuffered } from '../realtime/buffered-stream'
import type { EventBus } from '../realtime/event-bus'

export const NOTIFICATION_TOPIC = 'notification.new'

export type Notification = {
  /** The producer's id for it (e.g. the notification row's id), for links and "mark as read". */
  id: string
  /** Who it is for: these users and/or every member with one of these roles. Absent: every member. */
  to?: { userIds?: string[]; roles?: Role[] }
  title: string
  body?: string
  /** An in-app path to open, e.g. `/cases/<id>`. */
  link?: string
  at: string
}

/** Whether a member (or token: userId null) with `role` is among the notification's recipients. */
export function isAddressedTo(n: Notification, who: { userId: string | null; role: Role }): boolean {
  if (!n.to) return true
  return (who.userId !== null && (n.to.userIds ?? []).includes(who.userId)) || (n.to.roles ?? []).includes(who.role)
}

/** Call after the producing write has committed; never throws. */
export async function announceNotification(bus: EventBus, tenantId: string, notification: Notification): Promise<void> {
  await bus.append(tenantId, NOTIFICATION_TOPIC, notification)
}

/** The stream behind `notifications.onNew`: new notifications addressed to `who`, resumable. */
export function notificationsFor(
  scope: Pick<TenantScope, 'tenantId'>,
  who: { userId: string | null; role: Role },
  input: { lastEventId: string | null | undefined; signal: AbortSignal | undefined },
  deps: { bus: EventBus },
) {
  return streamBuffered<{ type: 'notification' } & Notification>({
    bus: deps.bus,
    tenantId: scope.tenantId,
    topic: NOTIFICATION_TOPIC,
    lastEventId: input.lastEventId,
    signal: input.signal,
    // Who a notification is for decides what a subscriber gets: one result per person and role.
    sharedAs: `notifications ${who.userId ?? '-'} ${who.role}`,
    map: (payload) => {
      const n = payload as Notification
      return isAddressedTo(n, who) ? { type: 'notification', ...n } : null
    },
  })
}
