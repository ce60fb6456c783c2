// `npm run bench:views [-- --customers 100000 --pages 60]`: seeds customers into a fresh database
// (an in-memory embedded one, or a scratch database on the DATABASE_URL server, dropped after),
// publishes a view sorting on the custom field in the other direction than the default "Gold
// customers" view (so the published views want an expression index per direction, built after the
// publish as in production: decision 029), then times view pages (custom-field filter +
// custom-field sort + search) through the router (createCaller: auth, tenancy, validation, config,
// SQL, mapping, total) and the very same SQL and total steps (countTotal) through raw `pg`,
// interleaved, in the same run. Prints JSON with p50/p95 of each and their ratio.
// Not part of `npm test`.
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
import { liveModel } from '../../server/crm/live-model'
import { planList, type ListInput } from '../../server/crm/record-service'
import { countTotal } from '../../server/crm/view-query'
import { saveDraft } from '../../server/config/drafts'
import { publishConfig } from '../../server/config/publish'
import { headVersion } from '../../server/config/config-store'
import { systemActor, tenantScope } from '../../server/kernel'
import { log, numericFlags, ratio, round, scratchDatabase, summarize } from './support'

const { customers, pages } = numericFlags({ customers: 100_000, pages: 60 })
const scratch = await scratchDatabase()
const url = scratch.url

try {
  await migrateDeploy(url, log)
  const services = createServices(loadEnv({ NODE_ENV: 'test', LOG_LEVEL: 'silent' }), url, silentLogger)
  const pool = new pg.Pool({ connectionString: url, max: 4 })
  try {
    const { tenants } = await seedDemo(services.db)
    const tenantId = tenants.find((t) => t.slug === 'acme')!.id
    const seedStart = performance.now()
    await seedRecords(services.db, tenantId, {
      customers,
      seed: 2026,
      onProgress: (done, total) => done % 20_000 === 0 && log(`seeded ${done}/${total} customers`),
    })
    const seedSeconds = (performance.now() - seedStart) / 1000
    const publishScope = tenantScope(services.db, tenantId)
    await saveDraft(publishScope, systemActor('bench'), {
      namespace: 'views',
      entity: 'customer',
      key: 'smallest-accounts',
      content: {
        label: 'Smallest accounts',
        columns: [{ field: 'name' }, { field: 'annualRevenue', format: 'currency' }],
        filter: { field: 'tier', op: 'in', value: ['gold', 'silver'] },
        sort: [{ field: 'annualRevenue', direction: 'asc' }],
        pageSize: 25,
      },
      expectedRevision: 0,
    })
    const indexStart = performance.now()
    await publishConfig(publishScope, systemActor('bench'), { expectedVersion: await headVersion(publishScope.db), message: 'bench view' }, services)
    await services.viewIndexes.idle()
    const indexSeconds = (performance.now() - indexStart) / 1000
    const viewIndexes = (await pool.query(`SELECT indexname FROM pg_indexes WHERE tablename = 'Customer' AND indexname LIKE 'view_idx_%'`)).rows.map(
      (r: { indexname: string }) => r.indexname,
    )
    await pool.query('ANALYZE "Customer"')

    const { token } = await insertApiToken(services.db, tenantId, 'ADMIN', 'bench')
    const caller = createCaller(createInnerContext({ services, principal: await resolvePrincipal(services, { authorization: `Bearer ${token}` }) }))
    const scope = tenantScope(services.db, tenantId)
    const tenant = scope.sql

    const searches = ['an', 'er', 'harbor', 'müller', 'logistics', 'ana', 'sven', 'lab']
    const inputFor = (i: number): ListInput => ({
      filter: {
        all: [
          { field: 'tier', op: 'in', value: i % 2 ? ['gold', 'silver'] : ['gold'] },
          { field: 'annualRevenue', op: 'gte', value: [50_000, 200_000, 1_000_000][i % 3]! },
        ],
      },
      sort: [{ field: 'annualRevenue', direction: i % 4 === 0 ? 'asc' : 'desc' }],
      search: searches[i % searches.length],
      limit: 25,
    })

    const routerMs: number[] = []
    const rawMs: number[] = []
    let sample: { total: number; totalIsEstimate: boolean; rows: number } | null = null
    let estimatedTotals = 0
    const warmup = 5
    let cursor: string | undefined
    for (let i = 0; i < pages + warmup; i++) {
      // Every third page follows the previous page's cursor.
      const input = { ...inputFor(i % 3 === 2 && cursor ? i - 1 : i), ...(i % 3 === 2 && cursor ? { cursor } : {}) }
      const viaRouter = async () => {
        const t = performance.now()
        const result = await caller.customers.list(input)
        return { result, ms: performance.now() - t }
      }
      const viaPg = async () => {
        const model = await liveModel(scope, services.runtimeConfig)
        const { planned } = planList(model, { scope, role: 'ADMIN' }, 'customer', input)
        const page = tenant.toPg(planned.page)
        const run = async (query: Parameters<typeof tenant.toPg>[0]) => {
          const q = tenant.toPg(query)
          return (await pool.query(q.text, q.values)).rows as Record<string, unknown>[]
        }
        const t = performance.now()
        const [rows, total] = await Promise.all([pool.query(page.text, page.values), countTotal(planned, run)])
        return { rows, total, ms: performance.now() - t }
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
      const { result, ms: router } = r
      const { rows, total, ms: raw } = p
      cursor = result.nextCursor ?? undefined
      if (
        rows.rowCount !== Math.min(result.rows.length + (result.nextCursor ? 1 : 0), 26) ||
        total.total !== result.total ||
        total.totalIsEstimate !== result.totalIsEstimate
      ) {
        throw new Error(`router and raw SQL disagree on page ${i}`)
      }
      if (i >= warmup) {
        routerMs.push(router)
        rawMs.push(raw)
        sample ??= { total: result.total, totalIsEstimate: result.totalIsEstimate, rows: result.rows.length }
        if (result.totalIsEstimate) estimatedTotals++
      }
    }
    const router = summarize(routerMs)
    const rawPg = summarize(rawMs)
    console.log(
      JSON.stringify(
        {
          database: scratch.kind,
          customers,
          seedSeconds: round(seedSeconds),
          viewIndexes,
          indexSeconds: round(indexSeconds),
          pages,
          view: 'tier in (...) AND annualRevenue >= X, sort annualRevenue, search, 25 rows + total',
          sample,
          estimatedTotals,
          router,
          rawPg,
          ratio: { p50: ratio(router.p50, rawPg.p50), p95: ratio(router.p95, rawPg.p95) },
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
