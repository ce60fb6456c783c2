// Workers wake on commit (decision 018): a record write signals `automation.outbox` after its
// commit, so an idle worker runs the automation at once instead of at its next poll. The worker
// here polls once a minute, so only the signal can make it run within the deadline. With REDIS_URL
// also: a signal sent on one instance's bus reaches another's, coalesced per event-loop turn.
import { randomUUID } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { OUTBOX_SIGNAL } from '../../server/automation/outbox'
import { silentLogger } from '../../server/logger'
import { createMemoryBus, createRedisBus, type EventBus } from '../../server/realtime/event-bus'
import { useAutomationWorker } from '../support/automation-worker'
import { useHarness } from '../support/harness'
import { waitFor } from '../support/wait'

const h = useHarness()
const POLL_MS = 60_000
useAutomationWorker(h, { pollMs: POLL_MS })

const REDIS_URL = process.env.REDIS_URL
if (!REDIS_URL) console.log('automation-wake.test.ts: the Redis signal test is skipped: set REDIS_URL to run it')

describe('an idle worker', () => {
  it('runs a new event at once after the commit, not at its next poll', async () => {
    const manager = await h.asUser('manager@acme.test', 'acme')
    // Whatever the seed left for the worker is done: its first round is over and it sleeps.
    await waitFor(async () => (await h.services.db.outboxEvent.count({ where: { status: 'pending' } })) === 0, { timeoutMs: 15_000 })
    const started = Date.now()
    const customer = await manager.customers.create({ values: { name: 'Woken by the commit' } })
    const event = await waitFor(
      async () => {
        const e = await h.services.db.outboxEvent.findFirst({ where: { recordId: customer.id, type: 'record.created' } })
        return e?.status === 'done' ? e : null
      },
      { timeoutMs: POLL_MS / 4, message: () => 'the worker did not run the event before its next poll' },
    )
    expect(event.attempts).toBe(1)
    expect(Date.now() - started).toBeLessThan(POLL_MS / 4)
  })
})

describe('bus signals', () => {
  it('reach this process once per event-loop turn, and stop after unsubscribing', async () => {
    const bus = createMemoryBus()
    let heard = 0
    const off = bus.onSignal(OUTBOX_SIGNAL, () => heard++)
    bus.signal(OUTBOX_SIGNAL)
    bus.signal(OUTBOX_SIGNAL)
    await waitFor(() => heard === 1)
    bus.signal('another-topic')
    bus.signal(OUTBOX_SIGNAL)
    await waitFor(() => heard === 2)
    off()
    bus.signal(OUTBOX_SIGNAL)
    // A handler still subscribed proves the unsubscribed one would have been called by now.
    let proof = 0
    bus.onSignal(OUTBOX_SIGNAL, () => proof++)
    bus.signal(OUTBOX_SIGNAL)
    await waitFor(() => proof === 1)
    expect(heard).toBe(2)
    await bus.close()
  })

  it.skipIf(!REDIS_URL)('reach the other instances through Redis', async () => {
    const prefix = `test:${randomUUID()}:`
    const buses: EventBus[] = [createRedisBus(REDIS_URL!, silentLogger, prefix), createRedisBus(REDIS_URL!, silentLogger, prefix)]
    const [a, b] = buses as [EventBus, EventBus]
    try {
      let heardByB = 0
      b.onSignal(OUTBOX_SIGNAL, () => heardByB++)
      // Redis confirms the SUBSCRIBE asynchronously: signal until B hears one.
      await waitFor(
        () => {
          a.signal(OUTBOX_SIGNAL)
          return heardByB > 0
        },
        { timeoutMs: 5_000, intervalMs: 50, message: () => 'instance B never heard instance A' },
      )
    } finally {
      for (const bus of buses) await bus.close()
    }
  })
})
