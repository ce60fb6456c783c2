// `npm run bench:dashboard [-- --customers 100000 --runs 40]`: seeds customers with 2 deals and 3
// cases each (the full size is --customers 100000: 200,000 deals, 300,000 cases; the
// default is a tenth of it) into a fresh database (an in-memory embedded one, or a scratch database
// on the DATABASE_URL server, dropped after), then times `dashboard.metrics` for the last 30 days
// through the router (createCaller: auth, tenancy, validation, every group) against the very same
// group statements through raw `pg` (in parallel, as the service runs them), interleaved, in the
// same run. Prints JSON with p50/p95 of each and their ratio. Not part of `npm test`.
// (Inbox messages are not seeded: the inbox group has no data in this build.)
import pg from 'pg'
import { loadEnv } from '../../server/env'
import { silentLogger } from '../../server/logger'
import { createServices } from '../../server/services'
import { migrateDeploy } from '../../server/db/migrate'
import { seedDemo } from '../../server/seed/demo'
import { seedRecords } from '../../server/seed/records'
import { createCaller } from '../../server/http/app-server'
import { createInnerContext, resolvePrincipal } from '../../server/trpc/context'
import { insertApiToken } from '../../server/auth/api-tokens'
import { tenantScope } from '../../server/kernel'
import { caseMetricsOf, caseMetricsQuery } from '../../server/dashboard/metrics/cases'
import { pipelineMetricsOf, pipelineMetricsQuery } from '../../server/dashboard/metrics/pipeline'
import { log, numericFlags, ratio, round, scratchDatabase, summarize } from './support'

const { customers, runs } = numericFlags({ customers: 10_000, runs: 40 })
const scratch = await scratchDatabase()
const url = scratch.url
const DAY = 86_400_000

try {
  await migrateDeploy(url, log)
  const services = createServices(loadEnv({ NODE_ENV: 'test', LOG_LEVEL: 'silent' }), url, silentLogger)
  const pool = new pg.Pool({ connectionString: url, max: 4 })
  try {
    const { tenants } = await seedDemo(services.db)
    const tenantId = tenants.find((t) => t.slug === 'acme')!.id
    const seedStart = performance.now()
    const totals = await seedRecords(services.db, tenantId, {
      customers,
      dealsPerCustomer: 2,
      casesPerCustomer: 3,
      seed: 2026,
      onProgress: (done, total) => done % Math.max(1_000, Math.round(total / 10)) === 0 && log(`seeded ${done}/${total} customers (+ deals, cases)`),
    })
    const seedSeconds = (performance.now() - seedStart) / 1000
    // As autovacuum would have by then: statistics, and the visibility map index-only scans need.
    await pool.query('VACUUM ANALYZE "Customer", "Deal", "Case"')

    const { token } = await insertApiToken(services.db, tenantId, 'VIEWER', 'bench')
    const caller = createCaller(createInnerContext({ services, principal: await resolvePrincipal(services, { authorization: `Bearer ${token}` }) }))
    const tenant = tenantScope(services.db, tenantId).sql
    const owners = (await services.db.membership.findMany({ where: { tenantId, role: { not: 'VIEWER' } }, select: { userId: true } })).map((m) => m.userId)

    const now = Date.now()
    const inputFor = (i: number) => ({
      from: new Date(now - 30 * DAY).toISOString(),
      to: new Date(now).toISOString(),
      timeZone: ['Europe/Berlin', 'America/New_York', 'UTC', 'Asia/Tokyo'][i % 4]!,
      // Every third run narrows to one owner.
      ...(i % 3 === 2 && owners.length ? { ownerId: owners[i % owners.length]! } : {}),
    })

    const routerMs: number[] = []
    const rawMs: number[] = []
    const warmup = 5
    let sample: { openCases: number; createdCases: number; openDeals: number; wonDeals: number } | null = null
    for (let i = 0; i < runs + warmup; i++) {
      const input = inputFor(i)
      const viaRouter = async () => {
        const t = performance.now()
        const result = await caller.dashboard.metrics(input)
        return { result, ms: performance.now() - t }
      }
      const viaPg = async () => {
        const cases = tenant.toPg(caseMetricsQuery(tenant, input))
        const pipeline = tenant.toPg(pipelineMetricsQuery(tenant, input))
        const t = performance.now()
        const [c, p] = await Promise.all([pool.query(cases.text, cases.values), pool.query(pipeline.text, pipeline.values)])
        return { cases: caseMetricsOf(c.rows[0]), pipeline: pipelineMetricsOf(p.rows[0]), ms: performance.now() - t }
      }
      // Alternate which goes first, so neither always runs on the other's warm caches.
      let r: Awaited<ReturnType<typeof viaRouter>>
      let p: Awaited<ReturnType<typeof viaPg>>
      if (i % 2 === 0) {
        r = await viaRouter()
        p = await viaPg()
      } else {
        p = await viaPg()
        r = await viaRouter()
      }
      if (JSON.stringify(r.result.cases) !== JSON.stringify(p.cases) || JSON.stringify(r.result.pipeline) !== JSON.stringify(p.pipeline)) {
        throw new Error(`router and raw SQL disagree on run ${i}`)
      }
      if (i >= warmup) {
        routerMs.push(r.ms)
        rawMs.push(p.ms)
        sample ??= {
          openCases: r.result.cases.open,
          createdCases: r.result.cases.created,
          openDeals: r.result.pipeline.open.count,
          wonDeals: r.result.pipeline.won.count,
        }
      }
      if (i % 10 === 0) log(`run ${i + 1}/${runs + warmup}`)
    }
    const router = summarize(routerMs)
    const rawPg = summarize(rawMs)
    console.log(
      JSON.stringify(
        {
          database: scratch.kind,
          ...totals,
          seedSeconds: round(seedSeconds),
          runs,
          period: 'last 30 days, zones rotating, every third run one owner',
          sample,
          router,
          rawPg,
          ratio: { p50: ratio(router.p50, rawPg.p50), p95: ratio(router.p95, rawPg.p95) },
          goal: 'p95 <= 200 ms on PostgreSQL, router <= 1.2x raw',
        },
        null,
        2,
      ),
    )
  } finally {
    await pool.end()
    await services.close()
  }
} finally {
  await scratch.drop()
}
