// Expression indexes for the custom fields that published views filter or sort on (decision 029).
//
// Custom fields live in the record's JSONB `data` (decision 007). A view sorting on
// `annualRevenue` orders by `CASE WHEN jsonb_typeof(data -> 'annualRevenue') = 'number' THEN ...`,
// which no fixed index serves, so every page read and sorted all of the tenant's rows. After a
// publish (or rollback) commits, the tenant's wanted indexes are derived from its live views and
// recorded in ViewIndexUse; an index missing on the table is created (CONCURRENTLY on PostgreSQL:
// writes go on meanwhile), and one that no tenant's views want any more is dropped.
//
// - The index expression is built by the compiler's own code (customField / sortExpression over
//   the bare `"data"` column, the field name inlined as a literal), so after the planner folds the
//   query's bound field name into a constant the two are equal and the index is usable.
// - Identifiers never come from input: the index name is `view_idx_<entity>_<hash of the
//   definition>`, the table and entity from record-tables.ts; the field name must match the
//   config language's field-name pattern and is written as a quoted literal.
// - Indexes are shared: tenants whose views use the same field with the same type want the same
//   index. Whether one is still wanted is a question across tenants (ViewIndexUse by indexName).
// - Create and drop decisions are taken under one advisory lock, so a drop never races a
//   tenant's new use of the same index (the use row is committed before its check takes the lock).
// - Nothing here runs in the publish transaction: building an index on a large table takes
//   seconds, and a failed build must not undo a publish. A failed or interrupted CONCURRENTLY build
//   leaves an invalid index, which the next reconcile drops and builds again.
import { createHash } from 'node:crypto'
import {
  buildConfigIndex,
  ENTITIES,
  ENTITY_INFO,
  isSortable,
  type Condition,
  type ConfigIndex,
  type ConfigItem,
  type Entity,
  type FieldDef,
} from '../config-language'
import { Prisma, type Db } from '../db/client'
import type { Logger } from '../logger'
import type { TenantScope } from '../kernel'
import { customField, sortExpression } from './view-query'

/** Ours among the table's indexes; never an index the migrations made. */
export const VIEW_INDEX_PREFIX = 'view_idx_'

/** Transaction-level advisory lock key of the create/drop decisions ("pulse8-v" as bytes). */
const LOCK_KEY = 0x70756c7365382d76n

/** How long a DROP INDEX may wait for the table (it takes an exclusive lock): else next time. */
const DROP_LOCK_TIMEOUT = '2s'

/** Operators whose leaf compiles to a bare comparison of the field's value (view-query.ts leaf). */
const RANGE_OPERATORS = new Set(['gt', 'gte', 'lt', 'lte'])

export type ViewIndexSpec = {
  name: string
  entity: Entity
  /** `"Customer" ("tenantId", (<expression>) DESC NULLS LAST, "id" DESC)`: what follows ON. */
  definition: string
}

const FIELD_NAME = /^[a-z][a-zA-Z0-9_]{0,62}$/

function literal(value: unknown): string {
  if (typeof value !== 'string') throw new Error('view-indexes: only text literals are inlined')
  return `'${value.replace(/'/g, "''")}'`
}

/** A Prisma.Sql with its (text) parameters written as literals: an index expression has none. */
function inline(query: Prisma.Sql): string {
  return query.strings.reduce((text, s, i) => text + s + (i < query.values.length ? literal(query.values[i]) : ''), '')
}

/** A custom field's SQL value (what filters compare) and sort expression, as index expressions. */
function expressionsOf(def: FieldDef): { value: string; sort: string } {
  if (!FIELD_NAME.test(def.name)) throw new Error(`view-indexes: unexpected field name ${JSON.stringify(def.name)}`)
  const field = customField(def, Prisma.raw('"data"'))
  return { value: inline(field.value), sort: inline(sortExpression(field)) }
}

function specOf(entity: Entity, expression: string, direction: 'asc' | 'desc'): ViewIndexSpec {
  const dir = direction === 'asc' ? 'ASC' : 'DESC'
  // Lists order NULLs last in both directions (view-query.ts orderBy): so does the index.
  const definition = `"${ENTITY_INFO[entity].table}" ("tenantId", (${expression}) ${dir} NULLS LAST, "id" ${dir})`
  const hash = createHash('sha256').update(definition).digest('hex').slice(0, 16)
  return { name: `${VIEW_INDEX_PREFIX}${entity}_${hash}`, entity, definition }
}

/**
 * The indexes a config's views want: per custom field, one for each direction a view sorts it in,
 * and one for range filters (gt, gte, lt, lte outside any `not`) unless a sort index on the same
 * expression serves them. Equality on custom fields is left to the GIN index (`data @>`), built-in
 * fields to the migrations' indexes.
 */
export function wantedViewIndexes(index: ConfigIndex): ViewIndexSpec[] {
  const wanted = new Map<string, ViewIndexSpec>()
  for (const entity of ENTITIES) {
    const fields = new Map((index.fields(entity) ?? []).map((f) => [f.name, f]))
    const resolve = index.conditions(entity)
    const custom = (name: string) => {
      const def = fields.get(name)
      return def && !def.builtIn ? def : undefined
    }
    const filtered = new Map<string, FieldDef>()
    const visit = (cond: Condition, refs: string[]) => {
      if ('all' in cond) cond.all.forEach((c) => visit(c, refs))
      else if ('any' in cond) cond.any.forEach((c) => visit(c, refs))
      else if ('not' in cond)
        return // two-valued there (COALESCE): no index could serve it
      else if ('ref' in cond) {
        const target = resolve(cond.ref)
        if (target && !refs.includes(cond.ref) && refs.length < 10) visit(target, [...refs, cond.ref])
      } else if (RANGE_OPERATORS.has(cond.op)) {
        const def = custom(cond.field)
        if (def) filtered.set(def.name, def)
      }
    }
    for (const view of index.list('views', entity)) {
      if (view.content.filter) visit(view.content.filter, [])
      for (const s of view.content.sort) {
        const def = custom(s.field)
        if (!def || !isSortable(def.type)) continue
        const spec = specOf(entity, expressionsOf(def).sort, s.direction)
        wanted.set(spec.name, spec)
      }
    }
    for (const def of filtered.values()) {
      // A sort index on the same expression (numbers, dates; not lower()-ed text) serves ranges too.
      const { value } = expressionsOf(def)
      const served = (['asc', 'desc'] as const).some((d) => wanted.has(specOf(entity, value, d).name))
      if (!served) {
        const spec = specOf(entity, value, 'asc')
        wanted.set(spec.name, spec)
      }
    }
  }
  return [...wanted.values()]
}

export interface ViewIndexes {
  /**
   * After a publish or rollback has committed: records the indexes `items` (the tenant's live
   * config) want and brings the shared indexes in line, in the background. Never throws.
   */
  afterPublish(scope: TenantScope, items: readonly ConfigItem[]): void
  /** Resolves when every maintenance started so far has finished (tests, shutdown). */
  idle(): Promise<void>
}

/** `db` is the root client: indexes belong to the shared tables, and uses are read across tenants. */
export function createViewIndexes(db: Db, logger: Pick<Logger, 'info' | 'warn'>): ViewIndexes {
  // One maintenance at a time per process; across processes the advisory lock orders decisions.
  let chain: Promise<void> = Promise.resolve()
  return {
    afterPublish(scope, items) {
      chain = chain
        .then(async () => {
          await reconcileViewIndexes(db, scope, wantedViewIndexes(buildConfigIndex(items)), logger)
        })
        .catch((error: unknown) => logger.warn('view index maintenance failed', { tenantId: scope.tenantId, error: String(error) }))
    },
    idle: () => chain,
  }
}

type IndexState = { name: string; valid: boolean }

async function ourIndexes(db: Pick<Db, '$queryRaw'>): Promise<Map<string, IndexState>> {
  const rows = await db.$queryRaw<IndexState[]>`
    SELECT c.relname AS "name", i.indisvalid AS "valid"
    FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE n.nspname = current_schema() AND starts_with(c.relname, ${VIEW_INDEX_PREFIX}::text)`
  return new Map(rows.map((r) => [r.name, r]))
}

/** The tenant's uses become `wanted`; then missing indexes are built and unused ones dropped. */
export async function reconcileViewIndexes(
  db: Db,
  scope: TenantScope,
  wanted: readonly ViewIndexSpec[],
  logger: Pick<Logger, 'info' | 'warn'>,
): Promise<{ created: string[]; dropped: string[] }> {
  const names = wanted.map((s) => s.name)
  await scope.db.$transaction([
    scope.db.viewIndexUse.deleteMany({ where: { indexName: { notIn: names } } }),
    scope.db.viewIndexUse.createMany({ data: names.map((indexName) => ({ tenantId: scope.tenantId, indexName })), skipDuplicates: true }),
  ])
  const embedded = await isEmbedded(db)
  const created: string[] = []
  for (const spec of wanted) {
    // Decided under the lock: a drop that has not committed yet would otherwise look like "exists".
    const state = await db.$transaction(async (tx) => {
      await tx.$executeRaw`SELECT pg_advisory_xact_lock(${LOCK_KEY})`
      return (await ourIndexes(tx)).get(spec.name)
    })
    if (state?.valid) continue
    // An invalid index is what an interrupted CONCURRENTLY build leaves: it is maintained on
    // writes but never used; build it again.
    if (state) await db.$executeRawUnsafe(`DROP INDEX ${embedded ? '' : 'CONCURRENTLY '}IF EXISTS "${spec.name}"`)
    const started = performance.now()
    try {
      await db.$executeRawUnsafe(`CREATE INDEX ${embedded ? '' : 'CONCURRENTLY '}IF NOT EXISTS "${spec.name}" ON ${spec.definition}`)
    } catch (error) {
      // Another instance building the same index at the same moment; its build serves us too.
      logger.warn('view index build failed', { index: spec.name, error: String(error) })
      continue
    }
    created.push(spec.name)
    logger.info('view index built', { index: spec.name, ms: Math.round(performance.now() - started) })
  }
  const dropped = await dropUnused(db)
  return { created, dropped }
}

async function dropUnused(db: Db): Promise<string[]> {
  return db.$transaction(
    async (tx) => {
      await tx.$executeRaw`SELECT pg_advisory_xact_lock(${LOCK_KEY})`
      const existing = await ourIndexes(tx)
      if (existing.size === 0) return []
      const used = await tx.$queryRaw<{ indexName: string }[]>`
        SELECT DISTINCT "indexName" FROM "ViewIndexUse" WHERE "indexName" = ANY(${[...existing.keys()]}::text[])`
      const unused = [...existing.keys()].filter((name) => !used.some((u) => u.indexName === name))
      if (unused.length === 0) return []
      await tx.$executeRawUnsafe(`SET LOCAL lock_timeout = '${DROP_LOCK_TIMEOUT}'`)
      for (const name of unused) await tx.$executeRawUnsafe(`DROP INDEX IF EXISTS "${name}"`)
      return unused
    },
    { timeout: 30_000 },
  )
}

const embeddedByDb = new WeakMap<Db, Promise<boolean>>()

/** PGlite builds plainly: one backend, nothing to keep writing meanwhile. */
function isEmbedded(db: Db): Promise<boolean> {
  let known = embeddedByDb.get(db)
  if (!known) {
    known = db.$queryRaw<{ version: string }[]>`SELECT version() AS "version"`.then((r) => /PGlite/i.test(r[0]?.version ?? ''))
    embeddedByDb.set(db, known)
  }
  return known
}
