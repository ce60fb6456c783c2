// `npm run bench:publish [-- --items 200 --publishes 40 --warmup 3]`
//
// Validate + publish of a config of `--items` items, through the real router (createCaller with an
// admin API token: auth, tenancy, zod, the whole-set validation, the publish transaction, the
// audit entry and the event on the bus), against the same write done with raw `pg` in the same
// run, interleaved. Uses a scratch database (support.ts): an in-memory embedded one, or a new
// database on DATABASE_URL's server, dropped afterwards; REDIS_URL, when set, carries the events.
// Prints one JSON object on stdout (progress on stderr). Never part of `npm test`.
import { createHash } from 'node:crypto'
import pg from 'pg'
import { seedDemo } from '../../server/seed/demo'
import { createCaller } from '../../server/http/app-server'
import { createInnerContext, resolvePrincipal } from '../../server/trpc/context'
import { insertApiToken } from '../../server/auth/api-tokens'
import type { ConfigItem } from '../../server/config-language'
import { log, numericFlags, ratio, summarize, withScratchServices } from './support'

const flags = numericFlags({ items: 200, publishes: 40, warmup: 3 })

/** Namespaces whose items nothing else has to reference, so copies of them validate on their own. */
const CLONABLE = new Set(['views', 'conditions', 'forms'])
/** The raw-pg baseline writes under this tenant id in the same tables (they have no tenant FK). */
const BASELINE_TENANT = 'bench-raw-pg'

// The baseline tenant's rows and the demo tenants go with the scratch database.
await withScratchServices(async ({ services, url, kind }) => {
  const pool = new pg.Pool({ connectionString: url, max: 2 })
  try {
    const { tenants } = await seedDemo(services.db)
    const tenantId = tenants.find((t) => t.slug === 'acme')!.id
    const { token } = await insertApiToken(services.db, tenantId, 'ADMIN', 'bench')
    const caller = createCaller(createInnerContext({ services, principal: await resolvePrincipal(services, { authorization: `Bearer ${token}` }) }))

    // ---- a config of `items` items: the default one plus numbered copies of its views, conditions
    // and forms, saved as drafts and published once (untimed), the way an admin would build it.
    let version = (await caller.config.list()).version
    const defaults = (await caller.config.snapshot({ version })).items
    const templates = defaults.filter((i) => CLONABLE.has(i.namespace))
    const added: ConfigItem[] = []
    for (let n = 1; defaults.length + added.length < flags.items; n++) {
      const t = templates[(n - 1) % templates.length]!
      const content = t.content as { label: string }
      added.push({ ...t, key: `bench-${t.namespace}-${n}`, content: { ...content, label: `${content.label} ${n}` } } as ConfigItem)
    }
    log(`saving ${added.length} drafts on top of the ${defaults.length} default items`)
    for (const item of added)
      await caller.config.saveDraft({ namespace: item.namespace, entity: item.entity, key: item.key, expectedRevision: 0, content: item.content })
    const initial = await caller.config.validate()
    if (initial.errors.length) throw new Error(`the generated drafts do not validate: ${JSON.stringify(initial.errors.slice(0, 3))}`)
    version = (await caller.config.publish({ expectedVersion: version, message: `bench: ${flags.items} items` })).version
    // The live content, kept in step with every edit below: the baseline writes exactly this.
    const items = (await caller.config.snapshot({ version })).items
    const snapshotBytes = Buffer.byteLength(JSON.stringify(items))

    // The baseline tenant starts from the same rows and head version.
    await pool.query(
      `INSERT INTO "ConfigItem" ("tenantId", namespace, entity, key, published, "publishedVersion", "draftRevision", "updatedAt")
       SELECT $2, namespace, entity, key, published, "publishedVersion", "draftRevision", now() FROM "ConfigItem" WHERE "tenantId" = $1`,
      [tenantId, BASELINE_TENANT],
    )
    await pool.query(`INSERT INTO "ConfigHead" ("tenantId", version) SELECT $2, version FROM "ConfigHead" WHERE "tenantId" = $1`, [tenantId, BASELINE_TENANT])
    let baselineVersion = version

    // ---- the timed loop: one small edit per round, so every publish has one changed item.
    const viaRouter = async (message: string) => {
      const t0 = performance.now()
      const issues = await caller.config.validate()
      const t1 = performance.now()
      if (issues.errors.length) throw new Error(`drafts stopped validating: ${JSON.stringify(issues.errors.slice(0, 3))}`)
      const event = await caller.config.publish({ expectedVersion: version, message })
      const t2 = performance.now()
      if (event.changedItems !== 1) throw new Error(`expected 1 changed item, the publish had ${event.changedItems}`)
      version = event.version
      return { validate: t1 - t0, publish: t2 - t1, total: t2 - t0 }
    }
    // The least a publish of the same content has to do in SQL, in one transaction: read the rows,
    // move the head (compare-and-set), write the snapshot with the whole content, the item version
    // and the log line, and make the draft the published state of its row. No validation, no audit.
    const viaPg = async (item: ConfigItem, message: string) => {
      const client = await pool.connect()
      try {
        const t0 = performance.now()
        await client.query('BEGIN')
        await client.query('SELECT namespace, entity, key, draft, "draftRevision", "deletedInDraft", published FROM "ConfigItem" WHERE "tenantId" = $1', [
          BASELINE_TENANT,
        ])
        const next = baselineVersion + 1
        const head = await client.query('UPDATE "ConfigHead" SET version = $2 WHERE "tenantId" = $1 AND version = $3', [BASELINE_TENANT, next, baselineVersion])
        if (head.rowCount !== 1) throw new Error('baseline head moved')
        const json = JSON.stringify(items)
        const checksum = createHash('sha256').update(json).digest('hex')
        const itemJson = JSON.stringify(item.content)
        await client.query(
          'INSERT INTO "ConfigSnapshot" ("tenantId", version, content, checksum, "authorLabel", message) VALUES ($1, $2, $3::jsonb, $4, $5, $6)',
          [BASELINE_TENANT, next, json, checksum, 'bench', message],
        )
        await client.query('INSERT INTO "ConfigItemVersion" ("tenantId", namespace, entity, key, version, content) VALUES ($1, $2, $3, $4, $5, $6::jsonb)', [
          BASELINE_TENANT,
          item.namespace,
          item.entity,
          item.key,
          next,
          itemJson,
        ])
        await client.query('INSERT INTO "ConfigPublishLog" ("tenantId", version, kind, message, checksum, "changedItems") VALUES ($1, $2, $3, $4, $5, 1)', [
          BASELINE_TENANT,
          next,
          'publish',
          message,
          checksum,
        ])
        const row = await client.query(
          `UPDATE "ConfigItem" SET published = $5::jsonb, draft = NULL, "deletedInDraft" = false, "publishedVersion" = $6, "draftRevision" = "draftRevision" + 1, "updatedAt" = now()
           WHERE "tenantId" = $1 AND namespace = $2 AND entity = $3 AND key = $4`,
          [BASELINE_TENANT, item.namespace, item.entity, item.key, itemJson, next],
        )
        if (row.rowCount !== 1) throw new Error('baseline item row missing')
        await client.query('COMMIT')
        baselineVersion = next
        return performance.now() - t0
      } catch (err) {
        await client.query('ROLLBACK').catch(() => undefined)
        throw err
      } finally {
        client.release()
      }
    }

    const targets = added.filter((i) => i.namespace === 'views')
    const samples = { validate: [] as number[], publish: [] as number[], total: [] as number[], rawPg: [] as number[] }
    const rounds = flags.warmup + flags.publishes
    log(`${rounds} rounds (${flags.warmup} warm-up) of edit → validate + publish, router and raw pg interleaved`)
    for (let i = 0; i < rounds; i++) {
      // The edit (untimed): one view's label, saved as a draft in both tenants.
      const target = targets[i % targets.length]!
      const live = items.findIndex((x) => x.namespace === target.namespace && x.entity === target.entity && x.key === target.key)
      const content = { ...(items[live]!.content as object), label: `Bench view, round ${i}` }
      const item = { ...items[live]!, content } as ConfigItem
      items[live] = item
      const address = { namespace: item.namespace, entity: item.entity, key: item.key }
      const { draftRevision } = await caller.config.get(address)
      await caller.config.saveDraft({ ...address, expectedRevision: draftRevision, content })
      await pool.query('UPDATE "ConfigItem" SET draft = $5::jsonb WHERE "tenantId" = $1 AND namespace = $2 AND entity = $3 AND key = $4', [
        BASELINE_TENANT,
        item.namespace,
        item.entity,
        item.key,
        JSON.stringify(content),
      ])
      // Alternate which goes first, so neither always runs on the other's warm caches.
      const message = `bench round ${i}`
      let router: Awaited<ReturnType<typeof viaRouter>>
      let raw: number
      if (i % 2 === 0) {
        router = await viaRouter(message)
        raw = await viaPg(item, message)
      } else {
        raw = await viaPg(item, message)
        router = await viaRouter(message)
      }
      if (i < flags.warmup) continue
      samples.validate.push(router.validate)
      samples.publish.push(router.publish)
      samples.total.push(router.total)
      samples.rawPg.push(raw)
      if ((i + 1) % 10 === 0) log(`round ${i + 1}/${rounds}`)
    }

    const router = summarize(samples.total)
    const rawPg = summarize(samples.rawPg)
    const result = {
      benchmark: 'config validate + publish',
      database: kind,
      bus: services.bus.kind,
      items: items.length,
      snapshotBytes,
      publishes: flags.publishes,
      warmup: flags.warmup,
      unit: 'ms',
      router: { validateAndPublish: router, validate: summarize(samples.validate), publish: summarize(samples.publish) },
      rawPg,
      ratio: { p50: ratio(router.p50, rawPg.p50), p95: ratio(router.p95, rawPg.p95) },
      note:
        'router: config.validate then config.publish via createCaller as an admin token, one changed view per publish. ' +
        'rawPg: one transaction reading the rows, moving the head, inserting the snapshot (same JSON), the item version and the log line, and updating the item row; no validation, no audit.',
    }
    process.stdout.write(`${JSON.stringify(result, null, 2)}\n`)
  } finally {
    await pool.end()
  }
})
