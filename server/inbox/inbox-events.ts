// New inbox messages: what message ingestion and replies announce, and what `inbox.onMessage`
// streams (through the bounded recent-event buffer, like record changes).
import type { TenantScope } from '../kernel'
import { streamBuffered } from '../realtime/buffered-stream'
import type { EventBus } from '../realtime/event-bus'

export const INBOX_MESSAGE_TOPIC = 'inbox.message'

export type InboxMessageEvent = {
  messageId: string
  threadId: string
  direction: 'inbound' | 'outbound'
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
    map: (payload) => ({ type: 'message', ...(payload as InboxMessageEvent) }),
  })
}
