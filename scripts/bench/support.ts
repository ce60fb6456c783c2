// What every `npm run bench:*` script needs: numeric flags, progress on stderr (stdout carries only
// the JSON result), percentile summaries, and a database and a Redis key prefix of its own for the
// run, so a benchmark never touches the demo data in .data/, another database or another app's keys.
import { randomBytes } from 'node:crypto'
import { parseArgs, type ParseArgsConfig } from 'node:util'
import { Redis } from 'ioredis'
import { createScratchDatabase, type ScratchDatabase } from '../../server/db/scratch-database'
import { migrateDeploy } from '../../server/db/migrate'
import { loadEnv, type Env } from '../../server/env'
import { silentLogger } from '../../server/logger'
import { createServices, type ServiceHandle } from '../../server/services'

/** Progress and notes: stderr, so stdout stays one JSON object a caller can pipe into jq. */
export const log = (line: string) => process.stderr.write(`[bench] ${line}\n`)

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
