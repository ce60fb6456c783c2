// Approvals at run time (issue 12, decision 022): the default rule `approvals/deal/large-discount`
// (a discount above 20% needs a manager, locks amount and discount) starting on a record write,
// locking its fields on every write path, decided, withdrawn, and cancelled by a publish.
import { beforeAll, describe, expect, it } from 'vitest'
import { useHarness } from '../support/harness'
import { expectTRPCError } from '../support/trpc-error'

const h = useHarness()

type Caller = Awaited<ReturnType<typeof h.asUser>>
let agent: Caller
let manager: Caller
let admin: Caller
let viewer: Caller
let customerId: string

async function discountedDeal(name: string, discountPercent = 25) {
  return agent.deals.create({ values: { name, customerId, amount: 10_000, data: { discountPercent } } })
}

async function notificationTitles(caller: Caller) {
  return (await caller.notifications.list({ limit: 100 })).items.map((n) => n.title)
}

async function outboxOf(recordId: string, type: string) {
  return h.services.db.outboxEvent.findMany({ where: { tenantId: h.tenantId('acme'), recordId, type }, orderBy: { seq: 'asc' } })
}

beforeAll(async () => {
  agent = await h.asUser('agent@acme.test', 'acme')
  manager = await h.asUser('manager@acme.test', 'acme')
  admin = await h.asUser('admin@acme.test', 'acme')
  viewer = await h.asUser('viewer@acme.test', 'acme')
  customerId = (await agent.customers.create({ values: { name: 'Approvals Test GmbH' } })).id
})

describe('approval requests', () => {
  it('a 25% discount by an agent: pending, managers notified, amount and discount locked for everyone', async () => {
    const deal = await discountedDeal('Discounted renewal')
    const read = await agent.deals.get({ id: deal.id })
    expect(read.approval).toMatchObject({ ruleKey: 'large-discount', status: 'pending', step: 0, lockedFields: ['amount', 'discountPercent'] })
    expect((await agent.deals.list({ search: 'Discounted renewal' })).rows[0]!.approval?.requestId).toBe(read.approval!.requestId)

    expect(await notificationTitles(manager)).toContain('Approval needed: Discount above 20% on deal "Discounted renewal"')
    expect(await notificationTitles(agent)).not.toContain('Approval needed: Discount above 20% on deal "Discounted renewal"')

    // Locked for the agent and for the manager alike, whatever the route: CONFLICT naming request and fields.
    for (const caller of [agent, manager]) {
      const err = await expectTRPCError(caller.deals.update({ id: deal.id, expectedVersion: 1, values: { amount: 9_000 } }), 'CONFLICT')
      expect(err.message).toMatch(/Amount is locked while the approval "Discount above 20%" is pending/)
      expect((err as unknown as { shape?: { data?: { conflict?: unknown } } }).shape?.data?.conflict ?? (err.cause as { details?: unknown })?.details).toEqual({
        requestId: read.approval!.requestId,
        ruleKey: 'large-discount',
        fields: ['amount'],
      })
    }
    await expectTRPCError(agent.deals.update({ id: deal.id, expectedVersion: 1, values: { data: { discountPercent: 10 } } }), 'CONFLICT')
    // Other fields stay writable, and a second matching change opens no second request.
    const renamed = await agent.deals.update({ id: deal.id, expectedVersion: 1, values: { name: 'Discounted renewal (2027)' } })
    expect(renamed.version).toBe(2)
    const requests = await agent.approvals.forRecord({ entity: 'deal', id: deal.id })
    expect(requests.map((r) => r.status)).toEqual(['pending'])
    expect(requests[0]).toMatchObject({ canDecide: false, canWithdraw: true, steps: [{ approverRole: 'MANAGER', approvers: 'any manager' }] })
  })

  it('a manager approves with a comment: owner notified, fields unlocked, the engine gets onApprove, timeline and audit say so', async () => {
    const deal = await discountedDeal('Approved discount deal')
    const { approval } = await manager.deals.get({ id: deal.id })
    const queue = await manager.approvals.pending()
    expect(queue.items.map((r) => r.id)).toContain(approval!.requestId)
    expect((await agent.approvals.pending()).items.map((r) => r.id)).not.toContain(approval!.requestId)

    await expectTRPCError(agent.approvals.decide({ requestId: approval!.requestId, decision: 'approve', expectedStep: 0 }), 'FORBIDDEN')
    await expectTRPCError(viewer.approvals.decide({ requestId: approval!.requestId, decision: 'approve', expectedStep: 0 }), 'FORBIDDEN')
    await expectTRPCError(manager.approvals.decide({ requestId: approval!.requestId, decision: 'approve', expectedStep: 1 }), 'CONFLICT')

    const decided = await manager.approvals.decide({ requestId: approval!.requestId, decision: 'approve', comment: 'Strategic account', expectedStep: 0 })
    expect(decided).toMatchObject({ status: 'approved', decisions: [{ decision: 'approve', comment: 'Strategic account', actor: 'Max Manager' }] })
    await expectTRPCError(admin.approvals.decide({ requestId: approval!.requestId, decision: 'reject', expectedStep: 0 }), 'CONFLICT')

    expect(await notificationTitles(agent)).toContain('Discount above 20%: the request on deal "Approved discount deal" was approved')
    const events = await outboxOf(deal.id, 'approval.decided')
    expect(events.map((e) => e.payload)).toEqual([
      {
        requestId: approval!.requestId,
        ruleKey: 'large-discount',
        decision: 'approve',
        step: 0,
        status: 'approved',
        final: true,
        actions: ['notify-discount-approved'],
      },
    ])
    const activity = await h.services.db.activity.findMany({
      where: { tenantId: h.tenantId('acme'), recordId: deal.id, kind: 'approval' },
      orderBy: { createdAt: 'asc' },
    })
    expect(activity.map((a) => a.summary)).toEqual(['Approval requested: Discount above 20%', 'Approved (step 1): Discount above 20% — “Strategic account”'])
    const audit = await admin.audit.list({ target: approval!.requestId })
    expect(audit.items.map((a) => a.action).sort()).toEqual(['approval.approved', 'approval.requested'])

    // Approved once is approved: another edit leaves it alone...
    await agent.deals.update({ id: deal.id, expectedVersion: 1, values: { name: 'Approved discount deal (renamed)' } })
    expect((await agent.deals.get({ id: deal.id })).approval).toMatchObject({ status: 'approved', lockedFields: [] })
    expect(await agent.approvals.forRecord({ entity: 'deal', id: deal.id })).toHaveLength(1)
    // ...the fields are unlocked, and changing what was approved (a locked field) asks again.
    const after = await agent.deals.update({ id: deal.id, expectedVersion: 2, values: { amount: 12_000 } })
    expect(after.amount).toBe(12_000)
    expect((await agent.approvals.forRecord({ entity: 'deal', id: deal.id })).map((r) => r.status)).toEqual(['approved', 'pending'])
  })

  it('a manager rejects: owner notified, onReject handed to the engine, fields unlocked', async () => {
    const deal = await discountedDeal('Rejected discount deal', 40)
    const { approval } = await manager.deals.get({ id: deal.id })
    const decided = await manager.approvals.decide({ requestId: approval!.requestId, decision: 'reject', comment: 'Too steep', expectedStep: 0 })
    expect(decided.status).toBe('rejected')
    expect(await notificationTitles(agent)).toContain('Discount above 20%: the request on deal "Rejected discount deal" was rejected')
    expect((await outboxOf(deal.id, 'approval.decided'))[0]!.payload).toMatchObject({ decision: 'reject', actions: ['notify-discount-rejected'] })
    await agent.deals.update({ id: deal.id, expectedVersion: 1, values: { data: { discountPercent: 15 } } })
  })

  it('the submitter withdraws (nobody else may): fields unlock, no decision is recorded', async () => {
    const deal = await discountedDeal('Withdrawn discount deal')
    const { approval } = await agent.deals.get({ id: deal.id })
    await expectTRPCError(manager.approvals.withdraw({ requestId: approval!.requestId }), 'FORBIDDEN')
    const withdrawn = await agent.approvals.withdraw({ requestId: approval!.requestId })
    expect(withdrawn).toMatchObject({ status: 'withdrawn', decisions: [], reason: 'Withdrawn by Aggie Agent' })
    await expectTRPCError(agent.approvals.withdraw({ requestId: approval!.requestId }), 'CONFLICT')
    expect((await agent.deals.update({ id: deal.id, expectedVersion: 1, values: { amount: 1 } })).amount).toBe(1)
  })

  it('bad input is BAD_REQUEST, not a 500', async () => {
    await expectTRPCError(manager.approvals.decide({ requestId: 'x', decision: 'maybe' as 'approve', expectedStep: 0 }), 'BAD_REQUEST')
    await expectTRPCError(manager.approvals.decide({ requestId: 'x', decision: 'approve', expectedStep: 0, comment: 'x'.repeat(2001) }), 'BAD_REQUEST')
    await expectTRPCError(manager.approvals.decide({ requestId: 'missing', decision: 'approve', expectedStep: 0 }), 'NOT_FOUND')
  })

  it('a publish that removes the rule cancels its pending requests with a reason', async () => {
    const deal = await discountedDeal('Rule removed deal')
    const { approval } = await agent.deals.get({ id: deal.id })
    const address = { namespace: 'approvals' as const, entity: 'deal', key: 'large-discount' }
    const item = await admin.config.get(address)
    await admin.config.saveDraft({ ...address, expectedRevision: item.draftRevision, delete: true })
    const { version } = await admin.config.list()
    await admin.config.publish({ expectedVersion: version, message: 'no more discount approvals' })

    const [request] = await agent.approvals.forRecord({ entity: 'deal', id: deal.id })
    expect(request).toMatchObject({ id: approval!.requestId, status: 'cancelled' })
    expect(request!.reason).toMatch(/"large-discount" was removed by publishing version \d+/)
    expect((await agent.deals.update({ id: deal.id, expectedVersion: 1, values: { amount: 2 } })).amount).toBe(2)
    // And without the rule a new discount goes straight through.
    expect((await agent.deals.get({ id: (await discountedDeal('After removal')).id })).approval).toBeNull()
  })
})
