// `customers/deals/cases.onChanged`: a ready subscription procedure per entity, for the CRM routers
// (`onChanged: recordChangesSubscription('customer')`). Any role that may read the CRM may listen.
import { permissionProcedure } from '../trpc/init'
import { resumeInput, streamBuffered, type RefetchEvent } from './buffered-stream'
import { trackedStream } from '../trpc/tracked-stream'
import { recordTopic, type RecordChange, type RecordEntity } from './record-events'

/** What `onChanged` streams: a change (`type: 'changed'`), or "you missed too much: reload". */
export type RecordChangeEvent = ({ type: 'changed' } & RecordChange) | RefetchEvent

export function recordChangesSubscription(entity: RecordEntity) {
  return permissionProcedure('crm:read')
    .input(resumeInput)
    .subscription(({ ctx, input, signal }) =>
      trackedStream(streamBuffered<{ type: 'changed' } & RecordChange>({
        bus: ctx.services.bus,
        tenantId: ctx.tenantId,
        topic: recordTopic(entity),
        lastEventId: input?.lastEventId,
        signal,
        map: (payload) => ({ type: 'changed', ...(payload as RecordChange) }),
      })),
    )
}
