// `npm run bench:ingest [-- --messages 20000 --connections 50]` (default 2,000 messages; the issue's
// measurement is `--messages 20000`): posts messages to the real HTTP
// endpoint (POST /api/inbox/messages, in-process server on a free port) with N concurrent
// connections: 10% are duplicates of earlier messages, 30% of the unique ones come from new
// senders (customers created in the same transaction), the rest from 500 existing customers.
// Baseline, same run and database: the same number of `INSERT … ON CONFLICT DO NOTHING` rows
// through raw `pg` into a bare table with the same unique key. Prints JSON: messages/s, p50/p95/p99,
// stored count (must equal the unique messages) and duplicates stored (must be 0).
// Works on the embedded database (default) and on PostgreSQL (DATABASE_URL). Not part of `npm test`.
import pg from 'pg'
import { loadEnv } from '../../server/env'
import { silentLogger } from '../../server/logger'
import { createServices } from '../../server/services'
import { migrateDeploy } from '../../server/db/migrate'
import { seedDemo } from '../../server/seed/demo'
import { insertApiToken } from '../../server/auth/api-tokens'
import { createAppServer } from '../../server/http/app-server'
import { log, numericFlags, ratio, round, scratchDatabase, summarize } from './support'

const { messages, connections } = numericFlags({ messages: 2_000, connections: 50 })
const scratch = await scratchDatabase()
const url = scratch.url
const EXISTING_CUSTOMERS = 500

type Message = { externalId: string; channel: 'email'; from: { email: string; name: string }; subject: string; text: string }

/** The posting order: unique messages with every tenth position a duplicate of an earlier one. */
function workload(total: number): { list: Message[]; unique: number } {
  const list: Message[] = []
  let unique = 0
  let newSenders = 0
  for (let i = 0; i < total; i++) {
    if (i % 10 === 9 && list.length > 0) {
      list.push(list[Math.floor(Math.random() * list.length)]!)
      continue
    }
    const fresh = unique % 10 < 3
    const email = fresh ? `new-${newSenders++}@bench.test` : `known-${unique % EXISTING_CUSTOMERS}@bench.test`
    list.push({
      externalId: `m-${unique}`,
      channel: 'email',
      from: { email, name: email.split('@')[0]! },
      subject: `Question ${unique % 997}`,
      text: `Message ${unique} body`,
    })
    unique++
  }
  return { list, unique }
}

try {
  await migrateDeploy(url, log)
  const services = createServices(loadEnv({ NODE_ENV: 'test', LOG_LEVEL: 'silent' }), url, silentLogger)
  const pool = new pg.Pool({ connectionString: url, max: Math.min(connections, 20) })
  const app = createAppServer({ services, maxBodyBytes: 1_000_000 })
  try {
    const { tenants } = await seedDemo(services.db)
    const tenantId = tenants.find((t) => t.slug === 'acme')!.id
    await services.db.customer.createMany({
      data: Array.from({ length: EXISTING_CUSTOMERS }, (_, i) => ({ tenantId, name: `Known ${i}`, email: `known-${i}@bench.test` })),
    })
    // One token per connection: the rate limit is per token (600/min), as for real senders.
    const tokens = await Promise.all(Array.from({ length: connections }, (_, i) => insertApiToken(services.db, tenantId, 'AGENT', `bench ${i}`)))
    const port = await app.listen(0, '127.0.0.1')
    const endpoint = `http://127.0.0.1:${port}/api/inbox/messages`
    const { list, unique } = workload(messages)
    log(`posting ${list.length} messages (${unique} unique) with ${connections} connections`)

    const latencies: number[] = []
    const statuses = new Map<number, number>()
    let next = 0
    const started = performance.now()
    await Promise.all(
      tokens.map(async ({ token }) => {
        while (next < list.length) {
          const body = JSON.stringify(list[next++])
          const t0 = performance.now()
          const res = await fetch(endpoint, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body })
          await res.arrayBuffer()
          latencies.push(performance.now() - t0)
          statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1)
          if (latencies.length % 500 === 0) log(`${latencies.length}/${list.length}`)
        }
      }),
    )
    const seconds = (performance.now() - started) / 1000
    const stored = await services.db.inboxMessage.count({ where: { tenantId } })
    const duplicates = await pool.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM (SELECT 1 FROM "InboxMessage" WHERE "tenantId" = $1 GROUP BY channel, "externalId" HAVING count(*) > 1) d`,
      [tenantId],
    )

    // Baseline: the bare idempotent insert, same rows, same concurrency (bounded by the pool).
    await pool.query(`CREATE TABLE bench_ingest ("tenantId" text, channel text, "externalId" text, body jsonb, UNIQUE ("tenantId", channel, "externalId"))`)
    const baseLatencies: number[] = []
    let b = 0
    const baseStarted = performance.now()
    await Promise.all(
      Array.from({ length: connections }, async () => {
        while (b < list.length) {
          const m = list[b++]!
          const t0 = performance.now()
          await pool.query(`INSERT INTO bench_ingest VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING`, [tenantId, m.channel, m.externalId, JSON.stringify(m)])
          baseLatencies.push(performance.now() - t0)
        }
      }),
    )
    const baseSeconds = (performance.now() - baseStarted) / 1000
    const baseStored = (await pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM bench_ingest`)).rows[0]!.n

    const result = {
      database: process.env.DATABASE_URL ? 'postgresql' : 'embedded',
      messages: list.length,
      uniqueMessages: unique,
      connections,
      endpoint: {
        messagesPerSecond: round(list.length / seconds),
        latencyMs: summarize(latencies),
        statuses: Object.fromEntries(statuses),
        stored,
        storedEqualsUnique: stored === unique,
        duplicatesStored: duplicates.rows[0]!.n,
        customers: await services.db.customer.count({ where: { tenantId, email: { endsWith: '@bench.test' } } }),
      },
      baselineRawInsertOnConflict: { messagesPerSecond: round(list.length / baseSeconds), latencyMs: summarize(baseLatencies), stored: baseStored },
      endpointVsBaselineThroughput: ratio(list.length / seconds, list.length / baseSeconds),
    }
    process.stdout.write(`${JSON.stringify(result, null, 2)}\n`)
    if (stored !== unique || duplicates.rows[0]!.n !== 0) process.exitCode = 1
  } finally {
    await app.close(1_000)
    await pool.end()
    await services.close()
  }
} finally {
  await scratch.drop()
}
