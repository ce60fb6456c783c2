// The dashboard's numbers are the lists' numbers: on the seeded tenant every metric equals the
// total the `*.list` procedure shows for the same filter (the filters the dashboard's links open),
// for everyone and for one owner; GET /api/crm/dashboard/metrics answers the procedure's JSON with
// a token and 401 without; another tenant's records are never counted.
import { TRPCError } from '@trpc/server'
import { beforeAll, describe, expect, it } from 'vitest'
import { useHarness } from '../support/harness'
import { useHttpApp } from '../support/http-app'

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

  it('the groups without data yet say so', async () => {
    const m = await admin.dashboard.metrics({ from, to, timeZone })
    expect(m.sla).toMatchObject({ available: false })
    expect(m.inbox).toMatchObject({ available: false })
    expect(m.automations).toMatchObject({ available: false })
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
