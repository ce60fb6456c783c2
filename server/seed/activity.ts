// The demo tenants' last two weeks of service work, so the dashboard's SLA, inbox and automation
// groups (and the inbox and run log) are not empty on a fresh start: conversations on several
// channels, some answered and assigned, a case opened from several of them with its SLA clock,
// and automation runs, a few of them failed. Deterministic per tenant; only into a tenant without
// inbox threads. Written directly (like records.ts): the clock columns come from the sla domain's
// own arithmetic (plannedTimes, the default policies), timers already past are marked fired at
// their moment, so the scanner fires nothing old on start.
import { buildConfigIndex, defaultConfig, slaPolicyFor } from '../config-language'
import { withoutSlowQueryLog, type Db } from '../db/client'
import { forTenant } from '../db/tenant-db'
import { metAt, nextTimerAt, plannedTimes, SLA_TIMERS, type SlaClock } from '../sla/sla-clock'
import { generator, seedId } from './records'

const MINUTE = 60_000
const HOUR = 60 * MINUTE
const DAY = 24 * HOUR

const CHANNELS = ['email', 'email', 'chat', 'sms', 'webform'] as const
const SUBJECTS = [
  'Invoice shows the wrong VAT',
  'Cannot log in after the update',
  'Parcel arrived damaged',
  'Change of delivery address',
  'Export to CSV times out',
  'Question about the annual plan',
]
const PRIORITIES = ['low', 'normal', 'normal', 'high', 'urgent'] as const
const AUTOMATIONS = ['escalate-urgent', 'escalate-reprioritised', 'sla-breach-alert', 'celebrate-won-deal'] as const
const CONVERSATIONS = 16
const RUNS = 40

export function seedDemoActivity(root: Db, tenantId: string, variant = 0): Promise<void> {
  return withoutSlowQueryLog(root, () => writeActivity(root, tenantId, variant))
}

async function writeActivity(root: Db, tenantId: string, variant: number): Promise<void> {
  const db = forTenant(root, tenantId)
  if ((await db.inboxThread.count()) > 0) return
  const customers = await db.customer.findMany({ select: { id: true, name: true, email: true }, orderBy: { createdAt: 'desc' }, take: 20 })
  if (customers.length === 0) return
  const members = (await db.membership.findMany({ select: { userId: true, role: true } })).filter((m) => m.role !== 'VIEWER').map((m) => m.userId)
  const rnd = generator(101 + variant)
  const index = buildConfigIndex(defaultConfig())
  const now = Date.now()
  const before = (t: number) => Math.min(t, now - MINUTE)
  const caseIds: string[] = []

  for (let i = 0; i < CONVERSATIONS; i++) {
    const customer = customers[i % customers.length]!
    // The first conversation came in 26 minutes ago, urgent and unanswered: at risk right now.
    const fresh = i === 0
    const start = fresh ? now - 26 * MINUTE : now - rnd.int(14 * DAY) - rnd.int(6 * HOUR) - HOUR
    const channel = fresh ? 'email' : rnd.pick(CHANNELS)
    const subject = rnd.pick(SUBJECTS)
    const inbound = [start, ...Array.from({ length: rnd.int(3) }, () => before(start + rnd.int(2 * DAY)))].sort((a, b) => a - b)
    const replyAt = !fresh && rnd.next() < 0.75 ? before(start + 5 * MINUTE + rnd.int(6 * HOUR)) : null
    const assigneeId = !fresh && members.length && rnd.next() < 0.6 ? rnd.pick(members) : null
    const status = replyAt && rnd.next() < 0.5 ? 'closed' : replyAt && rnd.next() < 0.3 ? 'pending' : 'open'
    const threadId = seedId()
    const messages = [
      ...inbound.map((at, n) => ({
        id: seedId(),
        tenantId,
        threadId,
        customerId: customer.id,
        channel,
        direction: 'inbound',
        externalId: `demo-${threadId}-${n}`,
        sender: customer.email ? { email: customer.email, name: customer.name } : { handle: customer.name },
        fromLabel: customer.name,
        subject: n === 0 ? subject : `Re: ${subject}`,
        text: n === 0 ? `Hello, ${subject.toLowerCase()}. Can you help?` : 'Any news on this?',
        receivedAt: new Date(at),
        createdAt: new Date(at),
      })),
      ...(replyAt
        ? [
            {
              id: seedId(),
              tenantId,
              threadId,
              customerId: customer.id,
              channel,
              direction: 'outbound',
              fromLabel: 'Support team',
              subject: `Re: ${subject}`,
              text: 'Thanks for writing: we are looking into it and will get back to you today.',
              receivedAt: new Date(replyAt),
              createdAt: new Date(replyAt),
            },
          ]
        : []),
    ]
    const last = messages.reduce((a, m) => (m.receivedAt > a.receivedAt ? m : a))
    // Most conversations became a case (the inbox's "Open case"); its SLA clock started then.
    let caseId: string | null = null
    if (fresh || rnd.next() < 0.7) {
      caseId = seedId()
      const priority = fresh ? 'urgent' : rnd.pick(PRIORITIES)
      const resolvedAt = status === 'closed' && replyAt ? before(replyAt + rnd.int(3 * HOUR)) : null
      const createdAt = new Date(start + MINUTE)
      const record = {
        id: caseId,
        subject,
        customerId: customer.id,
        status: resolvedAt ? 'resolved' : replyAt ? 'open' : 'new',
        priority,
        assignee: assigneeId,
      }
      await db.case.create({
        data: {
          tenantId,
          ...record,
          description: `${customer.name} wrote on ${channel}: “${subject}.”`,
          data: { channel: channel === 'webform' ? 'web' : channel },
          createdAt,
          updatedAt: new Date(resolvedAt ?? start + MINUTE),
        },
      })
      const policy = slaPolicyFor(index, record)
      if (policy)
        await db.caseSla.create({
          data: { tenantId, caseId, policyKey: policy.key, configVersion: 1, ...demoClock(policy.content, createdAt, replyAt, resolvedAt, now) },
        })
      caseIds.push(caseId)
    }
    await db.inboxThread.create({
      data: {
        tenantId,
        id: threadId,
        customerId: customer.id,
        channel,
        subject,
        subjectKey: subject.toLowerCase(),
        status,
        assigneeId,
        caseId,
        messageCount: messages.length,
        lastMessageAt: last.receivedAt,
        lastInboundAt: new Date(inbound.at(-1)!),
        lastPreview: last.text.slice(0, 140),
        lastFrom: last.fromLabel,
        firstOutboundAt: replyAt ? new Date(replyAt) : null,
        createdAt: new Date(start),
      },
    })
    await db.inboxMessage.createMany({ data: messages })
  }

  // Automation runs of the last two weeks: mostly succeeded, some skipped, a few failed.
  const runs = Array.from({ length: RUNS }, () => {
    const startedAt = new Date(now - rnd.int(14 * DAY))
    const roll = rnd.next()
    const status = roll < 0.12 ? 'failed' : roll < 0.25 ? 'skipped' : 'succeeded'
    const automationKey = rnd.pick(AUTOMATIONS)
    const step = { actionKey: 'notify', type: 'notify', attempts: status === 'failed' ? 3 : 1, ms: 40 + rnd.int(200) }
    return {
      tenantId,
      id: seedId(),
      automationKey,
      configVersion: 1,
      eventId: seedId(),
      event: 'record.updated',
      entity: 'case',
      recordId: caseIds.length ? rnd.pick(caseIds) : null,
      status,
      matched: status !== 'skipped',
      steps:
        status === 'skipped'
          ? []
          : [status === 'failed' ? { ...step, status: 'failed', error: 'the notification service did not answer' } : { ...step, status: 'succeeded' }],
      reason: status === 'failed' ? 'notify: the notification service did not answer' : status === 'skipped' ? 'conditions not met' : null,
      startedAt,
      finishedAt: new Date(startedAt.getTime() + 300),
    }
  })
  await db.automationRun.createMany({ data: runs })
}

/** A clock as the sla domain keeps it, with the timers already past marked fired at their moment. */
function demoClock(policy: Parameters<typeof plannedTimes>[0], startedAt: Date, replyAt: number | null, resolvedAt: number | null, now: number) {
  const clock: SlaClock = {
    startedAt,
    ...plannedTimes(policy, startedAt),
    firstRespondedAt: replyAt ? new Date(replyAt) : null,
    resolvedAt: resolvedAt ? new Date(resolvedAt) : null,
    firstResponseWarnedAt: null,
    resolutionWarnedAt: null,
    firstResponseBreachedAt: null,
    resolutionBreachedAt: null,
  }
  // A timer fired if its moment passed while its target was still unmet.
  for (const t of SLA_TIMERS) {
    const at = (clock[t.at] as Date).getTime()
    const met = metAt(clock, t.target)?.getTime() ?? Infinity
    if (at <= now && at < met) Object.assign(clock, { [t.fired]: new Date(at) })
  }
  return { ...clock, nextTimerAt: nextTimerAt(clock) }
}
