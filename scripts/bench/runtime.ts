// `npm run bench:runtime [-- --duration 10 --connections 50 --warmup 2]`
//
// Requests per second of `GET /api/runtime/config` with an API token, for full responses (200)
// and for a poller that already has the current version (If-None-Match → 304), against a bare
// `node:http` server answering the same bytes with the same ETag logic, in the same run.
//
// Both servers run in this process's main thread, one at a time, as the app does in production
// (with the embedded database, PGlite lives in that thread too); autocannon fires from a worker
// thread so that it does not share the event loop it measures. Uses a scratch database
// (support.ts): in-memory embedded, or a new database on DATABASE_URL's server, dropped
// afterwards; REDIS_URL, when set, is the bus. Prints one JSON object on stdout.
import http from 'node:http'
import { createRequire } from 'node:module'
import { seedDemo } from '../../server/seed/demo'
import { createAppServer } from '../../server/http/app-server'
import { insertApiToken } from '../../server/auth/api-tokens'
import { log, numericFlags, ratio, round, sleep, withScratchServices } from './support'

const flags = numericFlags({ duration: 10, connections: 50, warmup: 2 })
const PATH = '/api/runtime/config'

// autocannon ships no type declarations: the slice of its API and result this script uses.
type Histogram = { average: number; p50: number; p97_5: number; p99: number; max: number; total: number }
type AutocannonResult = {
  requests: Histogram
  latency: Histogram
  throughput: Histogram
  errors: number
  timeouts: number
  statusCodeStats: Record<string, { count: number }>
}
type AutocannonOptions = { url: string; connections: number; duration: number; headers: Record<string, string>; workers?: number }
const autocannon = createRequire(import.meta.url)('autocannon') as (opts: AutocannonOptions) => Promise<AutocannonResult>

/** One load run; throws unless every answer had the expected status. */
async function load(url: string, headers: Record<string, string>, duration: number, expect: number) {
  const r = await autocannon({ url, headers, duration, connections: flags.connections, workers: 1 })
  const answered = Object.values(r.statusCodeStats).reduce((n, s) => n + s.count, 0)
  const expected = r.statusCodeStats[String(expect)]?.count ?? 0
  if (expected !== answered || r.errors > 0) {
    throw new Error(`expected only ${expect}s, got ${JSON.stringify(r.statusCodeStats)} and ${r.errors} connection errors (${r.timeouts} timeouts)`)
  }
  return {
    reqPerSec: round(r.requests.average),
    responses: r.requests.total,
    latencyMs: { p50: r.latency.p50, p97_5: r.latency.p97_5, p99: r.latency.p99, max: r.latency.max },
    mbPerSec: round(r.throughput.average / 1e6),
  }
}

await withScratchServices(async ({ services, env, kind }) => {
  const app = createAppServer({ services, maxBodyBytes: env.MAX_BODY_BYTES })
  let baseline: http.Server | undefined
  try {
    const { tenants } = await seedDemo(services.db)
    const tenantId = tenants.find((t) => t.slug === 'acme')!.id
    // A read-only token: what a tool polling the live config would hold.
    const { token } = await insertApiToken(services.db, tenantId, 'VIEWER', 'bench')
    const auth = { authorization: `Bearer ${token}` }

    const appUrl = `http://127.0.0.1:${await app.listen(0, '127.0.0.1')}${PATH}`
    const first = await fetch(appUrl, { headers: auth })
    const etag = first.headers.get('etag')
    if (first.status !== 200 || !etag) throw new Error(`${PATH} answered ${first.status} without an ETag: ${await first.text()}`)
    const body = Buffer.from(await first.arrayBuffer())
    const revalidated = await fetch(appUrl, { headers: { ...auth, 'if-none-match': etag } })
    if (revalidated.status !== 304) throw new Error(`${PATH} with If-None-Match answered ${revalidated.status}, not 304`)

    // The least an endpoint serving this JSON can do: the bytes as they are, the ETag compare, no
    // auth, no routing, no database.
    baseline = http.createServer((req, res) => {
      res.setHeader('ETag', etag)
      res.setHeader('Cache-Control', 'private, no-cache')
      if (req.headers['if-none-match'] === etag) return void res.writeHead(304).end()
      res.writeHead(200, { 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': body.length }).end(body)
    })
    const baselinePort = await new Promise<number>((resolve) => baseline!.listen(0, '127.0.0.1', () => resolve((baseline!.address() as { port: number }).port)))
    const baselineUrl = `http://127.0.0.1:${baselinePort}${PATH}`

    const scenarios = [
      { name: 'full', status: 200, headers: auth },
      { name: 'notModified', status: 304, headers: { ...auth, 'if-none-match': etag } },
    ] as const
    const results: Record<string, { pulse8: Awaited<ReturnType<typeof load>>; baseline: Awaited<ReturnType<typeof load>> }> = {}
    for (const s of scenarios) {
      const measure = async (label: string, url: string) => {
        log(`${s.name} (${s.status}) → ${label}: ${flags.warmup} s warm-up, ${flags.duration} s measured, ${flags.connections} connections`)
        if (flags.warmup > 0) await load(url, s.headers, flags.warmup, s.status)
        const measured = await load(url, s.headers, flags.duration, s.status)
        // The app's fire-and-forget writes (a token's lastUsedAt) may still be queued: let them
        // drain before the next run shares this thread with them.
        await sleep(1_000)
        return measured
      }
      const pulse8 = await measure('pulse-8', appUrl)
      results[s.name] = { pulse8, baseline: await measure('bare node:http', baselineUrl) }
    }

    const ratios = (name: string) => {
      const { pulse8, baseline: base } = results[name]!
      return {
        reqPerSec: ratio(pulse8.reqPerSec, base.reqPerSec),
        latencyP50: ratio(pulse8.latencyMs.p50, base.latencyMs.p50),
        latencyP99: ratio(pulse8.latencyMs.p99, base.latencyMs.p99),
      }
    }
    const result = {
      benchmark: `GET ${PATH}`,
      database: kind,
      bus: services.bus.kind,
      configItems: (JSON.parse(body.toString()) as { items: unknown[] }).items.length,
      bodyBytes: body.length,
      connections: flags.connections,
      durationSeconds: flags.duration,
      full200: results.full,
      notModified304: results.notModified,
      ratio: { full200: ratios('full'), notModified304: ratios('notModified') },
      note:
        'ratio = pulse-8 / baseline: reqPerSec below 1 is the share of the baseline throughput pulse-8 reaches; latency above 1 is how many times slower. ' +
        'pulse-8: the real express app (token lookup, tRPC caller, runtime config cache) with logging off; baseline: bare node:http, same bytes and ETag, no auth. ' +
        'Load from one autocannon worker thread in this process.',
    }
    process.stdout.write(`${JSON.stringify(result, null, 2)}\n`)
  } finally {
    await new Promise((resolve) => (baseline?.listening ? baseline.close(resolve) : resolve(undefined)))
    await app.close(1_000)
  }
})
