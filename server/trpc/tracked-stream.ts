// Domain and realtime streams yield `{ id, data }` (server/realtime/buffered-stream.ts); a
// subscription hands tRPC each item as `tracked(id, data)`, so a reconnecting client resumes from
// the last id it saw (`lastEventId`). The one place that conversion happens.
import { tracked, type TrackedEnvelope } from '@trpc/server'
import type { StreamItem } from '../realtime/buffered-stream'
import { shareSerialization } from './shared-frames'
import { SubscriptionStream } from './subscription-stream'

function toTracked<T>(item: StreamItem<T>): TrackedEnvelope<T> {
  // A live event's `data` is one object for every subscriber of the process: serialized once.
  shareSerialization(item.data)
  return tracked(item.id, item.data)
}

export function trackedStream<T>(items: AsyncIterable<StreamItem<T>>): SubscriptionStream<StreamItem<T>, TrackedEnvelope<T>> {
  // The subscription's one wrapper: the middlewares hook into it (init.ts) rather than wrap it again.
  return new SubscriptionStream(items, toTracked)
}
