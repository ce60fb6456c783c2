// The stream behind `customers/deals/cases.onChanged`: a tenant's record changes of one entity,
// resumable from the client's last event id (replay from the bus buffer, then live). A plain
// generator over the generic buffered stream; the procedure is in record-router.ts.
import type { Entity } from '../config-language'
import type { TenantScope } from '../kernel'
import type { EventBus } from '../realtime/event-bus'
import { streamBuffered } from '../realtime/buffered-stream'
import { recordTopic, type RecordChange } from './record-events'

/** What `onChanged` streams: a change (`type: 'changed'`), or "you missed too much: reload". */
export type RecordChangeItem = { type: 'changed' } & RecordChange

export function recordChanges(
  scope: Pick<TenantScope, 'tenantId'>,
  input: { entity: Entity; lastEventId: string | null | undefined; signal: AbortSignal | undefined },
  deps: { bus: EventBus },
) {
  return streamBuffered<RecordChangeItem>({
    bus: deps.bus,
    tenantId: scope.tenantId,
    topic: recordTopic(input.entity),
    lastEventId: input.lastEventId,
    signal: input.signal,
    sharedAs: `records ${input.entity}`,
    map: (payload) => ({ type: 'changed', ...(payload as RecordChange) }),
  })
}
