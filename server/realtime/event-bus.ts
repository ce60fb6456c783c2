// One event bus, two implementations: Redis pub/sub when REDIS_URL is set (so every app instance
// sees every event), an in-process emitter otherwise. Channels are tenant-scoped by construction:
// callers name a tenant and a topic, never a raw channel.
import { EventEmitter } from 'node:events'
import { Redis } from 'ioredis'
import type { Logger } from '../logger'

export type BusEvent = { topic: string; tenantId: string; id: string; payload: unknown }
export type BusHandler = (event: BusEvent) => void

export interface EventBus {
  readonly kind: 'memory' | 'redis'
  /** Never throws: a failed publish is logged and counted, it must not undo the write that caused it. */
  publish(event: BusEvent): Promise<void>
  subscribe(tenantId: string, topic: string, handler: BusHandler): () => void
  status(): { kind: 'memory' | 'redis'; connected: boolean; publishFailures: number }
  close(): Promise<void>
}

export function channelOf(tenantId: string, topic: string, prefix = 'pulse8:'): string {
  return `${prefix}t:${tenantId}:${topic}`
}

export function createMemoryBus(): EventBus {
  const emitter = new EventEmitter()
  emitter.setMaxListeners(0)
  return {
    kind: 'memory',
    async publish(event) {
      emitter.emit(channelOf(event.tenantId, event.topic), event)
    },
    subscribe(tenantId, topic, handler) {
      const ch = channelOf(tenantId, topic)
      emitter.on(ch, handler)
      return () => emitter.off(ch, handler)
    },
    status: () => ({ kind: 'memory', connected: true, publishFailures: 0 }),
    async close() {
      emitter.removeAllListeners()
    },
  }
}

export function createRedisBus(url: string, logger: Logger, prefix = 'pulse8:'): EventBus {
  const retryStrategy = (times: number) => Math.min(50 * 2 ** times, 2_000)
  // One publisher and one subscriber connection per process; ioredis reconnects with backoff and
  // re-subscribes the subscriber's channels itself.
  const pub = new Redis(url, { retryStrategy, maxRetriesPerRequest: 1, enableOfflineQueue: false, lazyConnect: false })
  const sub = new Redis(url, { retryStrategy, maxRetriesPerRequest: null })
  const emitter = new EventEmitter()
  emitter.setMaxListeners(0)
  const counts = new Map<string, number>()
  let publishFailures = 0
  for (const conn of [pub, sub]) conn.on('error', (err) => logger.debug('redis error', { error: String(err) }))
  sub.on('message', (channel: string, message: string) => {
    try {
      emitter.emit(channel, JSON.parse(message) as BusEvent)
    } catch (err) {
      logger.warn('bad bus message', { channel, error: String(err) })
    }
  })
  return {
    kind: 'redis',
    async publish(event) {
      try {
        await pub.publish(channelOf(event.tenantId, event.topic, prefix), JSON.stringify(event))
      } catch (err) {
        publishFailures++
        logger.warn('bus publish failed', { topic: event.topic, error: String(err) })
      }
    },
    subscribe(tenantId, topic, handler) {
      const ch = channelOf(tenantId, topic, prefix)
      emitter.on(ch, handler)
      const n = (counts.get(ch) ?? 0) + 1
      counts.set(ch, n)
      if (n === 1) sub.subscribe(ch).catch((err) => logger.warn('bus subscribe failed', { ch, error: String(err) }))
      return () => {
        emitter.off(ch, handler)
        const left = (counts.get(ch) ?? 1) - 1
        if (left > 0) return void counts.set(ch, left)
        counts.delete(ch)
        sub.unsubscribe(ch).catch(() => undefined)
      }
    },
    status: () => ({ kind: 'redis', connected: pub.status === 'ready' && sub.status === 'ready', publishFailures }),
    async close() {
      emitter.removeAllListeners()
      await Promise.allSettled([pub.quit(), sub.quit()])
    },
  }
}
