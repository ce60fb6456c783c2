// At least once, never twice: a worker that "dies" mid-run (it stalls forever after its first step,
// holding its lease) leaves the event to another worker once the lease runs out, and that worker
// finishes the run without applying the first step again. Two workers in one process over one
// database; the several-instance version with REDIS_URL is tests/integration/automation-instances.
// Also: a step whose success was never stored (a crash between the write and the run log) is not
// applied twice when the run is retried (createRecord finds its record through the outbox).
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { EngineHooks } from '../../server/automation/engine'
import { createAutomationWorker, type AutomationWorker } from '../../server/automation/worker'
import { useHarness } from '../support/harness'
import { waitFor } from '../support/wait'

const h = useHarness()
const workers: AutomationWorker[] = []

type Caller = Awaited<ReturnType<typeof h.asUser>>
let manager: Caller
let admin: Caller
let customerId: string

beforeAll(async () => {
  manager = await h.asUser('manager@acme.test', 'acme')
  admin = await h.asUser('admin@acme.test', 'acme')
  customerId = (await manager.customers.create({ values: { name: 'Idempotency Ltd' } })).id
})
afterAll(async () => {
  for (const w of workers) await w.stop(100)
})

function worker(id: string, hooks?: EngineHooks) {
  const w = createAutomationWorker({ ...h.services }, { id, pollMs: 20, leaseMs: 1_000, hooks })
  workers.push(w)
  return w
}

describe('a worker that dies mid-run', () => {
  it('leaves the event to another worker, which finishes it with no step applied twice', async () => {
    let stalled: { runId: string } | null = null
    const doomed = worker('doomed', {
      // After the first step's outcome is stored the worker "dies": it never returns, never
      // releases its lease, never marks the event.
      afterStep: ({ runId, stepIndex, automationKey }) => {
        if (automationKey !== 'escalate-urgent' || stepIndex !== 0) return
        stalled = { runId }
        return new Promise<void>(() => undefined)
      },
    })
    doomed.start()
    const kase = await manager.cases.create({ values: { subject: 'Outage in region 3', customerId, priority: 'urgent' } })
    await waitFor(() => stalled, { timeoutMs: 15_000, message: () => 'the doomed worker never reached its first step' })
    const event = await h.services.db.outboxEvent.findFirstOrThrow({ where: { recordId: kase.id, type: 'record.created' } })
    expect(event).toMatchObject({ status: 'pending', lockedBy: 'doomed', attempts: 1 })

    const rescuer = worker('rescuer')
    rescuer.start()
    const run = await waitFor(
      async () => {
        const r = await manager.automations.run({ id: stalled!.runId })
        return r.status === 'succeeded' ? r : null
      },
      { timeoutMs: 15_000, message: () => 'the rescuer did not finish the run' },
    )
    expect(run.steps.map((s) => [s.actionKey, s.status, s.attempts])).toEqual([
      ['notify-managers', 'succeeded', 1],
      ['assign-agents', 'succeeded', 1],
    ])
    const done = await waitFor(async () => {
      const e = await h.services.db.outboxEvent.findFirstOrThrow({ where: { id: event.id } })
      return e.status === 'done' ? e : null
    })
    expect(done.attempts).toBe(2)
    // One run for the event, one notification per manager, one assignment.
    expect(await h.services.db.automationRun.count({ where: { eventId: event.id, automationKey: 'escalate-urgent' } })).toBe(1)
    expect(await h.services.db.notification.count({ where: { title: 'Urgent case: Outage in region 3' } })).toBe(1)
    expect((await h.services.db.activity.findMany({ where: { recordId: kase.id, kind: 'updated' } })).map((a) => a.actor)).toEqual([
      'automation: escalate-urgent',
    ])
    expect((await manager.cases.get({ id: kase.id })).assignee).not.toBeNull()
    await doomed.stop(50)
  })

  it('a record write whose success was never logged is not applied again on retry', async () => {
    const customer = await manager.customers.create({ values: { name: 'Retry Gold' } })
    await manager.customers.update({ id: customer.id, expectedVersion: customer.version, values: { data: { tier: 'gold' } } })
    const run = await waitFor(
      async () => (await manager.automations.runs({ automationKey: 'onboard-gold-customer', recordId: customer.id, status: 'succeeded' })).items[0],
    )
    // As if the worker had died after creating the onboarding case but before logging it.
    const steps = run.steps.map((s, i) => (i === 1 ? { ...s, status: 'failed', error: 'lost' } : s))
    await h.services.db.automationRun.update({
      where: { tenantId_id: { tenantId: h.tenantId('acme'), id: run.id } },
      data: { status: 'failed', steps: JSON.parse(JSON.stringify(steps)) },
    })
    const retried = await admin.automations.retry({ id: run.id })
    expect(retried.status).toBe('succeeded')
    expect(retried.steps[1]).toMatchObject({ status: 'succeeded', attempts: 2, result: { entity: 'case', existing: true } })
    const onboarding = await manager.cases.list({ filter: { field: 'customerId', op: 'eq', value: customer.id } })
    expect(onboarding.rows.map((c) => c.subject)).toEqual(['Gold onboarding'])
    expect((await manager.customers.get({ id: customer.id })).tags).toEqual(['vip'])
  })
})
