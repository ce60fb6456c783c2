// `npm run bench:soak -- [--minutes 10] [--users 40] [--subscribers 200] [--publish-every-s 30]
//                         [--think-ms 0] [--baseline-s 10]`
//
// Issue #16's sustained load: two app instances (child processes running server/main.ts in
// production mode, API only, pool 10 each) over one scratch PostgreSQL database and REDIS_URL's
// bus, for --minutes. `--users` virtual users, each on one instance with its own API token, loop
// over customers.list → customers.get → customer360.get → customers.create → customers.update
// (closed loop: the next call when the last one answers, after --think-ms); an admin publishes a
// config change every --publish-every-s; `--subscribers` WebSockets spread over both instances
// each subscribe to customers.onChanged and config.onPublished, and every event a write or a
// publish should have produced is counted as received or missed.
//
// stdout: one JSON line per minute (req/s, 5xx, p50/p95/p99 per procedure, each instance's RSS,
// heap and event-loop delay p99 from its /healthz, missed events), then one summary object with
// the goals checked. The goals are absolute (no 5xx, delay p99 < 100 ms) or against the
// run's own first minutes (RSS, throughput); the same-run baseline — a bare node:http process
// answering the same users' requests for --baseline-s, before and after the soak — says how much
// the machine itself moved (a shared machine's throughput drifts without the app changing).
//
// SOAK_NODE_OPTIONS: extra node flags for the instances only (`--cpu-prof --cpu-prof-dir=...`,
// `--heap-prof`, `--trace-gc`); an instance's output is kept in .soak/<run>/instance-N.log.
// Needs DATABASE_URL (a PostgreSQL server: a throwaway database on it) and REDIS_URL. Never part
// of `npm test`.
import { mkdirSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import WebSocket from 'ws'
import { TRPCClientError } from '@trpc/client'
import { migrateDeploy } from '../../server/db/migrate'
import {
  apiClient,
  closeAll,
  log,
  numericFlags,
  openAll,
  ratio,
  round,
  rssKb,
  scratchDatabase,
  scratchRedisPrefix,
  seedAcme,
  sleep,
  startAppInstance,
  startProc,
  summarize,
  type ApiClient,
  type Proc,
  type Summary,
  runMain,
} from './support'

const flags = numericFlags({ minutes: 10, users: 40, subscribers: 200, 'publish-every-s': 30, 'think-ms': 0, 'baseline-s': 10 })
const INSTANCES = 2
const MINUTE_MS = 60_000
/** An event not received this long after its write answered counts as missed. */
const EVENT_GRACE_MS = 5_000
const PROCEDURES = ['customers.list', 'customers.get', 'customer360.get', 'customers.create', 'customers.update', 'config.publish'] as const
type Procedure = (typeof PROCEDURES)[number]

if (!process.env.DATABASE_URL || !process.env.REDIS_URL) {
  throw new Error('bench:soak needs DATABASE_URL (a PostgreSQL server) and REDIS_URL: the issue’s two instances share both')
}

// ---- what one minute collects -------------------------------------------------------------------

class MinuteStats {
  readonly durations = new Map<Procedure, number[]>()
  calls = 0
  serverErrors = 0
  /** Answers other than 2xx and 5xx (a 409 would mean the bench raced itself), and network errors. */
  otherErrors = 0
  readonly errorSamples: string[] = []

  record(procedure: Procedure, ms: number, error?: unknown) {
    this.calls++
    let list = this.durations.get(procedure)
    if (!list) this.durations.set(procedure, (list = []))
    list.push(ms)
    if (error === undefined) return
    const status = error instanceof TRPCClientError ? (error.data as { httpStatus?: number } | undefined)?.httpStatus : undefined
    if (status !== undefined && status >= 500) this.serverErrors++
    else this.otherErrors++
    if (this.errorSamples.length < 5)
      this.errorSamples.push(`${procedure}: ${status ?? 'network'} ${error instanceof Error ? error.message : String(error)}`.slice(0, 300))
  }
}

/** Events each subscriber should receive: one per write (customers.onChanged) and per publish (config.onPublished). */
class EventLedger {
  /** key → when the write answered, and how many subscribers have received it so far. */
  private readonly expected = new Map<string, { at: number; received: number }>()
  private early = new Map<string, number>()
  missed = 0
  duplicates = 0
  /** Items telling a subscriber it fell behind and must refetch (buffered-stream.ts). */
  resyncs = 0

  constructor(private readonly subscribers: number) {}

  wrote(key: string) {
    // A fast subscriber can hear the event before the write's answer reaches the user.
    const received = this.early.get(key) ?? 0
    this.early.delete(key)
    this.expected.set(key, { at: performance.now(), received })
  }

  received(key: string) {
    const entry = this.expected.get(key)
    if (entry) entry.received++
    else this.early.set(key, (this.early.get(key) ?? 0) + 1)
  }

  /** Settles the events whose grace period is over; returns how many deliveries were missed. */
  settle(now = performance.now()): number {
    let missed = 0
    for (const [key, entry] of this.expected) {
      if (now - entry.at < EVENT_GRACE_MS) continue
      missed += Math.max(0, this.subscribers - entry.received)
      this.duplicates += Math.max(0, entry.received - this.subscribers)
      this.expected.delete(key)
    }
    this.missed += missed
    return missed
  }
}

// ---- the load -------------------------------------------------------------------------------------

type Clock = { current: MinuteStats; running: boolean }

async function timed<T>(clock: Clock, procedure: Procedure, call: () => Promise<T>): Promise<T | undefined> {
  const t0 = performance.now()
  try {
    const result = await call()
    clock.current.record(procedure, performance.now() - t0)
    return result
  } catch (error) {
    clock.current.record(procedure, performance.now() - t0, error)
    return undefined
  }
}

async function virtualUser(n: number, api: ApiClient, seedIds: string[], clock: Clock, ledger: EventLedger) {
  let i = 0
  while (clock.running) {
    const seedId = seedIds[(n * 7 + i++) % seedIds.length]!
    await timed(clock, 'customers.list', () => api.customers.list.query({ limit: 25 }))
    await timed(clock, 'customers.get', () => api.customers.get.query({ id: seedId }))
    await timed(clock, 'customer360.get', () => api.customer360.get.query({ id: seedId }))
    const created = await timed(clock, 'customers.create', () => api.customers.create.mutate({ values: { name: `Soak ${n}-${i}` } }))
    if (created) {
      ledger.wrote(`${created.id}:${created.version}`)
      const updated = await timed(clock, 'customers.update', () =>
        api.customers.update.mutate({ id: created.id, expectedVersion: created.version, values: { data: { tier: 'gold' } } }),
      )
      if (updated) ledger.wrote(`${updated.id}:${updated.version}`)
    }
    if (flags['think-ms'] > 0) await sleep(flags['think-ms'])
  }
}

async function publisher(apis: ApiClient[], clock: Clock, ledger: EventLedger) {
  const address = { namespace: 'views' as const, entity: 'customer', key: 'all' }
  let k = 0
  while (clock.running) {
    await sleep(flags['publish-every-s'] * 1000)
    if (!clock.running) return
    const api = apis[k++ % apis.length]!
    await timed(clock, 'config.publish', async () => {
      const current = await api.config.get.query(address)
      await api.config.saveDraft.mutate({
        ...address,
        expectedRevision: current.draftRevision,
        content: { ...(current.content as object), label: `Soak ${k}` },
      })
      const { version } = await api.config.list.query()
      const res = await api.config.publish.mutate({ expectedVersion: version, message: `soak ${k}` })
      ledger.wrote(`config:${res.version}`)
    })
  }
}

/** A socket with both subscriptions; resolves `ready` when both have started. */
function subscriber(port: number, token: string, configHead: number, ledger: EventLedger, ready: () => void, fail: (e: unknown) => void): WebSocket {
  const ws = new WebSocket(`ws://127.0.0.1:${port}/api/trpc`, { headers: { authorization: `Bearer ${token}` } })
  let started = 0
  const subscribe = (id: number, p: string, input: unknown) =>
    ws.send(JSON.stringify({ id, jsonrpc: '2.0', method: 'subscription', params: { path: p, input: { json: input } } }))
  ws.on('open', () => {
    subscribe(1, 'customers.onChanged', { lastEventId: null })
    subscribe(2, 'config.onPublished', { lastEventId: String(configHead) })
  })
  ws.on('message', (raw) => {
    const text = String(raw)
    if (text === 'PING') return void ws.send('PONG')
    const msg = JSON.parse(text) as {
      id?: number
      result?: { type?: string; id?: string; data?: { json?: { data?: { type?: string; id?: string; version?: number } } } }
      error?: unknown
    }
    if (msg.error) return fail(new Error(JSON.stringify(msg.error)))
    if (msg.result?.type === 'started' && ++started === 2) return ready()
    if (msg.result?.type !== 'data') return
    // A tracked item: `{ id, data }` (server/trpc/tracked-stream.ts), superjson's `json` around it.
    const data = msg.result.data?.json?.data
    if (msg.id === 2) ledger.received(`config:${msg.result.id}`)
    else if (data?.type === 'changed') ledger.received(`${data.id}:${data.version}`)
    else ledger.resyncs++
  })
  ws.on('error', fail)
  return ws
}

// ---- readings ------------------------------------------------------------------------------------

type Health = { eventLoopDelayMs: { p99: number; max: number; windowSeconds: number } | null; memoryMb: { rss: number; heapUsed: number; heapTotal: number } }

async function instanceReading(p: Proc) {
  const t0 = performance.now()
  const health = await fetch(`http://127.0.0.1:${p.port}/healthz`).then(
    (r) => r.json() as Promise<Health>,
    () => null,
  )
  return {
    rssMb: round(rssKb(p.child.pid!) / 1024),
    heapUsedMb: health?.memoryMb.heapUsed ?? null,
    heapTotalMb: health?.memoryMb.heapTotal ?? null,
    eventLoopDelayP99Ms: health?.eventLoopDelayMs?.p99 ?? null,
    eventLoopDelayMaxMs: health?.eventLoopDelayMs?.max ?? null,
    delayWindowS: health?.eventLoopDelayMs?.windowSeconds ?? null,
    healthzMs: round(performance.now() - t0),
  }
}

function minuteLine(
  minute: number,
  stats: MinuteStats,
  seconds: number,
  instances: Awaited<ReturnType<typeof instanceReading>>[],
  missed: number,
  ledger: EventLedger,
  open: number,
) {
  const procedures: Record<string, Pick<Summary, 'n' | 'p50' | 'p95' | 'p99'>> = {}
  for (const name of PROCEDURES) {
    const values = stats.durations.get(name)
    if (!values) continue
    const { n, p50, p95, p99 } = summarize(values)
    procedures[name] = { n, p50, p95, p99 }
  }
  return {
    minute,
    reqPerSec: round(stats.calls / seconds),
    calls: stats.calls,
    serverErrors5xx: stats.serverErrors,
    otherErrors: stats.otherErrors,
    ...(stats.errorSamples.length ? { errorSamples: stats.errorSamples } : {}),
    procedures,
    instances,
    missedEvents: missed,
    duplicateEvents: ledger.duplicates,
    resyncs: ledger.resyncs,
    openSubscribers: open,
  }
}

// ---- baseline -------------------------------------------------------------------------------------

/**
 * The same number of closed-loop users against a bare node:http process (baseline-server.ts
 * answers every request with "ok"): how many requests per second this machine and this client
 * manage at that moment, with no app in the way, and the event-loop delay of a process that does
 * next to nothing on this machine meanwhile.
 */
async function baseline(label: string) {
  const server = await startProc('scripts/bench/baseline-server.ts', { REDIS_URL: '' }, async (_port, out) => out.includes('ready'))
  try {
    const durations: number[] = []
    const deadline = performance.now() + flags['baseline-s'] * 1000
    await Promise.all(
      Array.from({ length: flags.users }, async () => {
        while (performance.now() < deadline) {
          const t0 = performance.now()
          const r = await fetch(`http://127.0.0.1:${server.port}/`)
          await r.text()
          durations.push(performance.now() - t0)
        }
      }),
    )
    const { p50, p99 } = summarize(durations)
    const health = (await fetch(`http://127.0.0.1:${server.port}/healthz`).then((r) => r.json())) as Health
    log(`baseline (${label}): ${durations.length} requests`)
    return { reqPerSec: round(durations.length / flags['baseline-s']), p50, p99, eventLoopDelayP99Ms: health.eventLoopDelayMs?.p99 ?? null }
  } finally {
    await server.stop()
  }
}

// ---- main -------------------------------------------------------------------------------------------

/** Every reading of the last `minutes` (or fewer) within ±10% of the first of them. */
function flatWithin(values: number[], share: number) {
  const first = values[0]!
  return values.every((v) => Math.abs(v - first) <= share * first)
}

async function main() {
  const scratch = await scratchDatabase()
  const redisScratch = scratchRedisPrefix()
  const runDir = path.resolve('.soak', new Date().toISOString().replace(/[:.]/g, '-'))
  mkdirSync(runDir, { recursive: true })
  const instances: Proc[] = []
  let sockets: WebSocket[] = []
  try {
    log('database: migrating and seeding')
    await migrateDeploy(scratch.url, log)
    const tokens = await seedAcme(scratch.url, ['ADMIN', ...Array.from({ length: flags.users }, () => 'AGENT' as const)])
    const [adminToken, ...userTokens] = tokens as [string, ...string[]]

    const baselineBefore = await baseline('before')

    const nodeArgs = (process.env.SOAK_NODE_OPTIONS ?? '').split(/\s+/).filter(Boolean)
    for (let i = 0; i < INSTANCES; i++) {
      // Slow-query summaries and errors are the instance's log: warn and above.
      instances.push(await startAppInstance(scratch.url, redisScratch.prefix, { LOG_LEVEL: 'warn' }, nodeArgs))
    }
    log(`instances on ports ${instances.map((p) => p.port).join(', ')} (pids ${instances.map((p) => p.child.pid).join(', ')}); logs in ${runDir}`)

    const admins = instances.map((p) => apiClient(p.port, adminToken))
    const seedIds = (await admins[0]!.customers.list.query({ limit: 200 })).rows.map((r) => r.id)
    const configHead = (await admins[0]!.config.list.query()).version

    const ledger = new EventLedger(flags.subscribers)
    log(`opening ${flags.subscribers} subscribers (customers.onChanged + config.onPublished)`)
    sockets = await openAll(flags.subscribers, (s, ready, fail) =>
      subscriber(instances[s % INSTANCES]!.port, userTokens[s % userTokens.length]!, configHead, ledger, ready, fail),
    )

    const clock: Clock = { current: new MinuteStats(), running: true }
    log(`load: ${flags.users} users, a publish every ${flags['publish-every-s']} s, ${flags.minutes} minute(s)`)
    const users = userTokens.map((token, n) => virtualUser(n, apiClient(instances[n % INSTANCES]!.port, token), seedIds, clock, ledger))
    const publishing = publisher(admins, clock, ledger)

    const minutes: ReturnType<typeof minuteLine>[] = []
    let minuteStart = performance.now()
    for (let m = 1; m <= flags.minutes; m++) {
      await sleep(Math.max(0, minuteStart + MINUTE_MS - performance.now()))
      const stats = clock.current
      clock.current = new MinuteStats()
      const seconds = (performance.now() - minuteStart) / 1000
      minuteStart = performance.now()
      const readings = await Promise.all(instances.map(instanceReading))
      const open = sockets.filter((ws) => ws.readyState === WebSocket.OPEN).length
      const line = minuteLine(m, stats, seconds, readings, ledger.settle(), ledger, open)
      minutes.push(line)
      process.stdout.write(`${JSON.stringify(line)}\n`)
    }
    clock.running = false
    await Promise.all([...users, publishing])
    await sleep(EVENT_GRACE_MS)
    const lateMissed = ledger.settle(Number.POSITIVE_INFINITY)

    const outputs = instances.map((p) => p.output())
    instances.forEach((p, i) => writeFileSync(path.join(runDir, `instance-${i}.log`), p.output()))
    await closeAll(sockets)
    sockets = []
    for (const p of instances.splice(0)) await p.stop()

    const baselineAfter = await baseline('after')

    const window = minutes.slice(-Math.min(5, Math.max(1, minutes.length - 1)))
    const first = minutes[0]!
    const last = minutes.at(-1)!
    const delays = minutes.flatMap((m) => m.instances.map((i) => i.eventLoopDelayP99Ms ?? Number.POSITIVE_INFINITY))
    const total5xx = minutes.reduce((n, m) => n + m.serverErrors5xx, 0)
    const summary = {
      summary: true,
      minutes: flags.minutes,
      users: flags.users,
      subscribers: flags.subscribers,
      publishEverySeconds: flags['publish-every-s'],
      thinkMs: flags['think-ms'],
      instances: INSTANCES,
      database: scratch.kind,
      calls: minutes.reduce((n, m) => n + m.calls, 0),
      serverErrors5xx: total5xx,
      otherErrors: minutes.reduce((n, m) => n + m.otherErrors, 0),
      missedEvents: ledger.missed,
      missedAfterTheEnd: lateMissed,
      duplicateEvents: ledger.duplicates,
      resyncs: ledger.resyncs,
      eventLoopDelayP99MsWorst: Math.max(...delays),
      rssMbByMinute: minutes.map((m) => m.instances.map((i) => i.rssMb)),
      heapUsedMbByMinute: minutes.map((m) => m.instances.map((i) => i.heapUsedMb)),
      reqPerSecByMinute: minutes.map((m) => m.reqPerSec),
      throughputLastOverFirst: ratio(last.reqPerSec, first.reqPerSec),
      warnLines: outputs.map((o) => o.split('\n').filter((l) => /"level":"(warn|error)"|\bwarn\b|\berror\b/i.test(l)).length),
      baseline: { before: baselineBefore, after: baselineAfter, afterOverBefore: ratio(baselineAfter.reqPerSec, baselineBefore.reqPerSec) },
      goals: {
        no5xx: total5xx === 0,
        eventLoopDelayP99Under100msEveryMinute: delays.every((d) => d < 100),
        rssFlatLastMinutes: {
          minutes: window.length,
          ok: [0, 1].every((i) =>
            flatWithin(
              window.map((m) => m.instances[i]!.rssMb),
              0.1,
            ),
          ),
        },
        throughputLastWithin5PercentOfFirst: Math.abs(last.reqPerSec - first.reqPerSec) <= 0.05 * first.reqPerSec,
        noMissedEvents: ledger.missed === 0,
      },
      logs: runDir,
      note:
        'Closed-loop users (each call waits for the previous answer), so req/s is what the two instances sustain on this machine. ' +
        'The goals are absolute or against the run’s own first minutes; the baseline (bare node:http, same users, before and after) shows how far the machine itself drifted. ' +
        'Event-loop delay: each instance’s /healthz (perf_hooks.monitorEventLoopDelay, 20 ms resolution), a window of about a minute. ' +
        'missedEvents: per write or publish, the subscribers that had not received its event 5 s after it answered.',
    }
    process.stdout.write(`${JSON.stringify(summary, null, 2)}\n`)
  } finally {
    await closeAll(sockets)
    for (const p of instances) await p.stop()
    await redisScratch.drop()
    await scratch.drop()
  }
}

runMain(main)
