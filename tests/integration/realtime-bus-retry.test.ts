// A publish that times out on a connection that never dropped (Redis stalled, then went on) is
// retried without waiting for a reconnect that never comes: the soak in issue #16 found
// `busPendingRetries: 1` stuck for minutes. Needs REDIS_URL.
import { randomUUID } from 'node:crypto'
import { afterAll, describe, expect, it } from 'vitest'
import { silentLogger } from '../../server/logger'
import { createRedisBus, type BusEvent, type EventBus } from '../../server/realtime/event-bus'
import { startTcpProxy, type TcpProxy } from '../support/instances'
import { waitFor } from '../support/wait'

const REDIS_URL = process.env.REDIS_URL
if (!REDIS_URL) console.log('realtime-bus-retry.test.ts skipped: set REDIS_URL to run it (it stalls a connection to Redis)')

describe.skipIf(!REDIS_URL)('event bus retries after a command timeout while connected', () => {
  let proxy: TcpProxy | undefined
  let bus: EventBus | undefined
  let listener: EventBus | undefined
  afterAll(async () => {
    proxy?.thaw()
    await bus?.close()
    await listener?.close()
    await proxy?.stop()
  })

  it('retries on a timer and ends with nothing pending; the event arrives (a duplicate at most)', async () => {
    const prefix = `test:${randomUUID()}:`
    proxy = await startTcpProxy(REDIS_URL!)
    bus = createRedisBus(proxy.url, silentLogger, { prefix })
    listener = createRedisBus(REDIS_URL!, silentLogger, { prefix })
    const heard: BusEvent[] = []
    listener.subscribe('t1', 'ping', (e) => heard.push(e))
    await listener.listening('t1', 'ping')
    await waitFor(() => bus!.status().connected, { message: () => 'the bus never connected through the proxy' })

    proxy.freeze()
    const event = { tenantId: 't1', topic: 'ping', id: randomUUID(), payload: { n: 1 } }
    await bus.publish(event) // times out (commandTimeout) on a connection that stays open
    expect(bus.status()).toMatchObject({ connected: true, publishFailures: 1, pendingRetries: 1 })
    proxy.thaw()

    await waitFor(() => bus!.status().pendingRetries === 0, { timeoutMs: 10_000, message: () => `still pending: ${JSON.stringify(bus!.status())}` })
    await waitFor(() => heard.some((e) => e.id === event.id), { message: () => 'the event never arrived' })
    expect(bus.status().connected).toBe(true)
  })
})
