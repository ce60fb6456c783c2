// Domain and realtime streams yield `{ id, data }` (server/realtime/buffered-stream.ts); a
// subscription hands tRPC each item as `tracked(id, data)`, so a reconnecting client resumes from
// the last id it saw (`lastEventId`). The one place that conversion happens.
import { tracked, type TrackedEnvelope } from '@trpc/server'
import type { StreamItem } from '../realtime/buffered-stream'

export async function* trackedStream<T>(items: AsyncIterable<StreamItem<T>>): AsyncGenerator<TrackedEnvelope<T>, void, unknown> {
  // for-await ends the source (its `finally` unsubscribes from the bus) when the subscription stops.
  for await (const item of items) yield tracked(item.id, item.data)
}
