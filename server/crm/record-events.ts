// Record change events (customers, deals, cases): what a write announces after it commits, and
// what `customers/deals/cases.onChanged` stream to clients (crm/record-changes.ts). The crm owns
// these topics; realtime only carries them (the bus and its recent-event buffer).
import type { Entity } from '../config-language'
import type { EventBus } from '../realtime/event-bus'

export type RecordChange = {
  entity: Entity
  id: string
  version: number
  kind: 'created' | 'updated' | 'deleted'
  /** Who made the change. */
  by: { userId: string | null; tokenId: string | null; label: string }
  /** Names of the fields that changed (custom fields as `data.<name>`). */
  fields: string[]
  at: string
}

export const recordTopic = (entity: Entity) => `${entity}.changed`

/**
 * Call after the write's transaction has committed; never throws (see EventBus.append). The event
 * goes into the tenant's bounded recent-event buffer for the entity, which gives it its id (ordered
 * like the buffer), and out to every instance's subscribers.
 */
export async function announceRecordChange(bus: EventBus, tenantId: string, change: RecordChange): Promise<void> {
  await bus.append(tenantId, recordTopic(change.entity), change)
}
