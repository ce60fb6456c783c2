// The automation engine end to end, with the worker on (opt-in: useAutomationWorker): the default
// config's automations acting on records as the acceptance says, the loop guard, the dry
// run that changes nothing, an admin's retry of a failed run that re-runs only its failed step,
// and webhook actions against a local receiver (signed with a tenant secret, retried, failed).
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { RequestApproval } from '../../server/automation/actions'
import { fireTenantSchedules } from '../../server/automation/schedules'
import { verifyPulse8Signature } from '../../server/automation/webhook-delivery'
import { tenantScope } from '../../server/kernel'
import { useHarness } from '../support/harness'
import { useAutomationWorker } from '../support/automation-worker'
import { publishItems } from '../support/config-changes'
import { waitFor } from '../support/wait'
import { expectTRPCError } from '../support/trpc-error'
import { startWebhookReceiver, type WebhookReceiver } from '../support/webhook-receiver'

const h = useHarness()

// The approvals hook, switchable: off until the retry test turns it on.
const approvals = { enabled: false, calls: [] as unknown[] }
const requestApproval: RequestApproval = async (_scope, _actor, input) => {
  if (!approvals.enabled) throw new Error('approvals are not available yet')
  approvals.calls.push(input)
  return { requestId: `approval-${approvals.calls.length}` }
}
// Webhooks may reach the local receiver, and retry after at most 1 ms instead of seconds.
useAutomationWorker(h, { deps: { requestApproval, env: { WEBHOOK_ALLOW_PRIVATE: true, WEBHOOK_RETRY_BASE_MS: 1 } } })

type Caller = Awaited<ReturnType<typeof h.asUser>>
let admin: Caller
let manager: Caller
let agent: Caller
let customerId: string

beforeAll(async () => {
  h.services.automationHooks = { requestApproval }
  admin = await h.asUser('admin@acme.test', 'acme')
  manager = await h.asUser('manager@acme.test', 'acme')
  agent = await h.asUser('agent@acme.test', 'acme')
  // A second agent, so round-robin has a turn to take.
  const invitation = await admin.members.add({ email: 'agent2@acme.test', name: 'Second Agent', role: 'AGENT', initialPassword: 'second-agent-password' })
  await (await h.asUser('agent2@acme.test')).invitations.accept({ id: invitation.id })
  customerId = (await admin.customers.create({ values: { name: 'Automation Customer' } })).id
})

/** The run of `automationKey` for the record once it has finished (the worker is polling). */
async function finishedRun(automationKey: string, recordId: string) {
  return waitFor(
    async () => {
      const { items } = await manager.automations.runs({ automationKey, recordId })
      return items.find((r) => r.status !== 'running' && r.status !== 'pending')
    },
    { timeoutMs: 15_000, message: () => `no finished ${automationKey} run for ${recordId}` },
  )
}

/** Waits until the outbox has nothing left to do (so counts taken afterwards are stable). */
async function outboxSettled() {
  await waitFor(async () => (await h.services.db.outboxEvent.count({ where: { status: 'pending' } })) === 0, { timeoutMs: 15_000 })
}

async function notificationsOf(email: string) {
  return (await (await h.asUser(email, 'acme')).notifications.list({ limit: 100 })).items.map((n) => n.title)
}

describe('the default config runs', () => {
  it('an urgent case is assigned round-robin across agents and every manager is told', async () => {
    const agents = (await admin.members.list()).filter((m) => m.role === 'AGENT').map((m) => m.userId)
    expect(agents).toHaveLength(2)
    const first = await agent.cases.create({ values: { subject: 'Server down', customerId, priority: 'urgent' } })
    const second = await agent.cases.create({ values: { subject: 'Printer on fire', customerId, priority: 'urgent' } })
    const runs = [await finishedRun('escalate-urgent', first.id), await finishedRun('escalate-urgent', second.id)]
    for (const run of runs) {
      expect(run).toMatchObject({ status: 'succeeded', matched: true, conditions: [{ key: 'is-urgent', result: true }] })
      expect(run.steps.map((s) => [s.actionKey, s.status, s.attempts])).toEqual([
        ['notify-managers', 'succeeded', 1],
        ['assign-agents', 'succeeded', 1],
      ])
    }
    const assignees = [(await agent.cases.get({ id: first.id })).assignee, (await agent.cases.get({ id: second.id })).assignee]
    expect(new Set(assignees)).toEqual(new Set(agents))
    expect(await notificationsOf('manager@acme.test')).toEqual(expect.arrayContaining(['Urgent case: Server down', 'Urgent case: Printer on fire']))
    // The assignment is the automation's, in the record's history.
    const history = await h.services.db.activity.findMany({ where: { recordId: first.id, kind: 'updated' } })
    expect(history.map((a) => a.actor)).toEqual(['automation: escalate-urgent'])
  })

  it('a case that is not urgent gets a skipped run that says why', async () => {
    const calm = await agent.cases.create({ values: { subject: 'Question about invoices', customerId, priority: 'normal' } })
    const run = await finishedRun('escalate-urgent', calm.id)
    expect(run).toMatchObject({ status: 'skipped', matched: false, conditions: [{ key: 'is-urgent', result: false }], reason: 'conditions not met: is-urgent' })
    expect((await agent.cases.get({ id: calm.id })).assignee).toBeNull()
  })

  it('filters runs by start time (from / to, inclusive) and refuses a date the database cannot store', async () => {
    const calm = await agent.cases.create({ values: { subject: 'Time range probe', customerId, priority: 'normal' } })
    const run = await finishedRun('escalate-urgent', calm.id)
    const at = run.startedAt
    const ids = async (range: { from?: Date; to?: Date }) => (await manager.automations.runs({ recordId: calm.id, ...range })).items.map((r) => r.id)
    expect(await ids({ from: at, to: at })).toContain(run.id)
    expect(await ids({ from: new Date(at.getTime() + 1) })).not.toContain(run.id)
    expect(await ids({ to: new Date(at.getTime() - 1) })).not.toContain(run.id)
    await expectTRPCError(manager.automations.runs({ from: new Date('+010000-01-01T00:00:00Z') }), 'BAD_REQUEST')
  })

  it('a customer raised to gold gets the vip tag and an onboarding case', async () => {
    const customer = await manager.customers.create({ values: { name: 'Goldfinch Ltd' } })
    await manager.customers.update({ id: customer.id, expectedVersion: customer.version, values: { data: { tier: 'gold' } } })
    const run = await finishedRun('onboard-gold-customer', customer.id)
    expect(run).toMatchObject({ status: 'succeeded', conditions: [{ key: 'became-gold', result: true }] })
    expect((await manager.customers.get({ id: customer.id })).tags).toEqual(['vip'])
    const cases = await manager.cases.list({ filter: { field: 'customerId', op: 'eq', value: customer.id } })
    expect(cases.rows.map((c) => [c.subject, c.priority])).toEqual([['Gold onboarding', 'high']])
  })

  it('a deal moved to won notifies the managers and its owner', async () => {
    const agentId = (await admin.members.list()).find((m) => m.email === 'agent@acme.test')!.userId
    const deal = await manager.deals.create({ values: { name: 'Big Contract', customerId, owner: agentId } })
    await manager.deals.update({ id: deal.id, expectedVersion: deal.version, values: { stage: 'won' } })
    expect(await finishedRun('celebrate-won-deal', deal.id)).toMatchObject({ status: 'succeeded' })
    expect(await notificationsOf('manager@acme.test')).toContain('Deal won: Big Contract')
    expect(await notificationsOf('agent@acme.test')).toContain('Deal won: Big Contract')
  })
})

describe('the loop guard', () => {
  it('stops two automations that set each other’s trigger field, and logs why', async () => {
    await publishItems(admin as never, [
      { namespace: 'triggers', entity: 'case', key: 'status-changed', content: { event: 'record.updated', fields: ['status'] } },
      { namespace: 'triggers', entity: 'case', key: 'channel-changed', content: { event: 'record.updated', fields: ['channel'] } },
      { namespace: 'conditions', entity: 'case', key: 'is-loop-probe', content: { when: { field: 'subject', op: 'startsWith', value: 'Loop' } } },
      // channel is a custom field (data.channel), status a built-in one: both kinds of write.
      { namespace: 'actions', entity: 'case', key: 'toggle-channel', content: { type: 'setField', field: 'channel', value: 'phone' } },
      { namespace: 'actions', entity: 'case', key: 'toggle-status', content: { type: 'setField', field: 'status', value: 'pending' } },
      {
        namespace: 'automations',
        entity: '-',
        key: 'ping',
        content: {
          label: 'Ping',
          entity: 'case',
          trigger: 'status-changed',
          conditions: ['is-loop-probe'],
          actions: ['toggle-channel'],
          enabled: true,
          order: 100,
        },
      },
      {
        namespace: 'automations',
        entity: '-',
        key: 'pong',
        content: {
          label: 'Pong',
          entity: 'case',
          trigger: 'channel-changed',
          conditions: ['is-loop-probe'],
          actions: ['toggle-status'],
          enabled: true,
          order: 110,
        },
      },
    ])
    const probe = await agent.cases.create({ values: { subject: 'Loop probe', customerId, data: { channel: 'email' } } })
    await agent.cases.update({ id: probe.id, expectedVersion: probe.version, values: { status: 'open' } })
    // open → ping sets channel → pong sets status → ping again for the same record: stopped.
    const stopped = await waitFor(
      async () => (await manager.automations.runs({ recordId: probe.id, status: 'skipped' })).items.find((r) => r.reason?.startsWith('loop guard')),
      { timeoutMs: 15_000 },
    )
    expect(stopped).toMatchObject({ automationKey: 'ping', chain: [`ping:${probe.id}`, `pong:${probe.id}`, `ping:${probe.id}`] })
    expect(stopped.reason).toBe('loop guard: ping already ran for this record in this chain')
    await outboxSettled()
    const runs = (await manager.automations.runs({ recordId: probe.id })).items.filter((r) => ['ping', 'pong'].includes(r.automationKey))
    expect(runs.map((r) => [r.automationKey, r.status]).reverse()).toEqual([
      ['ping', 'succeeded'],
      ['pong', 'succeeded'],
      ['ping', 'skipped'],
    ])
    const final = await agent.cases.get({ id: probe.id })
    expect([final.status, final.data.channel]).toEqual(['pending', 'phone'])
  })
})

describe('the dry run', () => {
  async function counts() {
    const db = h.services.db
    const tenantId = h.tenantId('acme')
    return {
      customers: await db.customer.count({ where: { tenantId } }),
      cases: await db.case.count({ where: { tenantId } }),
      deals: await db.deal.count({ where: { tenantId } }),
      activity: await db.activity.count({ where: { tenantId } }),
      audit: await db.auditEntry.count({ where: { tenantId } }),
      notifications: await db.notification.count({ where: { tenantId } }),
      outbox: await db.outboxEvent.count({ where: { tenantId } }),
      runs: await db.automationRun.count({ where: { tenantId } }),
      cursors: await db.roundRobinCursor.findMany({ where: { tenantId } }),
    }
  }

  it('changes nothing, explains a non-match and says what each action would do', async () => {
    await outboxSettled()
    const calm = await agent.cases.create({ values: { subject: 'Dry run target', customerId, priority: 'normal' } })
    await finishedRun('escalate-urgent', calm.id)
    await outboxSettled()
    const before = await counts()

    const miss = await manager.automations.dryRun({ automationKey: 'escalate-urgent', recordId: calm.id })
    expect(miss.matched).toBe(false)
    expect(miss.conditions).toEqual([{ key: 'is-urgent', result: false, why: 'Priority is "normal", expected eq "urgent"' }])
    expect(miss.steps.map((s) => s.wouldDo)).toEqual([
      'Notify Max Manager: "Urgent case: Dry run target"',
      expect.stringMatching(/^Set Assignee to .+ \(the next agent in turn\)$/),
    ])

    const raised = await manager.automations.dryRun({ automationKey: 'escalate-reprioritised', recordId: calm.id, change: { values: { priority: 'urgent' } } })
    expect(raised).toMatchObject({ matched: true, trigger: { event: 'record.updated', result: true }, conditions: [{ key: 'became-urgent', result: true }] })
    const untouched = await manager.automations.dryRun({ automationKey: 'escalate-reprioritised', recordId: calm.id, change: { values: { subject: 'Other' } } })
    expect(untouched.trigger).toEqual({ event: 'record.updated', result: false, why: 'The change does not touch priority' })

    const inline = await manager.automations.dryRun({
      automation: { label: 'Tag it', entity: 'case', trigger: 'case-created', conditions: [], actions: ['assign-agents'], enabled: true, order: 1 },
      recordId: calm.id,
    })
    expect(inline.matched).toBe(true)

    expect(await counts()).toEqual(before)
  })

  it('refuses bad input as BAD_REQUEST and a missing automation or record as NOT_FOUND', async () => {
    await expectTRPCError(manager.automations.dryRun({ automation: { label: 'x' }, recordId: customerId }), 'BAD_REQUEST')
    await expectTRPCError(manager.automations.dryRun({ recordId: customerId }), 'BAD_REQUEST')
    await expectTRPCError(manager.automations.dryRun({ automationKey: 'no-such-automation', recordId: customerId }), 'NOT_FOUND')
    await expectTRPCError(manager.automations.dryRun({ automationKey: 'escalate-urgent', recordId: 'no-such-case' }), 'NOT_FOUND')
  })
})

describe('retrying a failed run', () => {
  it('re-runs only the failed step, as an admin', async () => {
    await publishItems(admin as never, [
      { namespace: 'conditions', entity: 'deal', key: 'is-approval-probe', content: { when: { field: 'name', op: 'startsWith', value: 'Approval' } } },
      { namespace: 'triggers', entity: 'deal', key: 'deal-created', content: { event: 'record.created' } },
      { namespace: 'actions', entity: 'deal', key: 'notify-owner-created', content: { type: 'notify', roles: ['MANAGER'], message: 'New deal: {{name}}' } },
      { namespace: 'actions', entity: 'deal', key: 'ask-approval', content: { type: 'requestApproval', approval: 'large-discount' } },
      {
        namespace: 'automations',
        entity: '-',
        key: 'approve-new-deals',
        content: {
          label: 'Approve new deals',
          entity: 'deal',
          trigger: 'deal-created',
          conditions: ['is-approval-probe'],
          actions: ['notify-owner-created', 'ask-approval'],
          enabled: true,
          order: 200,
        },
      },
    ])
    const deal = await manager.deals.create({ values: { name: 'Approval probe', customerId } })
    const failed = await finishedRun('approve-new-deals', deal.id)
    expect(failed).toMatchObject({ status: 'failed', reason: 'ask-approval: approvals are not available yet' })
    expect(failed.steps.map((s) => [s.status, s.attempts, s.error])).toEqual([
      ['succeeded', 1, undefined],
      ['failed', 1, 'approvals are not available yet'],
    ])

    await expectTRPCError(manager.automations.retry({ id: failed.id }), 'FORBIDDEN')
    approvals.enabled = true
    const retried = await admin.automations.retry({ id: failed.id })
    expect(retried.status).toBe('succeeded')
    expect(retried.steps.map((s) => [s.status, s.attempts])).toEqual([
      ['succeeded', 1],
      ['succeeded', 2],
    ])
    expect(approvals.calls).toEqual([
      { ruleKey: 'large-discount', entity: 'deal', recordId: deal.id, configVersion: failed.configVersion, idempotencyKey: `${failed.id}:1` },
    ])
    expect((await notificationsOf('manager@acme.test')).filter((t) => t === 'New deal: Approval probe')).toHaveLength(1)
    // A run that is not failed cannot be retried.
    await expectTRPCError(admin.automations.retry({ id: failed.id }), 'CONFLICT')
    expect(await admin.automations.run({ id: failed.id })).toMatchObject({ status: 'succeeded' })
  })
})

describe('schedules', () => {
  it('fire once per tick however many instances look, and run their automation', async () => {
    await publishItems(admin as never, [
      { namespace: 'triggers', entity: 'case', key: 'new-year-morning', content: { event: 'schedule', cron: '0 10 1 1 *', timeZone: 'Europe/Berlin' } },
      { namespace: 'actions', entity: 'case', key: 'notify-new-year', content: { type: 'notify', roles: ['MANAGER'], message: 'Happy new year' } },
      {
        namespace: 'automations',
        entity: '-',
        key: 'new-year',
        content: { label: 'New year', entity: 'case', trigger: 'new-year-morning', conditions: [], actions: ['notify-new-year'], enabled: true, order: 300 },
      },
    ])
    const scope = tenantScope(h.services.db, h.tenantId('acme'))
    // 10:00 in Berlin is 09:00 UTC in January; a minute later the tick is still due.
    const now = new Date('2030-01-01T09:01:00Z')
    const fired = [await fireTenantSchedules(scope, h.services, now), await fireTenantSchedules(scope, h.services, now)]
    expect(fired).toEqual([1, 0])
    // Long after the tick (an instance was down): not fired late.
    expect(await fireTenantSchedules(scope, h.services, new Date('2030-01-01T12:00:00Z'))).toBe(0)
    const run = await waitFor(async () => (await manager.automations.runs({ automationKey: 'new-year' })).items.find((r) => r.status === 'succeeded'), {
      timeoutMs: 15_000,
    })
    expect(run).toMatchObject({ event: 'schedule', recordId: null, matched: true })
    expect((await notificationsOf('manager@acme.test')).filter((t) => t === 'Happy new year')).toHaveLength(1)
  })
})

describe('webhook actions', () => {
  let receiver: WebhookReceiver
  let secret: string

  beforeAll(async () => {
    // /flaky fails twice, then answers 200; /down always fails.
    receiver = await startWebhookReceiver((request, nth) => (request.path === '/flaky' && nth > 2 ? 200 : request.path === '/flaky' ? 500 : 503))
    secret = (await admin.secrets.create({ name: 'hook-signing' })).value
    const hook = (key: string, condition: string, action: string, prefix: string) => [
      { namespace: 'conditions', entity: 'customer', key: condition, content: { when: { field: 'name', op: 'startsWith', value: prefix } } },
      {
        namespace: 'automations',
        entity: '-',
        key,
        content: { label: key, entity: 'customer', trigger: 'hook-probe-created', conditions: [condition], actions: [action], enabled: true, order: 400 },
      },
    ]
    await publishItems(admin as never, [
      { namespace: 'triggers', entity: 'customer', key: 'hook-probe-created', content: { event: 'record.created' } },
      {
        namespace: 'actions',
        entity: 'customer',
        key: 'call-flaky',
        content: { type: 'webhook', url: receiver.url('/flaky'), secretRef: 'hook-signing', retries: 3 },
      },
      {
        namespace: 'actions',
        entity: 'customer',
        key: 'call-down',
        content: { type: 'webhook', url: receiver.url('/down'), secretRef: 'hook-signing', retries: 2 },
      },
      ...hook('flaky-hook', 'is-flaky-hook-probe', 'call-flaky', 'Flaky hook'),
      ...hook('down-hook', 'is-down-hook-probe', 'call-down', 'Down hook'),
    ])
  })
  afterAll(async () => {
    await receiver?.close()
  })

  it('a receiver failing twice (500) then answering 200: one success, 3 deliveries of one id, each validly signed', async () => {
    const customer = await manager.customers.create({ values: { name: 'Flaky hook probe' } })
    const run = await finishedRun('flaky-hook', customer.id)
    expect(run.status).toBe('succeeded')
    // The step ran once; the delivery inside it took 3 attempts.
    expect(run.steps.map((s) => [s.actionKey, s.status, s.attempts, s.result])).toEqual([['call-flaky', 'succeeded', 1, { status: 200, attempts: 3 }]])
    const hits = receiver.to('/flaky')
    expect(hits.map((r) => r.answered)).toEqual([500, 500, 200])
    expect(hits.map((r) => r.headers['pulse8-delivery'])).toEqual(Array(3).fill(`${run.id}:0`))
    for (const r of hits) {
      expect(verifyPulse8Signature(r.headers['pulse8-signature'] as string, r.body, secret)).toBe(true)
      expect(verifyPulse8Signature(r.headers['pulse8-signature'] as string, r.body, `${secret}x`)).toBe(false)
      expect(JSON.parse(r.body)).toMatchObject({
        event: { type: 'record.created', entity: 'customer', recordId: customer.id, automation: 'flaky-hook' },
        record: { id: customer.id, name: 'Flaky hook probe' },
      })
    }
  })

  it('a receiver that always fails: the run is failed after the retries, with the error in words, and not run again', async () => {
    const customer = await manager.customers.create({ values: { name: 'Down hook probe' } })
    const run = await finishedRun('down-hook', customer.id)
    expect(run).toMatchObject({ status: 'failed', reason: 'call-down: Webhook failed after 3 attempt(s): HTTP 503' })
    expect(run.steps.map((s) => [s.actionKey, s.status, s.attempts, s.error])).toEqual([
      ['call-down', 'failed', 1, 'Webhook failed after 3 attempt(s): HTTP 503'],
    ])
    // The first attempt and `retries: 2` more, all signed; then the event is done, not retried.
    await outboxSettled()
    const hits = receiver.to('/down')
    expect(hits.map((r) => r.answered)).toEqual([503, 503, 503])
    for (const r of hits) expect(verifyPulse8Signature(r.headers['pulse8-signature'] as string, r.body, secret)).toBe(true)
    expect((await h.services.db.outboxEvent.findFirstOrThrow({ where: { recordId: customer.id, type: 'record.created' } })).status).toBe('done')
    expect((await manager.automations.runs({ automationKey: 'down-hook', recordId: customer.id })).items).toHaveLength(1)
  })
})
