// `npm run bench:automations [-- --changes 10000 --producers 8 --concurrency 5 --rate 0]`: record changes
// (customers created through the crm service, each matching one automation with two actions:
// addTag + notify) processed by two automation workers, each on its own services ("instances"),
// over one scratch database (PostgreSQL when DATABASE_URL is set, else embedded). Reports runs/s,
// change → last-action-committed latency (the event's commit to the run's finish) p50/p95/p99,
// duplicates (must be 0) and lost (must be 0). Baseline in the same run: as many
// `INSERT … RETURNING` + `UPDATE` pairs through raw `pg` with the same producer concurrency.
// Not part of `npm test`.
import pg from 'pg'
import { loadEnv } from '../../server/env'
import { silentLogger } from '../../server/logger'
import { createServices, type ServiceHandle } from '../../server/services'
import { migrateDeploy } from '../../server/db/migrate'
import { seedDemo } from '../../server/seed/demo'
import { tenantScope, systemActor } from '../../server/kernel'
import { createRecord } from '../../server/crm/record-service'
import { saveDraft } from '../../server/config/drafts'
import { publishConfig } from '../../server/config/publish'
import { headVersion } from '../../server/config/config-store'
import { createAutomationWorker, workerConcurrency } from '../../server/automation/worker'
import { log, numericFlags, ratio, round, scratchDatabase, summarize } from './support'

const flags = numericFlags({ changes: 1_000, producers: 8, concurrency: 0, rate: 0 })
// --rate N: offer N changes per second (open loop) instead of as fast as the producers go; the
// latency of a system below its capacity, where the default measures it saturated (backlog).
const { changes, producers, rate } = flags
const scratch = await scratchDatabase()
// --concurrency 0 (the default): what server/main.ts uses for this kind of database.
const concurrency = scratch.kind === 'embedded' ? 1 : flags.concurrency || workerConcurrency(false)
const url = scratch.url
const instances: ServiceHandle[] = []

/** Runs `count` jobs with `width` at a time. */
async function inParallel(count: number, width: number, job: (i: number) => Promise<void>) {
  let next = 0
  await Promise.all(
    Array.from({ length: width }, async () => {
      for (let i = next++; i < count; i = next++) await job(i)
    }),
  )
}

try {
  await migrateDeploy(url, log)
  const env = loadEnv({ NODE_ENV: 'test', LOG_LEVEL: 'silent' })
  // Every statement either instance sends while changes are made and run (the profile's unit: queries per change).
  let queries = 0
  let counting = false
  const onQuery = () => void (counting && queries++)
  for (let i = 0; i < 2; i++) instances.push(createServices(env, url, silentLogger, { onQuery }))
  const [a, b] = instances as [ServiceHandle, ServiceHandle]
  const { tenants } = await seedDemo(a.db)
  const tenantId = tenants.find((t) => t.slug === 'acme')!.id
  const scope = tenantScope(a.db, tenantId)
  const actor = systemActor('bench')

  // The automation under test: every customer created → tag it and tell the managers.
  const items = [
    { namespace: 'triggers', entity: 'customer', key: 'customer-created', content: { event: 'record.created' } },
    { namespace: 'actions', entity: 'customer', key: 'tag-bench', content: { type: 'addTag', tag: 'bench' } },
    { namespace: 'actions', entity: 'customer', key: 'notify-bench', content: { type: 'notify', roles: ['MANAGER'], message: 'New customer: {{name}}' } },
    {
      namespace: 'automations',
      entity: '-',
      key: 'bench',
      content: {
        label: 'Bench',
        entity: 'customer',
        trigger: 'customer-created',
        conditions: [],
        actions: ['tag-bench', 'notify-bench'],
        enabled: true,
        order: 1,
      },
    },
  ] as const
  for (const item of items) await saveDraft(scope, actor, { ...item, expectedRevision: 0 })
  await publishConfig(scope, actor, { expectedVersion: await headVersion(scope.db), message: 'bench automation' }, a)
  const managers = await a.db.membership.count({ where: { tenantId, role: 'MANAGER' } })

  const workers = instances.map((s, i) => createAutomationWorker({ ...s }, { id: `bench-${i}`, concurrency }))
  for (const w of workers) w.start()

  counting = true

  // Changes through both instances, like users on two app servers. CPU time of this process (both
  // instances, producers and workers) per change: steadier than rates on a shared, loaded machine.
  const cpuBefore = process.cpuUsage()
  const started = performance.now()
  await inParallel(changes, producers, async (i) => {
    const s = i % 2 ? b : a
    if (rate > 0) {
      const due = started + (i * 1000) / rate
      const wait = due - performance.now()
      if (wait > 0) await new Promise((r) => setTimeout(r, wait))
    }
    await createRecord(tenantScope(s.db, tenantId), { ...actor, role: 'ADMIN' }, { entity: 'customer', values: { name: `Bench customer ${i}` } }, s)
  })
  const producedSeconds = (performance.now() - started) / 1000
  log(`${changes} changes committed in ${round(producedSeconds)} s; waiting for the runs`)
  // Until every run finished, or nothing finished for a minute (then the rest counts as lost).
  let finished = 0
  let progressAt = Date.now()
  let polls = 0
  while (Date.now() - progressAt < 60_000) {
    polls++
    const now = await a.db.automationRun.count({ where: { tenantId, automationKey: 'bench', status: { in: ['succeeded', 'failed'] } } })
    if (now > finished) progressAt = Date.now()
    finished = now
    if (finished >= changes) break
    await new Promise((r) => setTimeout(r, 100))
  }
  const seconds = (performance.now() - started) / 1000
  for (const w of workers) await w.stop()
  const queriesPerChange = round((queries - polls) / changes)
  const cpu = process.cpuUsage(cpuBefore)
  const cpuMsPerChange = round((cpu.user + cpu.system) / 1000 / changes)

  const runs = await a.db.$queryRaw<Array<{ ms: number; status: string; attempts: number }>>`
    SELECT EXTRACT(EPOCH FROM (r."finishedAt" - e."createdAt")) * 1000 AS ms, r.status,
           (SELECT max((s->>'attempts')::int) FROM jsonb_array_elements(r.steps) s) AS attempts
      FROM "AutomationRun" r JOIN "OutboxEvent" e ON e."tenantId" = r."tenantId" AND e.id = r."eventId"
     WHERE r."tenantId" = ${tenantId} AND r."automationKey" = 'bench'`
  const notified = await a.db.notification.count({ where: { tenantId, source: 'automation:bench' } })
  const tagged = await a.db.$queryRaw<Array<{ n: bigint }>>`
    SELECT count(*) AS n FROM "Customer" WHERE "tenantId" = ${tenantId} AND array_position(tags, 'bench') IS NOT NULL
       AND array_length(array_positions(tags, 'bench'), 1) > 1`
  const succeeded = runs.filter((r) => r.status === 'succeeded').length
  const latency = summarize(runs.map((r) => Number(r.ms)))

  // Baseline: the same number of INSERT … RETURNING + UPDATE pairs through raw pg.
  const pool = new pg.Pool({ connectionString: url, max: producers })
  await pool.query("CREATE TABLE bench_baseline (id serial PRIMARY KEY, name text NOT NULL, tags text[] NOT NULL DEFAULT '{}')")
  const baseStart = performance.now()
  await inParallel(changes, producers, async (i) => {
    const { rows } = await pool.query<{ id: number }>('INSERT INTO bench_baseline (name) VALUES ($1) RETURNING id', [`Bench customer ${i}`])
    await pool.query("UPDATE bench_baseline SET tags = array_append(tags, 'bench') WHERE id = $1", [rows[0]!.id])
  })
  const baseSeconds = (performance.now() - baseStart) / 1000
  await pool.end()

  const runsPerSecond = round(succeeded / seconds)
  const baselinePerSecond = round(changes / baseSeconds)
  console.log(
    JSON.stringify(
      {
        database: scratch.kind,
        instances: 2,
        changes,
        producers,
        offeredRatePerSecond: rate || 'as fast as the producers go',
        workerConcurrency: concurrency,
        automation: 'customer created → addTag + notify (managers)',
        producedSeconds: round(producedSeconds),
        totalSeconds: round(seconds),
        runsPerSecond,
        queriesPerChange,
        cpuMsPerChange,
        latencyMs: latency,
        duplicates: Math.max(0, notified - succeeded * managers) + Number(tagged[0]?.n ?? 0) + runs.filter((r) => r.attempts > 1).length,
        lost: changes - succeeded,
        baseline: { pairsPerSecond: baselinePerSecond, seconds: round(baseSeconds) },
        throughputVsBaseline: ratio(runsPerSecond, baselinePerSecond),
        goals: { p95UnderOneSecond: latency.p95 < 1_000, atLeastHalfBaseline: runsPerSecond >= baselinePerSecond / 2 },
      },
      null,
      2,
    ),
  )
} finally {
  for (const s of instances) await s.close()
  await scratch.drop()
}
