// Record change events (customers, deals, cases): what a write announces after it commits, and
// what `customers/deals/cases.onChanged` stream to clients. The subscription side (replay buffer,
// tracked ids) lives beside it in server/realtime; writers only call `announceRecordChange`.
import type { EventBus } from './event-bus'

export const RECORD_ENTITIES = ['customer', 'deal', 'case'] as const
export type RecordEntity = (typeof RECORD_ENTITIES)[number]

export type RecordChange = {
  entity: RecordEntity
  id: string
  version: number
  kind: 'created' | 'updated' | 'deleted'
  /** Who made the change. */
  by: { userId: string | null; tokenId: string | null; label: string }
  /** Names of the fields that changed (custom fields as `data.<name>`). */
  fields: string[]
  at: string
}

export const recordTopic = (entity: RecordEntity) => `${entity}.changed`

/**
 * Call after the write's transaction has committed; never throws (see EventBus.append). The event
 * goes into the tenant's bounded recent-event buffer for the entity, which gives it its id (ordered
 * like the buffer), and out to every instance's subscribers.
 */
export async function announceRecordChange(bus: EventBus, tenantId: string, change: RecordChange): Promise<void> {
  await bus.append(tenantId, recordTopic(change.entity), change)
}
