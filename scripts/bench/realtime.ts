// `npm run bench:realtime -- [--clients 2000] [--publishes 20] [--interval-ms 300]`
//
// Starts two app instances (child processes running server/main.ts) over one database and one
// Redis, opens N WebSocket subscriptions to `config.onPublished` spread over both, makes K config
// publishes through the instances in turn, and prints JSON: publish→receive latency percentiles,
// missed events and server memory per socket. Then the same for two baselines, two processes each:
// `baseline`, a bare `ws` server broadcasting what one ioredis subscriber hears, and `trpcAdapter`,
// tRPC's WebSocket adapter with one bare subscription sending the same tracked frames as Pulse-8
// (what the adapter alone costs); and the ratios to the bare baseline.
//
// Needs REDIS_URL for two instances; without it, one instance with the in-process bus (said so in
// the JSON). Uses DATABASE_URL's server (a throwaway database on it) or an in-memory embedded one.
// Never part of `npm test`.
import { randomBytes } from 'node:crypto'
import WebSocket from 'ws'
import { Redis } from 'ioredis'
import superjson from 'superjson'
import { migrateDeploy } from '../../server/db/migrate'
import {
  apiClient,
  closeAll,
  openAll,
  seedAcme,
  liveKb,
  log,
  numericFlags,
  ratio,
  rssKb,
  scratchDatabase,
  scratchRedisPrefix,
  sleep,
  startAppInstance,
  startProc,
  summarize,
  type Proc,
  type Summary,
  runMain,
} from './support'

const flags = numericFlags({ clients: 2000, publishes: 20, 'interval-ms': 300 })
const N = flags.clients
const K = flags.publishes
const INTERVAL = flags['interval-ms']
const REDIS_URL = process.env.REDIS_URL || undefined
const INSTANCES = REDIS_URL ? 2 : 1
const WARM_UP = 50
/**
 * Extra node flags for the server processes (Pulse-8's and the baseline's), e.g. to profile one:
 * `BENCH_SERVER_NODE_ARGS="--cpu-prof --cpu-prof-dir=/tmp/prof"` (node refuses --cpu-prof in NODE_OPTIONS).
 */
const SERVER_NODE_ARGS = (process.env.BENCH_SERVER_NODE_ARGS ?? '').split(/\s+/).filter(Boolean)

/** Who received which event when, per socket; a second delivery of an event to one socket is a duplicate. */
function createDeliveries() {
  const received = new Map<string, number[]>()
  const seen = new Set<string>()
  let duplicates = 0
  return {
    received,
    duplicates: () => duplicates,
    record(socket: number, eventId: string) {
      const now = performance.now()
      const mine = `${socket}:${eventId}`
      if (seen.has(mine)) return void duplicates++
      seen.add(mine)
      let list = received.get(eventId)
      if (!list) received.set(eventId, (list = []))
      list.push(now)
    },
  }
}

/** A WebSocket speaking tRPC's protocol with one subscription; `data` gets each event's tracked id. */
function openTrpcSubscriber(
  url: string,
  headers: Record<string, string>,
  subscription: { path: string; lastEventId: string },
  on: { ready: () => void; fail: (e: unknown) => void; data: (id: string) => void },
): WebSocket {
  const ws = new WebSocket(url, { headers })
  ws.on('open', () =>
    ws.send(
      JSON.stringify({
        id: 1,
        jsonrpc: '2.0',
        method: 'subscription',
        params: { path: subscription.path, input: superjson.serialize({ lastEventId: subscription.lastEventId }) },
      }),
    ),
  )
  ws.on('message', (raw) => {
    const text = String(raw)
    if (text === 'PING') return void ws.send('PONG')
    const msg = JSON.parse(text) as { result?: { type?: string; id?: string }; error?: unknown }
    if (msg.error) return on.fail(new Error(JSON.stringify(msg.error)))
    if (msg.result?.type === 'started') return on.ready()
    if (msg.result?.type === 'data' && msg.result.id) on.data(String(msg.result.id))
  })
  ws.on('error', on.fail)
  return ws
}

type RunResult = {
  latencyMs: Summary
  /** Per publish: first socket to last socket receiving it. */
  fanOutSpreadMs: Summary
  missedEvents: number
  duplicateEvents: number
  /** Live memory (heap + external after GC) added per open socket, summed over the server processes. */
  memoryPerSocketKb: number
  serverRssMb: number[]
}

function summarizeRun(
  sent: Map<string, number>,
  received: Map<string, number[]>,
  dup: number,
  liveBefore: number[],
  liveAfter: number[],
  rss: number[],
  n: number,
): RunResult {
  const latencies: number[] = []
  const spreads: number[] = []
  let got = 0
  for (const [key, t0] of sent) {
    const times = received.get(key) ?? []
    got += times.length
    for (const t of times) latencies.push(t - t0)
    if (times.length) spreads.push(Math.max(...times) - Math.min(...times))
  }
  const delta = liveAfter.reduce((a, b) => a + b, 0) - liveBefore.reduce((a, b) => a + b, 0)
  return {
    latencyMs: summarize(latencies),
    fanOutSpreadMs: summarize(spreads),
    missedEvents: sent.size * n - got,
    duplicateEvents: dup,
    memoryPerSocketKb: Math.round((delta / n) * 10) / 10,
    serverRssMb: rss.map((kb) => Math.round(kb / 102.4) / 10),
  }
}

// ---- Pulse-8 ---------------------------------------------------------------------------------------

async function benchPulse(databaseUrl: string, tokens: { agent: string; admin: string }, prefix: string): Promise<RunResult & { publishCallMs: Summary }> {
  const instances: Proc[] = []
  for (let i = 0; i < INSTANCES; i++) {
    instances.push(await startAppInstance(databaseUrl, prefix, {}, SERVER_NODE_ARGS))
  }
  try {
    const apis = instances.map((p) => apiClient(p.port, tokens.admin))
    const head = (await apis[0]!.config.list.query()).version
    const deliveries = createDeliveries()
    const open = (i: number, ready: () => void, fail: (e: unknown) => void) =>
      openTrpcSubscriber(
        `ws://127.0.0.1:${instances[Math.abs(i) % INSTANCES]!.port}/api/trpc`,
        { authorization: `Bearer ${tokens.agent}` },
        { path: 'config.onPublished', lastEventId: String(head) },
        { ready, fail, data: (id) => i >= 0 && deliveries.record(i, id) },
      )
    // Warm-up sockets (not measured) so first-use allocations do not count as per-socket memory.
    const warm = await openAll(WARM_UP, (i, ready, fail) => open(-1 - i, ready, fail))
    await sleep(1_000)
    const liveBefore = await Promise.all(instances.map(liveKb))
    log(`pulse: opening ${N} subscriptions over ${INSTANCES} instance(s)`)
    const sockets = await openAll(N, open)
    await sleep(1_000)
    const liveAfter = await Promise.all(instances.map(liveKb))
    const rss = instances.map((p) => rssKb(p.child.pid!))
    log(`pulse: ${K} publishes`)
    const sent = new Map<string, number>()
    const callMs: number[] = []
    for (let k = 0; k < K; k++) {
      const api = apis[k % apis.length]!
      const address = { namespace: 'views' as const, entity: 'customer', key: 'all' }
      const current = await api.config.get.query(address)
      await api.config.saveDraft.mutate({
        ...address,
        expectedRevision: current.draftRevision,
        content: { ...(current.content as object), label: `Bench ${k}` },
      })
      const { version } = await api.config.list.query()
      const t0 = performance.now()
      sent.set(String(version + 1), t0)
      const res = await api.config.publish.mutate({ expectedVersion: version, message: `bench ${k}` })
      callMs.push(performance.now() - t0)
      if (res.version !== version + 1) throw new Error('unexpected version')
      await sleep(INTERVAL)
    }
    await sleep(3_000)
    const result = summarizeRun(sent, deliveries.received, deliveries.duplicates(), liveBefore, liveAfter, rss, N)
    await closeAll([...warm, ...sockets])
    return { ...result, publishCallMs: summarize(callMs) }
  } finally {
    for (const p of instances) await p.stop()
  }
}

// ---- baselines: bare ws + ioredis, and tRPC's adapter + ioredis ------------------------------------------

/**
 * The same publishes through a server that does nothing but broadcast: `bare` is a `ws` server
 * sending each message to every socket (baseline-server.ts); `trpc` is tRPC's WebSocket adapter
 * with one subscription and the same frames as Pulse-8's (trpc-baseline-server.ts).
 */
async function benchBaseline(kind: 'bare' | 'trpc'): Promise<RunResult> {
  const channel = `bench:baseline:${randomBytes(4).toString('hex')}`
  const script = kind === 'bare' ? 'scripts/bench/baseline-server.ts' : 'scripts/bench/trpc-baseline-server.ts'
  const servers: Proc[] = []
  for (let i = 0; i < INSTANCES; i++) {
    servers.push(await startProc(script, { REDIS_URL: REDIS_URL ?? '', CHANNEL: channel }, async (_port, out) => out.includes('ready')))
  }
  const redis = REDIS_URL ? new Redis(REDIS_URL) : null
  try {
    const deliveries = createDeliveries()
    const open = (i: number, ready: () => void, fail: (e: unknown) => void) => {
      const url = `ws://127.0.0.1:${servers[Math.abs(i) % INSTANCES]!.port}/`
      const data = (id: string) => i >= 0 && deliveries.record(i, id)
      if (kind === 'trpc') return openTrpcSubscriber(url, {}, { path: 'onEvent', lastEventId: '0' }, { ready, fail, data })
      const ws = new WebSocket(url)
      ws.on('open', () => ready())
      ws.on('message', (raw) => data((JSON.parse(String(raw)) as { seq: string }).seq))
      ws.on('error', fail)
      return ws
    }
    const warm = await openAll(WARM_UP, (i, ready, fail) => open(-1 - i, ready, fail))
    await sleep(1_000)
    const liveBefore = await Promise.all(servers.map(liveKb))
    log(`baseline (${kind}): opening ${N} sockets over ${INSTANCES} process(es)`)
    const sockets = await openAll(N, open)
    await sleep(1_000)
    const liveAfter = await Promise.all(servers.map(liveKb))
    const rss = servers.map((p) => rssKb(p.child.pid!))
    log(`baseline (${kind}): ${K} publishes`)
    const sent = new Map<string, number>()
    for (let k = 0; k < K; k++) {
      const body = JSON.stringify({
        seq: String(k + 1),
        version: k + 1,
        checksum: 'x'.repeat(64),
        message: `bench ${k}`,
        kind: 'publish',
        authorLabel: 'bench',
        changedItems: 1,
        at: new Date().toISOString(),
      })
      sent.set(String(k + 1), performance.now())
      if (redis) await redis.publish(channel, body)
      else warm[0]!.send(`pub ${body}`)
      await sleep(INTERVAL)
    }
    await sleep(2_000)
    const result = summarizeRun(sent, deliveries.received, deliveries.duplicates(), liveBefore, liveAfter, rss, N)
    await closeAll([...warm, ...sockets])
    return result
  } finally {
    redis?.disconnect()
    for (const p of servers) await p.stop()
  }
}

/** A run against the bare baseline of the same run (`trpcAdapterRatio`: what tRPC's adapter alone costs). */
function ratios(run: RunResult, base: RunResult) {
  return {
    latencyP50: ratio(run.latencyMs.p50, base.latencyMs.p50),
    latencyP95: ratio(run.latencyMs.p95, base.latencyMs.p95),
    latencyP99: ratio(run.latencyMs.p99, base.latencyMs.p99),
    fanOutSpreadP50: ratio(run.fanOutSpreadMs.p50, base.fanOutSpreadMs.p50),
    memoryPerSocket: ratio(run.memoryPerSocketKb, base.memoryPerSocketKb),
  }
}

// ---- main -------------------------------------------------------------------------------------------

async function main() {
  const scratch = await scratchDatabase()
  const databaseUrl = scratch.url
  const redisScratch = scratchRedisPrefix(REDIS_URL)
  try {
    log('database: migrating and seeding')
    await migrateDeploy(databaseUrl, log)
    const [agent, admin] = await seedAcme(databaseUrl, ['AGENT', 'ADMIN'])
    const tokens = { agent: agent!, admin: admin! }

    const pulse = await benchPulse(databaseUrl, tokens, redisScratch.prefix)
    const baseline = await benchBaseline('bare')
    const trpcAdapter = await benchBaseline('trpc')
    const report = {
      clients: N,
      publishes: K,
      intervalMs: INTERVAL,
      instances: INSTANCES,
      bus: REDIS_URL ? 'redis' : 'memory',
      database: scratch.kind,
      note: REDIS_URL
        ? 'latency: from the start of the publish call (Pulse-8: a config.publish mutation, i.e. its transaction too; baseline: a bare redis PUBLISH) to each socket receiving the event; publishCallMs is the mutation alone'
        : 'REDIS_URL unset: one instance with the in-process bus (and one baseline process), not the two-instance setup',
      pulse8: pulse,
      baseline,
      trpcAdapter,
      ratio: ratios(pulse, baseline),
      trpcAdapterRatio: ratios(trpcAdapter, baseline),
    }
    process.stdout.write(JSON.stringify(report, null, 2) + '\n')
  } finally {
    await redisScratch.drop()
    await scratch.drop()
  }
}

runMain(main)
