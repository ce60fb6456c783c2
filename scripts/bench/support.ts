// What every `npm run bench:*` script needs: numeric flags, progress on stderr (stdout carries only
// the JSON result), percentile summaries, and a database and a Redis key prefix of its own for the
// run, so a benchmark never touches the demo data in .data/, another database or another app's keys.
// For the benchmarks that run the app as separate processes (realtime, soak): starting app
// instances and other servers as child processes, their memory, and a typed API client.
import { spawn, type ChildProcess } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { freePort } from '../../tests/support/app-process'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseArgs, type ParseArgsConfig } from 'node:util'
import { Redis } from 'ioredis'
import WebSocket from 'ws'
import superjson from 'superjson'
import { createTRPCClient, httpLink } from '@trpc/client'
import type { AppRouter } from '../../server/app-router'
import { insertApiToken } from '../../server/auth/api-tokens'
import { createDb, type Role } from '../../server/db/client'
import { seedDemo } from '../../server/seed/demo'
import { createScratchDatabase, type ScratchDatabase } from '../../server/db/scratch-database'
import { migrateDeploy } from '../../server/db/migrate'
import { loadEnv, type Env } from '../../server/env'
import { silentLogger } from '../../server/logger'
import { createServices, type ServiceHandle } from '../../server/services'

/** Progress and notes: stderr, so stdout stays one JSON object a caller can pipe into jq. */
export const log = (line: string) => process.stderr.write(`[bench] ${line}\n`)

/** Runs a bench's `main` and exits: 0 when it finished, 1 with the error (child processes and sockets must not keep it alive). */
export function runMain(main: () => Promise<void>): void {
  main().then(
    () => process.exit(0),
    (err: unknown) => {
      console.error(err)
      process.exit(1)
    },
  )
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms))

/**
 * `--name value` flags, all numeric, with their defaults; an unknown flag or a value that is not a
 * non-negative number stops the script (a typo must not silently run the default benchmark).
 */
export function numericFlags<K extends string>(defaults: Record<K, number>): Record<K, number> {
  const options: ParseArgsConfig['options'] = {}
  for (const [name, value] of Object.entries<number>(defaults)) options[name] = { type: 'string', default: String(value) }
  const { values } = parseArgs({ options })
  const flags = {} as Record<K, number>
  for (const name of Object.keys(defaults) as K[]) {
    const n = Number(values[name])
    if (!Number.isFinite(n) || n < 0) throw new Error(`--${name} must be a non-negative number, got "${String(values[name])}"`)
    flags[name] = n
  }
  return flags
}

export const round = (n: number) => Math.round(n * 100) / 100

/**
 * a / b to three significant digits (a throughput ratio of 0.0123 must not round to 0.01), or null
 * when there is no b to divide by.
 */
export const ratio = (a: number, b: number) => (b > 0 ? Number((a / b).toPrecision(3)) : null)

/** Nearest-rank percentile of an ascending array (NaN when empty). */
export function percentile(sorted: number[], p: number): number {
  return sorted.length ? sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]! : NaN
}

export type Summary = { n: number; min: number; p50: number; p95: number; p99: number; max: number; mean: number }

/** The usual description of a set of samples (milliseconds, in our benchmarks), rounded. */
export function summarize(values: number[]): Summary {
  const sorted = [...values].sort((a, b) => a - b)
  return {
    n: sorted.length,
    min: round(sorted[0] ?? NaN),
    p50: round(percentile(sorted, 50)),
    p95: round(percentile(sorted, 95)),
    p99: round(percentile(sorted, 99)),
    max: round(sorted.at(-1) ?? NaN),
    mean: round(sorted.reduce((a, b) => a + b, 0) / sorted.length),
  }
}

export type { ScratchDatabase }

/** An empty database for one run (see server/db/scratch-database.ts). Not migrated yet. */
export const scratchDatabase = (serverUrl = process.env.DATABASE_URL || undefined): Promise<ScratchDatabase> => createScratchDatabase(serverUrl, 'pulse8_bench')

export interface ScratchRedisPrefix {
  /** REDIS_PREFIX for the services under test: `bench:<random>:`. */
  prefix: string
  /** Deletes every key under the prefix (event buffers and rate-limit counters would otherwise linger for up to a day). */
  drop(): Promise<void>
}

export function scratchRedisPrefix(redisUrl = process.env.REDIS_URL || undefined): ScratchRedisPrefix {
  const prefix = `bench:${randomBytes(4).toString('hex')}:`
  return {
    prefix,
    async drop() {
      if (!redisUrl) return
      const redis = new Redis(redisUrl, { maxRetriesPerRequest: 1 })
      try {
        let cursor = '0'
        do {
          const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 500)
          cursor = next
          if (keys.length) await redis.del(...keys)
        } while (cursor !== '0')
      } finally {
        redis.disconnect()
      }
    },
  }
}

export type ScratchRun = { services: ServiceHandle; env: Env; url: string; kind: ScratchDatabase['kind'] }

/**
 * The app's services on a migrated scratch database (and Redis prefix) for the length of `work`,
 * in production settings with logging off (stdout is the script's result; a log line per call
 * would also be a cost the benchmark does not mean to measure). Everything is dropped afterwards.
 */
export async function withScratchServices<T>(work: (run: ScratchRun) => Promise<T>): Promise<T> {
  const scratch = await scratchDatabase()
  const redisScratch = scratchRedisPrefix()
  try {
    await migrateDeploy(scratch.url, log)
    const env = loadEnv({ NODE_ENV: 'production', LOG_LEVEL: 'silent', REDIS_URL: process.env.REDIS_URL, REDIS_PREFIX: redisScratch.prefix })
    const services = createServices(env, scratch.url, silentLogger)
    try {
      return await work({ services, env, url: scratch.url, kind: scratch.kind })
    } finally {
      await services.close()
    }
  } finally {
    await redisScratch.drop()
    await scratch.drop()
  }
}

// ---- child processes (the app as it runs in production, and bare baselines) -------------------

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..')
/** What a process's output keeps in memory: enough to read a failure or a probe's answer. */
const OUTPUT_TAIL_CHARS = 1_000_000

// One way to find a free port: the tests' own.
export { freePort }

export type Proc = {
  child: ChildProcess
  port: number
  /** stdout and stderr, interleaved; the last OUTPUT_TAIL_CHARS of them on a long run. */
  output(): string
  stop(): Promise<void>
}

/**
 * Runs `script` (a path from the repository root) under tsx with memory-probe.ts preloaded, on a
 * free port (PORT), and waits until `ready` says so (90 s at most). `nodeArgs` go before the
 * script (profiling flags, for instance).
 */
export async function startProc(
  script: string,
  env: Record<string, string>,
  ready: (port: number, out: string) => Promise<boolean>,
  nodeArgs: string[] = [],
): Promise<Proc> {
  const port = await freePort()
  const child = spawn(process.execPath, [...nodeArgs, '--expose-gc', '--import', 'tsx', '--import', './scripts/bench/memory-probe.ts', script], {
    cwd: ROOT,
    env: { ...process.env, ...env, PORT: String(port) },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let out = ''
  const keep = (c: Buffer) => {
    out += c.toString()
    if (out.length > 2 * OUTPUT_TAIL_CHARS) out = out.slice(-OUTPUT_TAIL_CHARS)
  }
  child.stdout!.on('data', keep)
  child.stderr!.on('data', keep)
  const deadline = Date.now() + 90_000
  while (!(await ready(port, out))) {
    if (child.exitCode !== null) throw new Error(`${script} exited:\n${out}`)
    if (Date.now() > deadline) throw new Error(`${script} not ready:\n${out}`)
    await sleep(200)
  }
  return {
    child,
    port,
    output: () => out,
    async stop() {
      if (child.exitCode !== null) return
      const exited = new Promise((r) => child.once('exit', r))
      child.kill('SIGTERM')
      await Promise.race([exited, sleep(10_000)])
      if (child.exitCode === null) child.kill('SIGKILL')
    },
  }
}

const healthy = (port: number) =>
  fetch(`http://127.0.0.1:${port}/healthz`).then(
    (r) => r.ok,
    () => false,
  )

/**
 * One app instance (server/main.ts) in production mode on `databaseUrl` (already migrated), with
 * REDIS_URL's bus under `redisPrefix` when there is one, no demo seed, and only errors logged
 * unless `env` says otherwise. API only unless `npm run build` has left a Remix build.
 */
/** One throwaway key per run: every instance must decrypt what another encrypted (tenant secrets). */
const RUN_SECRETS_KEY = process.env.SECRETS_KEY || randomBytes(32).toString('base64')

export function startAppInstance(databaseUrl: string, redisPrefix: string, env: Record<string, string> = {}, nodeArgs: string[] = []): Promise<Proc> {
  return startProc(
    'server/main.ts',
    {
      NODE_ENV: 'production',
      HOST: '127.0.0.1',
      DATABASE_URL: databaseUrl,
      REDIS_URL: process.env.REDIS_URL ?? '',
      REDIS_PREFIX: redisPrefix,
      SEED_DEMO: 'false',
      LOG_LEVEL: 'error',
      // Production on PostgreSQL requires a key (decision 019); the run's secrets protect nothing.
      SECRETS_KEY: RUN_SECRETS_KEY,
      ...env,
    },
    healthy,
    nodeArgs,
  )
}

/** Live memory (heap + external, after a full GC) of a server process, in kB, via memory-probe.ts. */
export async function liveKb(p: Proc): Promise<number> {
  const before = p.output().length
  p.child.kill('SIGUSR2')
  const deadline = Date.now() + 10_000
  for (;;) {
    const m = /MEMORY (\{.*\})/.exec(p.output().slice(before))
    if (m) {
      const mem = JSON.parse(m[1]!) as { heapUsed: number; external: number }
      return (mem.heapUsed + mem.external) / 1024
    }
    if (Date.now() > deadline) throw new Error('no memory reading from the server process')
    await sleep(50)
  }
}

export function rssKb(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))
  return m ? Number(m[1]) : NaN
}

/** The typed API of an instance, as an API token's holder reaches it over HTTP. */
export function apiClient(port: number, token: string) {
  return createTRPCClient<AppRouter>({
    links: [httpLink({ url: `http://127.0.0.1:${port}/api/trpc`, transformer: superjson, headers: { authorization: `Bearer ${token}` } })],
  })
}
export type ApiClient = ReturnType<typeof apiClient>

/**
 * Seeds the demo tenants into a migrated database and returns one API token of the acme tenant per
 * role asked for, in that order.
 */
export async function seedAcme(databaseUrl: string, roles: Role[]): Promise<string[]> {
  const db = createDb(databaseUrl)
  try {
    const { tenants } = await seedDemo(db)
    const acme = tenants.find((t) => t.slug === 'acme')!.id
    const tokens: string[] = []
    for (const [i, role] of roles.entries()) tokens.push((await insertApiToken(db, acme, role, `bench ${role} ${i}`)).token)
    return tokens
  } finally {
    await db.$disconnect()
  }
}

/** Opens sockets in batches; resolves when each one has called `ready`. */
export async function openAll(n: number, open: (i: number, ready: () => void, fail: (e: unknown) => void) => WebSocket): Promise<WebSocket[]> {
  const sockets: WebSocket[] = []
  const BATCH = 200
  for (let start = 0; start < n; start += BATCH) {
    await Promise.all(
      Array.from({ length: Math.min(BATCH, n - start) }, (_, j) => new Promise<void>((resolve, reject) => sockets.push(open(start + j, resolve, reject)))),
    )
  }
  return sockets
}

export async function closeAll(sockets: WebSocket[]) {
  await Promise.all(
    sockets.map(
      (ws) =>
        new Promise<void>((resolve) => {
          if (ws.readyState === WebSocket.CLOSED) return resolve()
          ws.once('close', () => resolve())
          ws.close()
          setTimeout(() => (ws.terminate(), resolve()), 2_000)
        }),
    ),
  )
}
