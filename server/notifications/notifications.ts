// The notification centre's service: notifications are stored per recipient (each with its own read
// state) inside the producer's transaction, and announced on `notifications.onNew` after it
// commits. Producers: the automations' notify action, approvals, SLA alerts.
import type { Role } from '../config-language'
import { NotFoundError, type TenantScope, type TenantTx } from '../kernel'
import { membersAmong, membersWithRole } from '../members/member-directory'
import type { EventBus } from '../realtime/event-bus'
import { announceNotification, type Notification } from './notification-events'

/** Column bounds of the Notification table, also the producers' truncation points. */
export const NOTIFICATION_LIMITS = { title: 200, body: 2_000, link: 500, source: 200 } as const

export type NotificationInput = {
  /** These members... */
  userIds?: readonly string[]
  /** ...and every member holding one of these roles (expanded when sent). */
  roles?: readonly Role[]
  title: string
  body?: string | null
  link?: string | null
  /** What produced it, e.g. `automation:escalate-urgent`. */
  source?: string | null
}

export type StoredNotification = {
  id: string
  userId: string
  title: string
  body: string | null
  link: string | null
  source: string | null
  readAt: Date | null
  createdAt: Date
}

const clip = (s: string | null | undefined, max: number) => (s == null ? null : s.length > max ? `${s.slice(0, max - 1)}…` : s)

/**
 * Stores one notification per recipient (members only: an id that is not a member of the tenant is
 * dropped; each member once however they were named). Call inside the producer's transaction; pass
 * the result to `announceNotifications` after it commits.
 */
export async function sendNotifications(tx: TenantTx, scope: TenantScope, input: NotificationInput): Promise<StoredNotification[]> {
  const named = input.userIds?.length ? [...(await membersAmong(scope, [...input.userIds], tx)).values()] : []
  const byRole = input.roles?.length ? await membersWithRole(scope, input.roles, tx) : []
  const recipients = [...new Set([...named.map((m) => m.userId), ...byRole.map((m) => m.userId)])]
  if (recipients.length === 0) return []
  const rows = recipients.map((userId) => ({
    tenantId: scope.tenantId,
    userId,
    title: clip(input.title, NOTIFICATION_LIMITS.title)!,
    body: clip(input.body, NOTIFICATION_LIMITS.body),
    link: clip(input.link, NOTIFICATION_LIMITS.link),
    source: clip(input.source, NOTIFICATION_LIMITS.source),
  }))
  return tx.notification.createManyAndReturn({ data: rows })
}

/** After commit: each stored notification to its recipient's live feed. Never throws. */
export async function announceNotifications(bus: EventBus, tenantId: string, sent: readonly StoredNotification[]): Promise<void> {
  for (const n of sent) {
    const event: Notification = {
      id: n.id,
      to: { userIds: [n.userId] },
      title: n.title,
      ...(n.body ? { body: n.body } : {}),
      ...(n.link ? { link: n.link } : {}),
      at: n.createdAt.toISOString(),
    }
    await announceNotification(bus, tenantId, event)
  }
}

/** The caller's notifications, newest first, with the unread count. A token without a person has none. */
export async function listNotifications(
  scope: TenantScope,
  who: { userId: string | null },
  input: { unreadOnly?: boolean; cursor?: string; limit?: number },
): Promise<{ items: StoredNotification[]; unread: number; nextCursor: string | null }> {
  let before: { createdAt: Date; id: string } | null = null
  if (input.cursor) {
    const at = who.userId
      ? await scope.db.notification.findFirst({ where: { id: input.cursor, userId: who.userId }, select: { createdAt: true, id: true } })
      : null
    if (!at) throw new NotFoundError('Notification not found')
    before = at
  }
  if (!who.userId) return { items: [], unread: 0, nextCursor: null }
  const limit = input.limit ?? 20
  const where = { userId: who.userId, ...(input.unreadOnly ? { readAt: null } : {}) }
  const [rows, unread] = await Promise.all([
    scope.db.notification.findMany({
      where: before ? { ...where, OR: [{ createdAt: { lt: before.createdAt } }, { createdAt: before.createdAt, id: { lt: before.id } }] } : where,
      orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
      take: limit + 1,
    }),
    scope.db.notification.count({ where: { userId: who.userId, readAt: null } }),
  ])
  const items = rows.slice(0, limit)
  return { items, unread, nextCursor: rows.length > limit ? items[items.length - 1]!.id : null }
}

/** Marks the caller's notifications read: the given ids (others' ids are ignored) or all. */
export async function markNotificationsRead(
  scope: TenantScope,
  who: { userId: string | null },
  input: { ids: string[] } | { all: true },
): Promise<{ updated: number; unread: number }> {
  if (!who.userId) return { updated: 0, unread: 0 }
  const where = 'all' in input ? { userId: who.userId, readAt: null } : { userId: who.userId, readAt: null, id: { in: input.ids } }
  const { count } = await scope.db.notification.updateMany({ where, data: { readAt: new Date() } })
  const unread = await scope.db.notification.count({ where: { userId: who.userId, readAt: null } })
  return { updated: count, unread }
}
