// `npm run bench:sla [-- --cases 2000 --spread 20 --idle 5]`: SLA clocks whose first-response
// breach falls due over the next `spread` seconds, two scanners (two instances: two database
// clients) racing for them. Prints JSON: delay from due moment to the breach being fired
// (p50/p99/max; goal max ≤ 5 s), duplicates (0), missed (0), and the timers' database load while
// idle (queries per second, both instances together), measured in the same run. The full
// run is `--cases 50000 --spread 300`. Not part of `npm test`.
import { loadEnv } from '../../server/env'
import { silentLogger } from '../../server/logger'
import { createServices } from '../../server/services'
import { migrateDeploy } from '../../server/db/migrate'
import { seedDemo } from '../../server/seed/demo'
import type { Db } from '../../server/db/client'
import { startSlaTimer } from '../../server/sla/sla-timer'
import { log, numericFlags, scratchDatabase, sleep, summarize } from './support'

const { cases, spread, idle } = numericFlags({ cases: 2_000, spread: 20, idle: 5 })
const scratch = await scratchDatabase()
const url = scratch.url

/** A client that counts the statements the scanner starts (a raw query or a transaction). */
function counting(db: Db): { db: Db; count: () => number } {
  let n = 0
  const wrapped = new Proxy(db, {
    get(target, prop, receiver) {
      const value = Reflect.get(target, prop, receiver)
      if ((prop === '$queryRaw' || prop === '$transaction') && typeof value === 'function') {
        return (...args: unknown[]) => {
          n++
          return (value as (...a: unknown[]) => unknown).apply(target, args)
        }
      }
      return value
    },
  })
  return { db: wrapped, count: () => n }
}

try {
  await migrateDeploy(url, log)
  const env = loadEnv({ NODE_ENV: 'test', LOG_LEVEL: 'silent' })
  const instances = [createServices(env, url, silentLogger), createServices(env, url, silentLogger)]
  try {
    const { tenants } = await seedDemo(instances[0]!.db)
    const tenantId = tenants.find((t) => t.slug === 'acme')!.id
    // Clocks straight into the table (the case writes are measured elsewhere): first-response
    // breach due at an even spread over the next `spread` seconds, starting 3 s from now; the
    // warning already fired, resolution far away.
    const start = Date.now() + 3_000
    const far = new Date(start + 365 * 24 * 3600_000)
    const rows = Array.from({ length: cases }, (_, i) => {
      const due = new Date(start + Math.floor((i * spread * 1000) / cases))
      return {
        tenantId,
        caseId: `bench-${i}`,
        policyKey: 'urgent',
        configVersion: 1,
        startedAt: new Date(due.getTime() - 30 * 60_000),
        firstResponseDueAt: due,
        firstResponseWarnAt: new Date(due.getTime() - 6 * 60_000),
        firstResponseWarnedAt: new Date(due.getTime() - 6 * 60_000),
        resolutionDueAt: far,
        resolutionWarnAt: far,
        nextTimerAt: due,
      }
    })
    for (let i = 0; i < rows.length; i += 5_000) await instances[0]!.db.caseSla.createMany({ data: rows.slice(i, i + 5_000) })
    log(`inserted ${cases} clocks due over ${spread} s`)

    const counted = instances.map((s) => counting(s.db))
    const timers = instances.map((s, i) => startSlaTimer({ db: counted[i]!.db, runtimeConfig: s.runtimeConfig, logger: silentLogger }))
    const deadline = start + spread * 1000 + 60_000
    let fired = 0
    while (Date.now() < deadline) {
      fired = await instances[0]!.db.outboxEvent.count({ where: { type: 'sla.breached' } })
      if (fired >= cases) break
      await sleep(500)
    }
    // Idle: nothing left to fire; count what both scanners ask of the database.
    const before = counted.reduce((n, c) => n + c.count(), 0)
    await sleep(idle * 1000)
    const idleQueries = counted.reduce((n, c) => n + c.count(), 0) - before
    await Promise.all(timers.map((t) => t.stop()))

    const events = await instances[0]!.db.outboxEvent.findMany({ where: { type: 'sla.breached' }, select: { recordId: true, payload: true } })
    const perCase = new Map<string, number>()
    const delays: number[] = []
    for (const e of events) {
      perCase.set(e.recordId!, (perCase.get(e.recordId!) ?? 0) + 1)
      const p = e.payload as { dueAt: string; firedAt: string }
      delays.push(Date.parse(p.firedAt) - Date.parse(p.dueAt))
    }
    const delay = summarize(delays.sort((a, b) => a - b))
    console.log(
      JSON.stringify(
        {
          bench: 'sla',
          database: process.env.DATABASE_URL ? 'postgresql' : 'embedded',
          cases,
          spreadSeconds: spread,
          instances: 2,
          breachDelayMs: { p50: delay.p50, p99: delay.p99, max: delay.max },
          goalMaxMs: 5_000,
          duplicates: [...perCase.values()].filter((n) => n > 1).length,
          missed: cases - perCase.size,
          idleQueriesPerSecond: Math.round((idleQueries / idle) * 10) / 10,
          note: 'delay = the scanner clock when it fired minus the due moment; the commit follows in the same transaction',
        },
        null,
        2,
      ),
    )
  } finally {
    await Promise.all(instances.map((s) => s.close()))
  }
} finally {
  await scratch.drop()
}
