// The dashboard's numbers are the lists' numbers: on the seeded tenant every metric equals the
// total the `*.list` procedure shows for the same filter (the filters the dashboard's links open),
// for everyone and for one owner; GET /api/crm/dashboard/metrics answers the procedure's JSON with
// a token and 401 without; another tenant's records are never counted.
import { TRPCError } from '@trpc/server'
import { beforeAll, describe, expect, it } from 'vitest'
import type { RequestApproval } from '../../server/automation/actions'
import type { CrmActor, CrmDeps } from '../../server/crm/deps'
import { createRecord, updateRecord } from '../../server/crm/record-service'
import { dashboardMetrics } from '../../server/dashboard/dashboard'
import { tenantScope, type TenantScope } from '../../server/kernel'
import { silentLogger } from '../../server/logger'
import { slaOfCases } from '../../server/sla/case-sla'
import { fireDueSlaTimers } from '../../server/sla/sla-timer'
import { useAutomationWorker } from '../support/automation-worker'
import { publishItems } from '../support/config-changes'
import { useHarness } from '../support/harness'
import { useHttpApp } from '../support/http-app'
import { waitFor } from '../support/wait'

const h = useHarness()
const app = useHttpApp(h)

type Caller = Awaited<ReturnType<typeof h.asUser>>
type Filter = { field: string; op: string; value?: unknown }

const DAY = 86_400_000
// A quarter ending tomorrow: it holds today's writes and the seeded history of the last months.
const to = new Date(Math.ceil(Date.now() / DAY) * DAY + DAY).toISOString()
const from = new Date(Date.parse(to) - 92 * DAY).toISOString()
const timeZone = 'Europe/Berlin'
const OPEN = { field: 'status', op: 'notIn', value: ['resolved', 'closed'] }

const casesTotal = async (c: Caller, ...all: Filter[]) => (await c.cases.list({ filter: { all }, limit: 1 })).total
const dealsOf = async (c: Caller, ...all: Filter[]) => {
  let rows: Record<string, unknown>[] = []
  let cursor: string | undefined
  do {
    const page = await c.deals.list({ filter: { all }, limit: 200, ...(cursor ? { cursor } : {}) })
    rows = rows.concat(page.rows)
    cursor = page.nextCursor ?? undefined
  } while (cursor)
  return { count: rows.length, amount: rows.reduce((n, r) => n + Number(r.amount ?? 0), 0) }
}

describe('dashboard.metrics', () => {
  let admin: Caller
  let agentId: string
  beforeAll(async () => {
    admin = await h.asUser('admin@acme.test', 'acme')
    agentId = (await admin.members.list()).find((m) => m.email === 'agent@acme.test')!.userId
  })

  it('counts cases as the case list does', async () => {
    const m = await admin.dashboard.metrics({ from, to, timeZone })
    expect(m.cases.open).toBeGreaterThan(0)
    expect(m.cases.open).toBe(await casesTotal(admin, OPEN))
    for (const s of m.cases.openByStatus) expect(s.count, s.status).toBe(await casesTotal(admin, { field: 'status', op: 'eq', value: s.status }))
    for (const p of m.cases.openByPriority) expect(p.count, p.priority).toBe(await casesTotal(admin, OPEN, { field: 'priority', op: 'eq', value: p.priority }))
    // Created in the period, and on each day with cases, by the day's own instants (Berlin days).
    expect(m.cases.created).toBe(await casesTotal(admin, { field: 'createdAt', op: 'gte', value: from }, { field: 'createdAt', op: 'lt', value: to }))
    const busy = m.cases.daily.filter((d) => d.created > 0)
    expect(busy.length).toBeGreaterThan(0)
    for (const d of busy.slice(0, 5)) {
      expect(d.created, d.day).toBe(await casesTotal(admin, { field: 'createdAt', op: 'gte', value: d.start }, { field: 'createdAt', op: 'lt', value: d.end }))
    }
    // Seeded cases have no resolvedAt: they were resolved at their last change.
    expect(m.cases.resolved).toBe(
      await casesTotal(
        admin,
        { field: 'status', op: 'in', value: ['resolved', 'closed'] },
        { field: 'updatedAt', op: 'gte', value: from },
        { field: 'updatedAt', op: 'lt', value: to },
      ),
    )
    // The period ends after now: the last day's backlog is what is open now.
    expect(m.cases.daily.at(-1)!.backlog).toBe(m.cases.open)
    // 92 UTC days touch 93 Berlin days (the first and last only in part).
    expect(m.cases.daily).toHaveLength(93)
    const firstStart = Date.parse(m.cases.daily[0]!.start)
    expect(firstStart).toBeLessThanOrEqual(Date.parse(from))
    expect(firstStart).toBeGreaterThan(Date.parse(from) - DAY)
    expect(m.cases.daily[0]!.end).toBe(m.cases.daily[1]!.start)
  })

  it('the backlog moves with a case created and one resolved today', async () => {
    const before = await admin.dashboard.metrics({ from, to, timeZone })
    const customer = await admin.customers.create({ values: { name: 'Backlog Probe GmbH' } })
    const opened = await admin.cases.create({ values: { subject: 'Backlog probe', customerId: customer.id } })
    const done = await admin.cases.create({ values: { subject: 'Resolved probe', customerId: customer.id } })
    await admin.cases.update({ id: done.id, expectedVersion: done.version as number, values: { status: 'resolved' } })
    const after = await admin.dashboard.metrics({ from, to, timeZone })
    expect(after.cases.open).toBe(before.cases.open + 1)
    expect(after.cases.created).toBe(before.cases.created + 2)
    expect(after.cases.resolved).toBe(before.cases.resolved + 1)
    // Today's (Berlin) bucket got both; yesterday's backlog is unchanged.
    const today = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date())
    const i = after.cases.daily.findIndex((d) => d.day === today)
    expect(after.cases.daily[i]!.created).toBe(before.cases.daily[i]!.created + 2)
    expect(after.cases.daily[i]!.resolved).toBe(before.cases.daily[i]!.resolved + 1)
    expect(after.cases.daily[i]!.backlog).toBe(before.cases.daily[i]!.backlog + 1)
    expect(after.cases.daily[i - 1]!.backlog).toBe(before.cases.daily[i - 1]!.backlog)
    await admin.cases.remove({ id: opened.id })
    await admin.cases.remove({ id: done.id })
  })

  it('sums the pipeline as the deal list does', async () => {
    const m = await admin.dashboard.metrics({ from, to, timeZone })
    expect(m.pipeline.openByStage.length).toBeGreaterThan(0)
    for (const s of m.pipeline.openByStage) {
      expect({ count: s.count, amount: s.amount }, s.stage).toEqual(await dealsOf(admin, { field: 'stage', op: 'eq', value: s.stage }))
    }
    const firstDay = m.pipeline.weekly[0]!.from
    const lastDay = m.pipeline.weekly.at(-1)!.to
    const closedIn = (stage: string) =>
      dealsOf(
        admin,
        { field: 'stage', op: 'eq', value: stage },
        { field: 'closeDate', op: 'gte', value: firstDay },
        { field: 'closeDate', op: 'lte', value: lastDay },
      )
    expect(m.pipeline.won).toEqual(await closedIn('won'))
    expect(m.pipeline.lost).toEqual(await closedIn('lost'))
    expect(m.pipeline.won.count + m.pipeline.lost.count).toBeGreaterThan(0)
    const { won, lost } = m.pipeline
    expect(m.pipeline.winRate).toBeCloseTo(won.count / (won.count + lost.count))
    expect(m.pipeline.averageDealSize).toBe(won.count ? won.amount / won.count : null)
    // The default stages carry no probability.
    expect(m.pipeline.weighted).toBeNull()
    for (const w of m.pipeline.weekly.filter((x) => x.won.count > 0).slice(0, 3)) {
      const listed = await dealsOf(
        admin,
        { field: 'stage', op: 'eq', value: 'won' },
        { field: 'closeDate', op: 'gte', value: w.from },
        { field: 'closeDate', op: 'lte', value: w.to },
      )
      expect(w.won, w.week).toEqual(listed)
    }
  })

  it('narrows every count to one owner', async () => {
    const m = await admin.dashboard.metrics({ from, to, timeZone, ownerId: agentId })
    const mine = { field: 'assignee', op: 'eq', value: agentId }
    expect(m.cases.open).toBe(await casesTotal(admin, OPEN, mine))
    expect(m.cases.created).toBe(await casesTotal(admin, mine, { field: 'createdAt', op: 'gte', value: from }, { field: 'createdAt', op: 'lt', value: to }))
    expect(m.pipeline.open.count).toBe(
      (await dealsOf(admin, { field: 'stage', op: 'notIn', value: ['won', 'lost'] }, { field: 'owner', op: 'eq', value: agentId })).count,
    )
    const all = await admin.dashboard.metrics({ from, to, timeZone })
    expect(m.cases.open).toBeLessThan(all.cases.open)
  })

  it('shows the automations group only to callers who may read the run log', async () => {
    expect((await admin.dashboard.metrics({ from, to, timeZone })).automations).toMatchObject({ available: true })
    for (const email of ['agent@acme.test', 'viewer@acme.test']) {
      const m = await (await h.asUser(email, 'acme')).dashboard.metrics({ from, to, timeZone })
      expect(m.automations, email).toEqual({ available: false, reason: expect.any(String) })
      expect(m.sla.available && m.inbox.available, email).toBe(true)
    }
    // A manager's read-only token may read the dashboard but not the run log: no automations either.
    const { caller } = await h.issueToken('acme', 'MANAGER', 'read')
    expect((await caller.dashboard.metrics({ from, to, timeZone })).automations).toMatchObject({ available: false })
    expect((await (await h.issueToken('acme', 'MANAGER')).caller.dashboard.metrics({ from, to, timeZone })).automations).toMatchObject({ available: true })
  })

  it('refuses a period that ends before it starts, an unknown zone, a year too long', async () => {
    const code = (p: Promise<unknown>) =>
      p.then(
        () => 'OK',
        (e: unknown) => (e instanceof TRPCError ? e.code : String(e)),
      )
    expect(await code(admin.dashboard.metrics({ from: to, to: from, timeZone }))).toBe('BAD_REQUEST')
    expect(await code(admin.dashboard.metrics({ from, to, timeZone: 'Mars/Olympus' }))).toBe('BAD_REQUEST')
    expect(await code(admin.dashboard.metrics({ from: '2020-01-01T00:00:00Z', to, timeZone }))).toBe('BAD_REQUEST')
    expect(await code(admin.dashboard.metrics({ from: 'yesterday', to, timeZone }))).toBe('BAD_REQUEST')
  })

  it("never counts another tenant's records", async () => {
    const globex = await h.asUser('admin@globex.test', 'globex')
    const before = await globex.dashboard.metrics({ from, to, timeZone })
    expect(before.cases.open).toBe(await casesTotal(globex, OPEN))
    const customer = await admin.customers.create({ values: { name: 'Acme Only Dashboard Probe' } })
    await admin.cases.create({ values: { subject: 'Acme only', customerId: customer.id } })
    await admin.deals.create({ values: { name: 'Acme only', customerId: customer.id, amount: 1234 } })
    const after = await globex.dashboard.metrics({ from, to, timeZone })
    expect(after).toEqual(before)
  })
})

describe('GET /api/crm/dashboard/metrics', () => {
  const url = (q: Record<string, string>) => `${app.baseUrl}/api/crm/dashboard/metrics?${new URLSearchParams(q)}`

  it("answers the procedure's JSON with a token", async () => {
    const { caller, token } = await h.issueToken('acme', 'VIEWER')
    const agentId = (await (await h.asUser('admin@acme.test', 'acme')).members.list()).find((m) => m.email === 'agent@acme.test')!.userId
    const queries: Record<string, string>[] = [
      { from, to, timeZone },
      { from, to, timeZone: 'America/New_York', ownerId: agentId },
    ]
    for (const q of queries) {
      const res = await fetch(url(q), { headers: { authorization: `Bearer ${token}` } })
      expect(res.status).toBe(200)
      expect(await res.json()).toEqual(await caller.dashboard.metrics(q as { from: string; to: string; timeZone: string }))
    }
  })

  it('401 without a token, 400 with bad input', async () => {
    const anonymous = await fetch(url({ from, to, timeZone }))
    expect(anonymous.status).toBe(401)
    const { token } = await h.issueToken('acme', 'VIEWER')
    const bad = await fetch(url({ from, to }), { headers: { authorization: `Bearer ${token}` } })
    expect(bad.status).toBe(400)
    expect((await bad.json()).error.issues[0].path).toEqual(['timeZone'])
  })
})

// SLA clocks at fixed instants (the crm's clock injected, timers fired by the scanner's own
// function): Monday 31 March 2025, a Berlin day, with "now" at 11:50 UTC.
describe('dashboard SLA group', () => {
  const day = { from: '2025-03-30T22:00:00.000Z', to: '2025-03-31T22:00:00.000Z', timeZone }
  const now = new Date('2025-03-31T11:50:00.000Z')
  const at = (hhmm: string) => new Date(`2025-03-31T${hhmm}:00.000Z`)
  const depsAt = (t: Date): CrmDeps => ({ bus: h.services.bus, runtimeConfig: h.services.runtimeConfig, logger: silentLogger, now: () => t })
  let scope: TenantScope
  let actor: CrmActor
  let agentId: string

  beforeAll(async () => {
    scope = tenantScope(h.services.db, h.tenantId('acme'))
    agentId = (await h.services.db.user.findUniqueOrThrow({ where: { email: 'agent@acme.test' } })).id
    const manager = await h.services.db.user.findUniqueOrThrow({ where: { email: 'manager@acme.test' } })
    actor = { userId: manager.id, tokenId: null, label: 'Max Manager', role: 'MANAGER' }
    const customerId = (await createRecord(scope, actor, { entity: 'customer', values: { name: 'SLA Dashboard AG' } }, depsAt(at('07:00'))))!.id
    const open = (subject: string, t: Date, assignee: string | null) =>
      createRecord(scope, actor, { entity: 'case', values: { subject, customerId, priority: 'urgent', assignee } }, depsAt(t)).then((r) => r!)
    // Met: resolved 20 minutes in, before both targets (first response due 08:30, resolution 12:00).
    const met = await open('SLA met', at('08:00'), agentId)
    await updateRecord(scope, actor, { entity: 'case', id: met.id, expectedVersion: 1, values: { status: 'resolved' } }, depsAt(at('08:20')))
    // Missed: no first response by 08:30; the scanner fires the breach at 08:31.
    await open('SLA missed', at('08:00'), agentId)
    await fireDueSlaTimers({ db: h.services.db, runtimeConfig: h.services.runtimeConfig, logger: silentLogger, now: () => at('08:31') })
    // At risk at 11:50: first response due 11:55, warned from 11:49; unassigned.
    await open('SLA at risk', at('11:25'), null)
  })

  /** Every clock's state as the case reads show it at `now`. */
  const states = async (assignee?: string) => {
    const clocks = await scope.db.caseSla.findMany({ select: { caseId: true } })
    const cases = await scope.db.case.findMany({ where: { id: { in: clocks.map((c) => c.caseId) } }, select: { id: true, priority: true, assignee: true } })
    const mine = cases.filter((c) => assignee === undefined || c.assignee === assignee)
    const sla = await slaOfCases(
      scope,
      mine.map((c) => c.id),
      now,
    )
    return mine.map((c) => ({ ...c, sla: sla.get(c.id)! }))
  }

  it('counts compliance, breaches and cases at risk as the case reads show them', async () => {
    const m = await dashboardMetrics(scope, day, { mayReadAutomations: true, now })
    if (!m.sla.available) throw new Error('sla unavailable')
    const urgent = m.sla.compliance.find((c) => c.priority === 'urgent')!
    // First response: met once, missed once (the at-risk case's target is still running).
    expect(urgent.firstResponse).toEqual({ due: 2, met: 1, percent: 50 })
    // Resolution (due 12:00): only the met case's outcome is known at 11:50.
    expect(urgent.resolution).toEqual({ due: 1, met: 1, percent: 100 })
    expect(m.sla.compliance.map((c) => c.priority)).toEqual(['low', 'normal', 'high', 'urgent'])
    expect(m.sla.compliance.find((c) => c.priority === 'low')!.firstResponse).toEqual({ due: 0, met: 0, percent: null })
    expect(m.sla.breaches).toBe(1)
    const all = await states()
    expect(m.sla.atRisk).toBe(all.filter((c) => c.sla.state === 'at_risk').length)
    expect(m.sla.atRisk).toBe(1)
    const breachedToday = all.filter((c) => c.sla.breachedAt && c.sla.breachedAt >= day.from && c.sla.breachedAt < day.to)
    expect(m.sla.breaches).toBe(breachedToday.length)
  })

  it('narrows to the case assignee, and a day in another zone holds other targets', async () => {
    const mine = await dashboardMetrics(scope, { ...day, ownerId: agentId }, { mayReadAutomations: true, now })
    if (!mine.sla.available) throw new Error('sla unavailable')
    expect(mine.sla.atRisk).toBe((await states(agentId)).filter((c) => c.sla.state === 'at_risk').length)
    expect(mine.sla.atRisk).toBe(0)
    expect(mine.sla.breaches).toBe(1)
    // 1 April in Tokyo starts at 15:00 UTC on 31 March: after every target above was due.
    const tokyoNext = await dashboardMetrics(
      scope,
      { from: '2025-03-31T15:00:00.000Z', to: '2025-04-01T15:00:00.000Z', timeZone: 'Asia/Tokyo' },
      { mayReadAutomations: true, now },
    )
    if (!tokyoNext.sla.available) throw new Error('sla unavailable')
    expect(tokyoNext.sla.breaches).toBe(0)
    expect(tokyoNext.sla.compliance.every((c) => c.firstResponse.due === 0 && c.resolution.due === 0)).toBe(true)
  })

  it("never counts another tenant's clocks", async () => {
    const globex = tenantScope(h.services.db, h.tenantId('globex'))
    const m = await dashboardMetrics(globex, day, { mayReadAutomations: true, now })
    expect(m.sla).toMatchObject({ breaches: 0, atRisk: 0 })
  })
})

// Messages ingested with their own receivedAt around the end of summer time in Berlin
// (26 October 2025): 22:30 UTC on the 25th is already the 26th in Berlin.
describe('dashboard inbox group', () => {
  const period = { from: '2025-10-24T22:00:00.000Z', to: '2025-10-27T23:00:00.000Z', timeZone }
  let admin: Caller
  let agentId: string
  let threads: string[]
  const tag = Date.now().toString(36)

  beforeAll(async () => {
    admin = await h.asUser('admin@acme.test', 'acme')
    agentId = (await admin.members.list()).find((m) => m.email === 'agent@acme.test')!.userId
    const ingest = (n: number, channel: 'email' | 'chat', receivedAt: string, thread: string) =>
      admin.inbox.ingest({
        externalId: `dash-${tag}-${n}`,
        channel,
        from: { email: `dash-${thread}-${tag}@example.test` },
        subject: `Dashboard ${thread}`,
        text: 'Hello',
        receivedAt,
        externalThreadId: `dash-${thread}-${tag}`,
      })
    const first = await ingest(1, 'email', '2025-10-25T22:30:00.000Z', 'a')
    const second = await ingest(2, 'chat', '2025-10-26T10:00:00.000Z', 'b')
    await ingest(3, 'email', '2025-10-27T08:00:00.000Z', 'a')
    // Before the period: counted nowhere.
    await ingest(4, 'email', '2025-10-24T21:00:00.000Z', 'c')
    threads = [first.threadId, second.threadId]
    await admin.inbox.reply({ threadId: first.threadId, text: 'On it' })
    await admin.inbox.reply({ threadId: second.threadId, text: 'Thanks' })
    await admin.inbox.assign({ threadId: second.threadId, userId: agentId })
  })

  const unassignedOpen = async () => {
    let n = 0
    let cursor: string | undefined
    do {
      const page = await admin.inbox.list({ status: 'open', assignee: 'unassigned', limit: 100, ...(cursor ? { cursor } : {}) })
      n += page.threads.length
      cursor = page.nextCursor ?? undefined
    } while (cursor)
    return n
  }

  it('counts messages per Berlin day by channel, the median first response and unassigned threads', async () => {
    const m = await admin.dashboard.metrics(period)
    if (!m.inbox.available) throw new Error('inbox unavailable')
    expect(m.inbox.received).toBe(3)
    expect(m.inbox.channels).toEqual(['chat', 'email'])
    expect(m.inbox.daily.map((d) => [d.day, d.byChannel.map((c) => c.count)])).toEqual([
      ['2025-10-25', [0, 0]],
      ['2025-10-26', [1, 1]],
      ['2025-10-27', [0, 1]],
    ])
    // The 26th has 25 hours in Berlin.
    const sunday = m.inbox.daily[1]!
    expect(Date.parse(sunday.end) - Date.parse(sunday.start)).toBe(25 * 3_600_000)
    // The median of the two threads' first responses, from what the threads themselves record.
    const seconds = await Promise.all(
      threads.map(async (id) => {
        const t = await h.services.db.inboxThread.findFirstOrThrow({ where: { id } })
        const first = await h.services.db.inboxMessage.findFirstOrThrow({ where: { threadId: id, direction: 'inbound' }, orderBy: { receivedAt: 'asc' } })
        return (t.firstOutboundAt!.getTime() - first.receivedAt.getTime()) / 1000
      }),
    )
    expect(m.inbox.threadsOpened).toBe(2)
    expect(m.inbox.threadsAnswered).toBe(2)
    expect(m.inbox.medianFirstResponseSeconds).toBeCloseTo((seconds[0]! + seconds[1]!) / 2, 3)
    expect(m.inbox.unassignedThreads).toBe(await unassignedOpen())
  })

  it('buckets by UTC days for a UTC reader, and narrows to the assignee', async () => {
    const utc = await admin.dashboard.metrics({ from: '2025-10-25T00:00:00.000Z', to: '2025-10-28T00:00:00.000Z', timeZone: 'UTC' })
    if (!utc.inbox.available) throw new Error('inbox unavailable')
    expect(utc.inbox.daily.map((d) => [d.day, d.byChannel.reduce((n, c) => n + c.count, 0)])).toEqual([
      ['2025-10-25', 1],
      ['2025-10-26', 1],
      ['2025-10-27', 1],
    ])
    const mine = await admin.dashboard.metrics({ ...period, ownerId: agentId })
    if (!mine.inbox.available) throw new Error('inbox unavailable')
    expect(mine.inbox.received).toBe(1)
    expect(mine.inbox.channels).toEqual(['chat'])
    expect(mine.inbox.threadsAnswered).toBe(1)
  })

  it('an assignment moves the unassigned count; another tenant sees none of it', async () => {
    const before = await admin.dashboard.metrics(period)
    if (!before.inbox.available) throw new Error('inbox unavailable')
    await admin.inbox.assign({ threadId: threads[0]!, userId: agentId })
    const after = await admin.dashboard.metrics(period)
    if (!after.inbox.available) throw new Error('inbox unavailable')
    expect(after.inbox.unassignedThreads).toBe(before.inbox.unassignedThreads - 1)
    expect(after.inbox.unassignedThreads).toBe(await unassignedOpen())
    const globex = await (await h.asUser('admin@globex.test', 'globex')).dashboard.metrics(period)
    expect(globex.inbox).toMatchObject({ received: 0, threadsOpened: 0, medianFirstResponseSeconds: null, unassignedThreads: 0 })
  })
})

// Runs made by the automation worker (its own for this block: the default automations would change
// the records the blocks above create). The approvals hook fails, so a deal-created automation
// that asks for approval fails, as in automation-engine.test.ts.
describe('dashboard automations group', () => {
  const requestApproval: RequestApproval = async () => {
    throw new Error('approvals are not available here')
  }
  useAutomationWorker(h, { deps: { requestApproval } })
  let admin: Caller
  let manager: Caller

  beforeAll(async () => {
    h.services.automationHooks = { requestApproval }
    admin = await h.asUser('admin@acme.test', 'acme')
    manager = await h.asUser('manager@acme.test', 'acme')
    await publishItems(admin as never, [
      { namespace: 'conditions', entity: 'deal', key: 'is-dashboard-probe', content: { when: { field: 'name', op: 'startsWith', value: 'Dashboard probe' } } },
      { namespace: 'triggers', entity: 'deal', key: 'deal-created', content: { event: 'record.created' } },
      { namespace: 'actions', entity: 'deal', key: 'ask-approval', content: { type: 'requestApproval', approval: 'large-discount' } },
      {
        namespace: 'automations',
        entity: '-',
        key: 'dashboard-probe-approval',
        content: {
          label: 'Dashboard probe',
          entity: 'deal',
          trigger: 'deal-created',
          conditions: ['is-dashboard-probe'],
          actions: ['ask-approval'],
          enabled: true,
          order: 300,
        },
      },
    ])
    const customerId = (await admin.customers.create({ values: { name: 'Automation Dashboard GmbH' } })).id
    for (const name of ['Dashboard probe 1', 'Dashboard probe 2', 'Other deal']) await manager.deals.create({ values: { name, customerId } })
    await waitFor(async () => (await h.services.db.outboxEvent.count({ where: { status: 'pending' } })) === 0, { timeoutMs: 20_000 })
    await waitFor(async () => (await h.services.db.automationRun.count({ where: { status: { in: ['pending', 'running'] } } })) === 0, { timeoutMs: 20_000 })
  })

  /** The run log's own count for the filter (all pages). */
  const logged = async (filter: { status?: 'failed'; from: Date; to: Date }) => {
    let n = 0
    let cursor: string | undefined
    do {
      const page = await manager.automations.runs({ ...filter, limit: 100, ...(cursor ? { cursor } : {}) })
      n += page.items.length
      cursor = page.nextCursor ?? undefined
    } while (cursor)
    return n
  }

  it('counts runs and failures per day as the run log lists them', async () => {
    const m = await manager.dashboard.metrics({ from, to, timeZone })
    if (!m.automations.available) throw new Error('automations unavailable')
    expect(m.automations.failed).toBeGreaterThanOrEqual(2)
    expect(m.automations.runs).toBeGreaterThan(m.automations.failed)
    // The run log's `to` is inclusive: one millisecond before the period's end.
    const until = (end: string) => new Date(Date.parse(end) - 1)
    expect(m.automations.runs).toBe(await logged({ from: new Date(from), to: until(to) }))
    expect(m.automations.failed).toBe(await logged({ status: 'failed', from: new Date(from), to: until(to) }))
    const busy = m.automations.daily.filter((d) => d.runs > 0)
    expect(busy.length).toBeGreaterThan(0)
    for (const d of busy) {
      expect(d.runs, d.day).toBe(await logged({ from: new Date(d.start), to: until(d.end) }))
      expect(d.failed, d.day).toBe(await logged({ status: 'failed', from: new Date(d.start), to: until(d.end) }))
    }
    expect(m.automations.daily.reduce((n, d) => n + d.runs, 0)).toBe(m.automations.runs)
  })

  it('ignores the owner, and another tenant sees no runs', async () => {
    const all = await manager.dashboard.metrics({ from, to, timeZone })
    const agentId = (await admin.members.list()).find((x) => x.email === 'agent@acme.test')!.userId
    expect((await manager.dashboard.metrics({ from, to, timeZone, ownerId: agentId })).automations).toEqual(all.automations)
    const globex = await (await h.asUser('admin@globex.test', 'globex')).dashboard.metrics({ from, to, timeZone })
    expect(globex.automations).toMatchObject({ available: true, runs: 0, failed: 0 })
  })
})
