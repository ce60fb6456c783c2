// Views executed in the database (docs/decisions/007-views-in-sql.md): a condition tree of the
// config language, sorts and free-text search become one parameterised SQL query, paginated by a
// keyset cursor. The SQL must answer exactly like evaluateCondition (server/config-language), so:
//
// - every leaf is two-valued (COALESCE(..., false)): `not` of a leaf never meets SQL's NULL;
// - neq / notIn are true for empty values; eq / in / gt... are false for them;
// - contains / startsWith on text ignore case; on a multiselect contains = has the option,
//   in = has any, notIn = has none;
// - changed / changedTo / changedFrom compare with a previous record and are invalid in views.
//
// Identifiers come only from the whitelist in record-tables.ts (built-in columns); custom fields
// are read as `t."data" -> $n` with the field name as a bind parameter, and only after the name was
// found in the published field catalogue. Values are always bind parameters.
import { z } from 'zod'
import {
  CHANGE_OPERATORS,
  conditionSchema,
  conditionValueProblem,
  isIsoDate,
  isSortable,
  isStorableInstant,
  MAX_CONDITION_DEPTH,
  NUMBER_TYPES,
  operatorFits,
  operatorsFor,
  TEXT_TYPES,
  type Condition,
  type FieldDef,
  type FieldType,
} from '../config-language'
import { Prisma } from '../db/client'
import type { RecordTable } from './record-tables'
import type { TenantSql } from '../db/tenant-sql'
import { storableProblems } from '../db/storable-input'

const { sql, join, raw } = Prisma
type Sql = Prisma.Sql

const TRUE = raw('TRUE')
const FALSE = raw('FALSE')

export type QueryIssue = { path: (string | number)[]; message: string }

/** Thrown with every problem of a filter / sort / cursor, each at its input path. */
export class ViewQueryError extends Error {
  override name = 'ViewQueryError'
  constructor(readonly issues: QueryIssue[]) {
    super(issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '))
  }
}

// ---------------------------------------------------------------------------------------------
// Fields as SQL

/** The comparison domain of a field's SQL value. */
type Domain = 'text' | 'numeric' | 'date' | 'timestamp' | 'boolean' | 'list'

type FieldSql = {
  def: FieldDef
  builtIn: boolean
  /** The typed value, NULL when absent (or stored with another type). For lists: jsonb or text[]. */
  value: Sql
  /** Whether the value is empty in the sense of isEmptyValue; never NULL. */
  empty: Sql
  domain: Domain
  notNull: boolean
  /** A condition operand, cast to the domain. */
  param(v: unknown): Sql
  /** A cursor value (the text form of the sort expression) cast back to the domain. */
  cursorParam(text: string): Sql
  /** Custom fields whose stored JSON equals a canonical operand: eq / in can use `data @> {...}` (GIN). */
  containable: boolean
}

const DATE_PATTERN = '^[0-9]{4}-[0-9]{2}-[0-9]{2}$'
/** Custom datetimes are stored canonical (UTC, `toISOString()`): then text order is time order. */
const CANONICAL_DATETIME_PATTERN = '^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}[.][0-9]{3}Z$'

/** The canonical stored form of a datetime (and of a date used as a datetime operand). */
export function canonicalDateTime(value: string): string {
  return new Date(Date.parse(value)).toISOString()
}

function builtInField(table: RecordTable, def: FieldDef): FieldSql {
  const col = table.columns.get(def.name)
  if (!col) throw new Error(`no column for built-in field ${table.entity}.${def.name}`)
  const c = col.column
  switch (col.kind) {
    case 'text':
      return {
        def,
        builtIn: true,
        value: c,
        empty: sql`(${c} IS NULL OR btrim(${c}) = '')`,
        domain: 'text',
        notNull: col.notNull,
        param: (v) => sql`${String(v)}::text`,
        cursorParam: (s) => sql`${s}::text`,
        containable: false,
      }
    case 'numeric':
      return {
        def,
        builtIn: true,
        value: c,
        empty: sql`(${c} IS NULL)`,
        domain: 'numeric',
        notNull: col.notNull,
        param: (v) => sql`${String(v)}::numeric`,
        cursorParam: (s) => sql`${s}::numeric`,
        containable: false,
      }
    case 'date':
      return {
        def,
        builtIn: true,
        value: c,
        empty: sql`(${c} IS NULL)`,
        domain: 'date',
        notNull: col.notNull,
        param: (v) => sql`${String(v)}::date`,
        cursorParam: (s) => sql`${s}::date`,
        containable: false,
      }
    case 'timestamp':
      // Prisma keeps DateTime columns as UTC in `timestamp(3)`.
      return {
        def,
        builtIn: true,
        value: c,
        empty: sql`(${c} IS NULL)`,
        domain: 'timestamp',
        notNull: col.notNull,
        param: (v) => sql`(${canonicalDateTime(String(v))}::timestamptz AT TIME ZONE 'UTC')`,
        cursorParam: (s) => sql`${s}::timestamp`,
        containable: false,
      }
    case 'textArray':
      return {
        def,
        builtIn: true,
        value: sql`COALESCE(${c}, '{}'::text[])`,
        empty: sql`(cardinality(COALESCE(${c}, '{}'::text[])) = 0)`,
        domain: 'list',
        notNull: true,
        param: (v) => sql`${String(v)}::text`,
        cursorParam: () => {
          throw new Error('lists are not sortable')
        },
        containable: false,
      }
  }
}

/** The record's custom data column in a query over `t`; an index definition passes the bare column. */
export const DATA_COLUMN: Sql = raw('t."data"')

/**
 * `data` is the column expression: the queries read `t."data"`, an expression index
 * (view-indexes.ts) is built from the very same SQL over the bare `"data"`, so that the planner,
 * which folds the bound field name into a constant, finds it equal to the index's expression.
 */
export function customField(def: FieldDef, data: Sql = DATA_COLUMN): FieldSql {
  const json = sql`(${data} -> ${def.name}::text)`
  const text = sql`(${data} ->> ${def.name}::text)`
  const empty = sql`(${json} IS NULL OR ${json} IN ('null'::jsonb, '[]'::jsonb) OR (jsonb_typeof(${json}) = 'string' AND btrim(${text}) = ''))`
  const base = { def, builtIn: false, empty, notNull: false }
  const textParam = (v: unknown) => sql`${String(v)}::text`
  const type: FieldType = def.type
  if (type === 'multiselect') {
    return { ...base, value: json, domain: 'list', param: textParam, cursorParam: textParam, containable: false }
  }
  if (NUMBER_TYPES.includes(type)) {
    return {
      ...base,
      value: sql`(CASE WHEN jsonb_typeof(${json}) = 'number' THEN (${text})::numeric END)`,
      domain: 'numeric',
      param: (v) => sql`${String(v)}::numeric`,
      cursorParam: (s) => sql`${s}::numeric`,
      containable: true,
    }
  }
  if (type === 'boolean') {
    return {
      ...base,
      value: sql`(CASE WHEN jsonb_typeof(${json}) = 'boolean' THEN (${text})::boolean END)`,
      domain: 'boolean',
      param: (v) => sql`${String(v)}::boolean`,
      cursorParam: (s) => sql`${s}::boolean`,
      containable: true,
    }
  }
  if (type === 'date') {
    // ISO dates order like text; anything else stored there (after a type change) counts as empty.
    return {
      ...base,
      value: sql`(CASE WHEN jsonb_typeof(${json}) = 'string' AND ${text} ~ ${DATE_PATTERN} THEN ${text} END)`,
      domain: 'text',
      param: textParam,
      cursorParam: textParam,
      containable: true,
    }
  }
  if (type === 'datetime') {
    return {
      ...base,
      value: sql`(CASE WHEN jsonb_typeof(${json}) = 'string' AND ${text} ~ ${CANONICAL_DATETIME_PATTERN} THEN ${text} END)`,
      domain: 'text',
      param: (v) => sql`${canonicalDateTime(String(v))}::text`,
      cursorParam: textParam,
      containable: false,
    }
  }
  // text, textarea, email, phone, url, select, user, lookup
  return {
    ...base,
    value: sql`(CASE WHEN jsonb_typeof(${json}) = 'string' THEN ${text} END)`,
    domain: 'text',
    param: textParam,
    cursorParam: textParam,
    containable: true,
  }
}

export function fieldSql(table: RecordTable, def: FieldDef): FieldSql {
  return def.builtIn ? builtInField(table, def) : customField(def)
}

// ---------------------------------------------------------------------------------------------
// Conditions

export type CompileContext = {
  table: RecordTable
  fields: readonly FieldDef[]
  /** Named conditions of the entity (`{ ref }`). */
  resolveRef: (key: string) => Condition | undefined
}

const isBlank = (v: unknown) => typeof v === 'string' && v.trim() === ''

function containment(def: FieldDef, value: unknown): Sql {
  return sql`(t."data" @> ${JSON.stringify({ [def.name]: value })}::jsonb)`
}

/**
 * Whether a leaf must be two-valued. Under a `not` it must: NOT NULL is NULL, and the row would
 * drop out of both a condition and its negation. Outside every `not` the tree is only ANDed and
 * ORed up to the WHERE, which treats NULL as false, so NULL and false already mean the same; there
 * the bare comparison is kept, because `COALESCE(expr >= $1, false)` hides `expr` from the planner
 * and an expression index on it (view-indexes.ts) could not serve the range.
 */
type Polarity = 'twoValued' | 'where'

function truth(expr: Sql, polarity: Polarity): Sql {
  return polarity === 'twoValued' ? sql`COALESCE(${expr}, false)` : sql`(${expr})`
}

function eq(f: FieldSql, value: unknown, polarity: Polarity): Sql {
  // eq is false for an empty record value; only a blank record value could equal a blank operand.
  if (isBlank(value)) return FALSE
  if (f.containable) return containment(f.def, value)
  return truth(sql`${f.value} = ${f.param(value)}`, polarity)
}

function inList(f: FieldSql, values: unknown[], polarity: Polarity): Sql {
  const list = values.filter((v) => !isBlank(v))
  if (list.length === 0) return FALSE
  if (f.domain === 'list') {
    const texts = list.map(String)
    return f.builtIn ? truth(sql`${f.value} && ${texts}::text[]`, polarity) : truth(sql`jsonb_exists_any(${f.value}, ${texts}::text[])`, polarity)
  }
  if (f.containable)
    return sql`(${join(
      list.map((v) => containment(f.def, v)),
      ' OR ',
    )})`
  return truth(sql`${f.value} IN (${join(list.map((v) => f.param(v)))})`, polarity)
}

function leaf(f: FieldSql, op: string, value: unknown, polarity: Polarity): Sql {
  switch (op) {
    case 'isEmpty':
      return f.empty
    case 'isNotEmpty':
      return sql`(NOT ${f.empty})`
    case 'eq':
      return eq(f, value, polarity)
    case 'neq':
      return sql`(NOT ${eq(f, value, 'twoValued')})`
    case 'gt':
      return truth(sql`${f.value} > ${f.param(value)}`, polarity)
    case 'gte':
      return truth(sql`${f.value} >= ${f.param(value)}`, polarity)
    case 'lt':
      return truth(sql`${f.value} < ${f.param(value)}`, polarity)
    case 'lte':
      return truth(sql`${f.value} <= ${f.param(value)}`, polarity)
    case 'in':
      return inList(f, value as unknown[], polarity)
    case 'notIn':
      return sql`(NOT ${inList(f, value as unknown[], 'twoValued')})`
    case 'contains':
      if (f.domain === 'list') {
        return f.builtIn ? truth(sql`${String(value)}::text = ANY(${f.value})`, polarity) : containment(f.def, [value])
      }
      return truth(sql`strpos(lower(${f.value}), lower(${String(value)}::text)) > 0`, polarity)
    case 'startsWith':
      return truth(sql`starts_with(lower(${f.value}), lower(${String(value)}::text))`, polarity)
    default:
      throw new Error(`operator ${op} cannot run in SQL`)
  }
}

/**
 * Checks a condition against the field catalogue and compiles it into a WHERE conjunct (a NULL
 * result means "no match"; see Polarity). Problems are collected with their path under `base` and
 * thrown together as a ViewQueryError.
 */
export function compileCondition(input: unknown, ctx: CompileContext, base: (string | number)[]): Sql {
  const parsed = conditionSchema.safeParse(input)
  if (!parsed.success) {
    throw new ViewQueryError(
      parsed.error.issues.map((i) => ({ path: [...base, ...i.path.filter((p): p is string | number => typeof p !== 'symbol')], message: i.message })),
    )
  }
  const issues: QueryIssue[] = []
  const byName = new Map(ctx.fields.map((f) => [f.name, f]))

  const visit = (cond: Condition, path: (string | number)[], refs: string[], polarity: Polarity): Sql => {
    if ('all' in cond)
      return cond.all.length === 0
        ? TRUE
        : sql`(${join(
            cond.all.map((c, i) => visit(c, [...path, 'all', i], refs, polarity)),
            ' AND ',
          )})`
    if ('any' in cond)
      return cond.any.length === 0
        ? FALSE
        : sql`(${join(
            cond.any.map((c, i) => visit(c, [...path, 'any', i], refs, polarity)),
            ' OR ',
          )})`
    if ('not' in cond) return sql`(NOT ${visit(cond.not, [...path, 'not'], refs, 'twoValued')})`
    if ('ref' in cond) {
      const target = ctx.resolveRef(cond.ref)
      if (refs.includes(cond.ref) || refs.length >= MAX_CONDITION_DEPTH) {
        issues.push({ path: [...path, 'ref'], message: `condition reference cycle: ${[...refs, cond.ref].join(' → ')}` })
        return FALSE
      }
      if (!target) {
        issues.push({ path: [...path, 'ref'], message: `Unknown condition "${cond.ref}"` })
        return FALSE
      }
      // Problems inside a named condition are reported at the ref that brought it in.
      const before = issues.length
      const compiled = visit(target, path, [...refs, cond.ref], polarity)
      for (let i = before; i < issues.length; i++) issues[i] = { path: [...path, 'ref'], message: `in condition "${cond.ref}": ${issues[i]!.message}` }
      return compiled
    }
    const def = byName.get(cond.field)
    if (!def) {
      issues.push({ path: [...path, 'field'], message: `Unknown field "${cond.field}"` })
      return FALSE
    }
    if (CHANGE_OPERATORS.includes(cond.op)) {
      issues.push({ path: [...path, 'op'], message: `${cond.op} compares with a previous record; a view cannot use it` })
      return FALSE
    }
    if (!operatorFits(def.type, cond.op)) {
      issues.push({
        path: [...path, 'op'],
        message: `${cond.op} does not apply to the ${def.type} field "${def.name}" (use ${operatorsFor(def.type)
          .filter((o) => !CHANGE_OPERATORS.includes(o))
          .join(', ')})`,
      })
      return FALSE
    }
    const problem = conditionValueProblem(def, cond.op, cond.value)
    if (problem) {
      issues.push({ path: [...path, 'value'], message: `"${def.name}": ${problem}` })
      return FALSE
    }
    return leaf(fieldSql(ctx.table, def), cond.op, cond.value, polarity)
  }

  const compiled = visit(parsed.data, base, [], 'where')
  if (issues.length) throw new ViewQueryError(issues)
  return compiled
}

// ---------------------------------------------------------------------------------------------
// Search

/** `%q%` for LIKE / ILIKE with q's own `%`, `_` and `\\` taken literally. */
export function substringPattern(q: string): string {
  return `%${q.replace(/[\\%_]/g, '\\$&')}%`
}

/**
 * Case-insensitive substring search over the table's name/email/subject columns. `ILIKE '%q%'` (on
 * a UTF-8 database the same as `lower(x) LIKE lower(p)`) is what a `gin_trgm_ops` index serves
 * (decision 029): one bitmap per column, ORed. Not wrapped in COALESCE (which would hide the
 * columns from the planner): the predicate is only ever ANDed into a WHERE, where NULL excludes.
 */
export function searchPredicate(table: RecordTable, search: string | undefined): Sql {
  const q = search?.trim()
  if (!q) return TRUE
  const pattern = substringPattern(q)
  const terms = table.searchColumns.map((name) => sql`${table.columns.get(name)!.column} ILIKE ${pattern}::text`)
  return sql`(${join(terms, ' OR ')})`
}

// ---------------------------------------------------------------------------------------------
// Sorting and keyset pagination

export type SortInput = { field: string; direction: 'asc' | 'desc' }

type SortKey = { field: string; expr: Sql; dir: 'asc' | 'desc'; nullable: boolean; domain: Domain; cursorParam: (s: string) => Sql }

/** Whether a cursor value (the text form of a sort value) is one of its domain: a cursor is input. */
function validCursorValue(domain: Domain, v: string): boolean {
  switch (domain) {
    case 'text':
      return v.length <= 2000
    case 'numeric':
      return /^-?[0-9]{1,40}(\.[0-9]{1,40})?$/.test(v)
    case 'date':
      return isIsoDate(v)
    case 'timestamp': {
      if (!/^[0-9]{4}-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]{1,6})?$/.test(v)) return false
      const t = new Date(`${v.replace(' ', 'T')}Z`)
      return isStorableInstant(t.getTime()) && t.toISOString().slice(0, 19) === v.slice(0, 19).replace(' ', 'T')
    }
    case 'boolean':
      return v === 'true' || v === 'false'
    case 'list':
      return false
  }
}

export const DEFAULT_SORT: SortInput[] = [{ field: 'createdAt', direction: 'desc' }]

/**
 * What a field is ordered by. Text sorts ignore case: the tenant-led lower(...) indexes serve the
 * built-in ones, the expression indexes of published views (view-indexes.ts) the custom ones.
 */
export function sortExpression(f: FieldSql): Sql {
  return f.domain === 'text' && TEXT_TYPES.includes(f.def.type) ? sql`lower(${f.value})` : f.value
}

export function sortKeys(sort: readonly SortInput[], ctx: Pick<CompileContext, 'table' | 'fields'>, base: (string | number)[]): SortKey[] {
  const issues: QueryIssue[] = []
  const keys: SortKey[] = []
  const byName = new Map(ctx.fields.map((f) => [f.name, f]))
  sort.forEach((s, i) => {
    const def = byName.get(s.field)
    if (!def) return void issues.push({ path: [...base, i, 'field'], message: `Unknown field "${s.field}"` })
    if (!isSortable(def.type)) return void issues.push({ path: [...base, i, 'field'], message: `${def.type} fields are not sortable` })
    if (keys.some((k) => k.field === s.field)) return
    const f = fieldSql(ctx.table, def)
    keys.push({ field: s.field, expr: sortExpression(f), dir: s.direction, nullable: !f.notNull, domain: f.domain, cursorParam: f.cursorParam })
  })
  if (issues.length) throw new ViewQueryError(issues)
  return keys
}

function orderBy(keys: SortKey[]): Sql {
  const idDir = keys[0]?.dir ?? 'asc'
  const parts = keys.map((k) => sql`${k.expr} ${raw(k.dir === 'asc' ? 'ASC' : 'DESC')}${raw(k.nullable ? ' NULLS LAST' : '')}`)
  parts.push(raw(`t."id" ${idDir === 'asc' ? 'ASC' : 'DESC'}`))
  return join(parts, ', ')
}

// A decoded cursor is input like any other: its shape is checked by zod, and its texts by the same
// storable check as every procedure input (a NUL inside the base64 is invisible to that check).
const cursorSchema = z.strictObject({
  v: z.array(z.string().max(2000).nullable()).max(10),
  id: z.string().min(1).max(100),
  k: z.string().max(1000),
})
type Cursor = z.infer<typeof cursorSchema>

function specOf(keys: SortKey[]): string {
  return keys.map((k) => `${k.field}:${k.dir}`).join(',')
}

export function encodeCursor(keys: SortKey[], values: (string | null)[], id: string): string {
  return Buffer.from(JSON.stringify({ v: values, id, k: specOf(keys) } satisfies Cursor)).toString('base64url')
}

export function decodeCursor(keys: SortKey[], cursor: string, path: (string | number)[]): Cursor {
  const bad = (message: string) => new ViewQueryError([{ path, message }])
  let parsed: unknown
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'))
  } catch {
    throw bad('Invalid cursor')
  }
  const checked = cursorSchema.safeParse(parsed)
  if (!checked.success || storableProblems(parsed, { allowDates: false }).length) throw bad('Invalid cursor')
  const c = checked.data
  if (c.v.length !== keys.length) throw bad('Invalid cursor')
  if (c.k !== specOf(keys)) throw bad('This cursor belongs to another sort order; start from the first page')
  keys.forEach((k, i) => {
    const v = c.v[i]!
    if (v === null ? !k.nullable : !validCursorValue(k.domain, v)) throw bad('Invalid cursor')
  })
  return c
}

/**
 * Rows strictly after the cursor row in the order of `orderBy(keys)`. NULLs sort last in both
 * directions. When every key runs the same way and none can be NULL, a row comparison, which a
 * composite index serves as a range scan.
 */
export function keysetPredicate(keys: SortKey[], cursor: Cursor | null): Sql {
  if (!cursor) return TRUE
  const idDir = keys[0]?.dir ?? 'asc'
  const idOp = raw(idDir === 'asc' ? '>' : '<')
  if (keys.every((k) => k.dir === idDir && !k.nullable)) {
    const left = join([...keys.map((k) => k.expr), raw('t."id"')])
    const right = join([...keys.map((k, i) => k.cursorParam(cursor.v[i]!)), sql`${cursor.id}::text`])
    return sql`(ROW(${left}) ${idOp} ROW(${right}))`
  }
  const after = (i: number): Sql => {
    if (i === keys.length) return sql`(t."id" ${idOp} ${cursor.id}::text)`
    const k = keys[i]!
    const c = cursor.v[i] ?? null
    if (c === null) return sql`(${k.expr} IS NULL AND ${after(i + 1)})`
    const op = raw(k.dir === 'asc' ? '>' : '<')
    const value = k.cursorParam(c)
    const beyond = k.nullable ? sql`(${k.expr} ${op} ${value} OR ${k.expr} IS NULL)` : sql`${k.expr} ${op} ${value}`
    return sql`(${beyond} OR (${k.expr} = ${value} AND ${after(i + 1)}))`
  }
  return after(0)
}

// ---------------------------------------------------------------------------------------------
// The queries

export type PlannedQuery = {
  /** The page: the row columns plus the sort values (`__s0`, ...) for the next cursor. */
  page: Sql
  /** count(*) over the same where (cursor excluded), stopping at EXACT_TOTAL_UP_TO + 1 rows. */
  count: Sql
  /** The planner's row estimate of the same where (`EXPLAIN`, nothing runs): for larger totals. */
  estimate: Sql
  keys: SortKey[]
  limit: number
}

/**
 * Totals are counted exactly up to this many rows; above it they are the planner's estimate, so a
 * page of a view matching most of a 100,000-record table does not read all of it to say how many.
 * The capped count reads at most this many matching rows (and what the filter passes over to find
 * them): at 10,000 a broad search's count alone took up to 10× its page (decision 029).
 */
export const EXACT_TOTAL_UP_TO = 1_000

export function planQueries(opts: {
  tenant: TenantSql
  table: RecordTable
  columns: Sql
  where: Sql[]
  keys: SortKey[]
  cursor: Cursor | null
  limit: number
}): PlannedQuery {
  const { tenant, table, keys } = opts
  const where = join([tenant.scope('t'), ...opts.where], ' AND ')
  const sortValues = keys.length ? sql`, ${join(keys.map((k, i) => sql`(${k.expr})::text AS ${raw(`"__s${i}"`)}`))}` : sql``
  const page = sql`SELECT ${opts.columns}${sortValues} FROM ${table.table} t WHERE ${where} AND ${keysetPredicate(keys, opts.cursor)} ORDER BY ${orderBy(keys)} LIMIT ${opts.limit + 1}`
  const count = sql`SELECT count(*)::int AS "total" FROM (SELECT 1 FROM ${table.table} t WHERE ${where} LIMIT ${EXACT_TOTAL_UP_TO + 1}) AS capped`
  const estimate = sql`EXPLAIN (FORMAT JSON) SELECT 1 FROM ${table.table} t WHERE ${where}`
  return { page, count, estimate, keys, limit: opts.limit }
}

export type Total = { total: number; totalIsEstimate: boolean }

/**
 * The total of a planned list: exact up to EXACT_TOTAL_UP_TO, else the planner's estimate, never
 * below EXACT_TOTAL_UP_TO + 1 (which the capped count proved). `run` executes a query (the
 * service's tenant SQL, or `pg` in the views benchmark), so both take the same steps.
 */
export async function countTotal(planned: PlannedQuery, run: (query: Sql) => Promise<Record<string, unknown>[]>): Promise<Total> {
  const [counted] = await run(planned.count)
  const total = Number(counted?.total ?? 0)
  if (total <= EXACT_TOTAL_UP_TO) return { total, totalIsEstimate: false }
  const [explained] = await run(planned.estimate)
  return { total: Math.max(EXACT_TOTAL_UP_TO + 1, Math.round(planRows(explained))), totalIsEstimate: true }
}

/** `Plan Rows` of an `EXPLAIN (FORMAT JSON)` row (the plan arrives parsed or as text). */
function planRows(row: Record<string, unknown> | undefined): number {
  const raw = row?.['QUERY PLAN']
  const plan = (typeof raw === 'string' ? JSON.parse(raw) : raw) as [{ Plan?: { 'Plan Rows'?: unknown } }] | undefined
  const rows = Number(plan?.[0]?.Plan?.['Plan Rows'])
  return Number.isFinite(rows) ? rows : 0
}

/** Splits a page result (limit + 1 rows) into rows and the next cursor. */
export function pageResult<T extends Record<string, unknown>>(planned: PlannedQuery, rows: T[]): { rows: T[]; nextCursor: string | null } {
  const hasMore = rows.length > planned.limit
  const page = hasMore ? rows.slice(0, planned.limit) : rows
  const last = page[page.length - 1]
  const nextCursor =
    hasMore && last
      ? encodeCursor(
          planned.keys,
          planned.keys.map((_, i) => (last[`__s${i}`] as string | null) ?? null),
          last.id as string,
        )
      : null
  return { rows: page, nextCursor }
}
