// New inbox messages: what message ingestion and replies announce, and what `inbox.onMessage`
// streams (through the bounded recent-event buffer, like record changes).
import type { TenantScope } from '../kernel'
import { streamBuffered } from '../realtime/buffered-stream'
import type { EventBus } from '../realtime/event-bus'

export const INBOX_MESSAGE_TOPIC = 'inbox.message'

export type InboxMessageEvent = {
  messageId: string
  threadId: string
  /** An internal note is announced too (open conversations show it), but never sent. */
  direction: 'inbound' | 'outbound' | 'note'
  /** Sender as shown in the inbox (a name or address). */
  from: string
  /** The first characters of the text, for a toast or the thread list. */
  preview: string
  caseId: string | null
  at: string
}

/** Call after the message's transaction has committed; never throws. */
export async function announceInboxMessage(bus: EventBus, tenantId: string, message: InboxMessageEvent): Promise<void> {
  await bus.append(tenantId, INBOX_MESSAGE_TOPIC, message)
}

/** The stream behind `inbox.onMessage`: the tenant's new messages, resumable from `lastEventId`. */
export function inboxMessages(
  scope: Pick<TenantScope, 'tenantId'>,
  input: { lastEventId: string | null | undefined; signal: AbortSignal | undefined },
  deps: { bus: EventBus },
) {
  return streamBuffered<{ type: 'message' } & InboxMessageEvent>({
    bus: deps.bus,
    tenantId: scope.tenantId,
    topic: INBOX_MESSAGE_TOPIC,
    lastEventId: input.lastEventId,
    signal: input.signal,
    sharedAs: 'inbox messages',
    map: (payload) => ({ type: 'message', ...(payload as InboxMessageEvent) }),
  })
}

export const INBOX_THREAD_TOPIC = 'inbox.thread'

/** A thread changed (assignee, status, case link, a new message): open inboxes refresh that row. */
export type InboxThreadEvent = {
  threadId: string
  /** What changed, for the one announcing it: created, message, assigned, status, case. */
  change: 'created' | 'message' | 'assigned' | 'status' | 'case'
  status: string
  assigneeId: string | null
  caseId: string | null
  version: number
  by: string
  at: string
}

/** Call after the change's transaction has committed; never throws. */
export async function announceThreadChange(bus: EventBus, tenantId: string, event: InboxThreadEvent): Promise<void> {
  await bus.append(tenantId, INBOX_THREAD_TOPIC, event)
}

/** The stream behind `inbox.onThreadChanged`, resumable from `lastEventId`. */
export function inboxThreadChanges(
  scope: Pick<TenantScope, 'tenantId'>,
  input: { lastEventId: string | null | undefined; signal: AbortSignal | undefined },
  deps: { bus: EventBus },
) {
  return streamBuffered<{ type: 'thread' } & InboxThreadEvent>({
    bus: deps.bus,
    tenantId: scope.tenantId,
    topic: INBOX_THREAD_TOPIC,
    lastEventId: input.lastEventId,
    signal: input.signal,
    sharedAs: 'inbox threads',
    map: (payload) => ({ type: 'thread', ...(payload as InboxThreadEvent) }),
  })
}
