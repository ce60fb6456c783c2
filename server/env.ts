// Every setting the server reads, parsed and validated once at start. Nothing else reads
// process.env: modules receive the typed `Env` (or the part they need) as an argument.
import { z } from 'zod'

const booleanFlag = z.enum(['true', 'false', '1', '0']).transform((v) => v === 'true' || v === '1')

const envSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().min(1).default('0.0.0.0'),
  /** A real PostgreSQL; when absent the embedded PGlite database is used. */
  DATABASE_URL: z.url({ protocol: /^postgres(ql)?$/ }).optional(),
  /** Redis for the event bus and rate limits; when absent both are in-process. */
  REDIS_URL: z.url({ protocol: /^rediss?$/ }).optional(),
  /** Prefix of every Redis key and channel, so several deployments (or test runs) can share one Redis. */
  REDIS_PREFIX: z.string().min(1).default('pulse8:'),
  /** Where the embedded database keeps its files (default: .data/pglite in the checkout). */
  DATA_DIR: z.string().min(1).optional(),
  /** The origin browsers use, for the CSRF same-origin check behind a proxy; else the Host header. */
  APP_ORIGIN: z.url().optional(),
  /**
   * Whether to believe X-Forwarded-For for the client address (rate limits, logs): `false` (the
   * default: the socket address), a number of proxy hops in front of the app (1 = the address the
   * nearest proxy saw), or `true` (the first address in the header: only if the proxy overwrites it).
   */
  TRUST_PROXY: z
    .string()
    .regex(/^(true|false|\d{1,2})$/, 'true, false or a number of proxy hops')
    .transform((v) => (v === 'true' ? Number.POSITIVE_INFINITY : v === 'false' ? 0 : Number(v)))
    .default(0),
  LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error', 'silent']).default('info'),
  /** Largest accepted request body, in bytes. */
  MAX_BODY_BYTES: z.coerce.number().int().positive().default(1_000_000),
  /** Seed the demo tenants into an empty database at start (see shouldSeedDemo for the default). */
  SEED_DEMO: booleanFlag.optional(),
  /**
   * Run the automation worker in this process (default on). Test helpers start app processes with
   * it off so the default config's automations leave their records alone (tests/support/app-process.ts).
   */
  AUTOMATION_WORKER: booleanFlag.default(true),
  /**
   * How long a worker's claim on an outbox event holds (decision 018): an instance that dies
   * mid-run leaves its events to the others once it runs out. Keep it above a webhook step's
   * retries × timeouts. Tests of a killed instance shrink it.
   */
  AUTOMATION_LEASE_MS: z.coerce.number().int().min(1_000).max(3_600_000).default(60_000),
  /** Queries slower than this are logged as warnings. */
  SLOW_QUERY_MS: z.coerce.number().int().nonnegative().default(20),
  /** Let webhooks reach loopback/private/link-local addresses (tests, local tools). Never in production. */
  WEBHOOK_ALLOW_PRIVATE: booleanFlag.default(false),
  /** Base of the webhook retry backoff (decision 019); tests shrink it. */
  WEBHOOK_RETRY_BASE_MS: z.coerce.number().int().min(1).max(60_000).default(1_000),
  /**
   * The key tenant secrets are encrypted with: 32 bytes, base64. Required in production on a real
   * PostgreSQL (every instance needs the same key); otherwise a key file is generated once next to
   * the embedded database's files (decision 019).
   */
  SECRETS_KEY: z
    .string()
    .refine((v) => Buffer.from(v, 'base64').length === 32, '32 bytes, base64 (openssl rand -base64 32)')
    .optional(),
})

export type Env = z.infer<typeof envSchema>

export class EnvError extends Error {}

/** Parses the environment; throws an EnvError whose message is one readable line. */
export function loadEnv(source: Record<string, string | undefined> = process.env): Env {
  // Empty strings mean "unset" (common in shell exports and CI files).
  const cleaned = Object.fromEntries(Object.entries(source).filter(([, v]) => v !== undefined && v !== ''))
  const parsed = envSchema.safeParse(cleaned)
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')
    throw new EnvError(`Invalid configuration: ${problems}`)
  }
  return parsed.data
}

/**
 * Demo data goes into an empty database unless SEED_DEMO says otherwise: always outside
 * production; in production only into the embedded database (a fresh clone's `npm start`), never
 * into a real PostgreSQL (DATABASE_URL) unless SEED_DEMO=true or `--demo` asks for it.
 */
export function shouldSeedDemo(env: Env): boolean {
  return env.SEED_DEMO ?? (env.NODE_ENV !== 'production' || env.DATABASE_URL === undefined)
}
