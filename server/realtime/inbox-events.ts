// New inbox messages: what message ingestion and replies announce, and what `inbox.onMessage`
// streams (through the bounded recent-event buffer, like record changes).
import type { EventBus } from './event-bus'

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
