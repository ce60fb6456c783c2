// The three record tables as the CRM code sees them: which column holds each built-in field (the
// whitelist every raw query takes its identifiers from), and how a stored row becomes a RecordRow,
// the one shape records have in the API:
//
//   { id, version, createdAt, updatedAt, createdById, ...builtIns, data: { ...custom } }
//
// Values are the config language's JSON values (server/config-language/field-values.ts): dates are
// 'YYYY-MM-DD', datetimes ISO 8601 strings, currency/number/percent numbers, multiselects arrays,
// so a row can be fed to evaluateCondition or a form as it is.
import { BUILT_IN_FIELDS, ENTITIES, ENTITY_INFO, type Entity, type EntityInfo } from '../config-language'
import { Prisma } from '../db/client'

/** How a built-in column is stored, which decides casts and comparisons in SQL. */
export type ColumnKind = 'text' | 'numeric' | 'date' | 'timestamp' | 'textArray'

export type BuiltInColumn = {
  field: string
  /** The quoted identifier, from this table only: never from input. */
  column: Prisma.Sql
  kind: ColumnKind
  notNull: boolean
}

export type RecordRow = {
  id: string
  version: number
  createdAt: string
  updatedAt: string
  createdById: string | null
  data: Record<string, unknown>
  [builtIn: string]: unknown
}

export type RecordTable = {
  entity: Entity
  /** tRPC router name and URL segment (`/api/crm/customers/export.csv`). */
  plural: EntityInfo['path']
  /** The quoted table name. */
  table: Prisma.Sql
  /** Prisma delegate on the (tenant-scoped) client. */
  delegate: EntityInfo['delegate']
  /** Built-in fields by name, createdAt/updatedAt included. */
  columns: ReadonlyMap<string, BuiltInColumn>
  /** Read-only columns returned with every row (not config fields). */
  extras: ReadonlyArray<{ name: string; kind: 'text' | 'timestamp' }>
  /** Columns free-text search looks in. */
  searchColumns: readonly string[]
  /** The field that names a record on the timeline and in messages. */
  titleField: string
  /** Deals and cases belong to a customer (rows carry `customerName`). */
  hasCustomer: boolean
}

const KINDS: Record<Entity, Record<string, ColumnKind>> = {
  customer: { tags: 'textArray', createdAt: 'timestamp', updatedAt: 'timestamp' },
  deal: { amount: 'numeric', closeDate: 'date', tags: 'textArray', createdAt: 'timestamp', updatedAt: 'timestamp' },
  case: { tags: 'textArray', createdAt: 'timestamp', updatedAt: 'timestamp' },
}
const NOT_NULL = new Set(['name', 'subject', 'customerId', 'stage', 'status', 'priority', 'createdAt', 'updatedAt', 'tags'])

function columnsOf(entity: Entity): Map<string, BuiltInColumn> {
  const out = new Map<string, BuiltInColumn>()
  for (const f of BUILT_IN_FIELDS[entity]) {
    if (!/^[a-zA-Z]+$/.test(f.name)) throw new Error(`unexpected built-in field name ${f.name}`)
    out.set(f.name, { field: f.name, column: Prisma.raw(`t."${f.name}"`), kind: KINDS[entity][f.name] ?? 'text', notNull: NOT_NULL.has(f.name) })
  }
  return out
}

/** Per entity, what only the tables know; names, title and parent come from ENTITY_INFO. */
const TABLE_SPECIFICS: Record<Entity, Pick<RecordTable, 'extras' | 'searchColumns'>> = {
  customer: { extras: [], searchColumns: ['name', 'email', 'company', 'phone'] },
  deal: { extras: [{ name: 'currency', kind: 'text' }], searchColumns: ['name'] },
  case: {
    extras: [
      { name: 'firstResponseDueAt', kind: 'timestamp' },
      { name: 'resolutionDueAt', kind: 'timestamp' },
      { name: 'firstRespondedAt', kind: 'timestamp' },
      { name: 'resolvedAt', kind: 'timestamp' },
    ],
    searchColumns: ['subject'],
  },
}

function tableOf(entity: Entity): RecordTable {
  const info = ENTITY_INFO[entity]
  return {
    entity,
    plural: info.path,
    table: Prisma.raw(`"${info.table}"`),
    delegate: info.delegate,
    columns: columnsOf(entity),
    ...TABLE_SPECIFICS[entity],
    titleField: info.titleField,
    hasCustomer: info.hasCustomer,
  }
}

export const RECORD_TABLES: Readonly<Record<Entity, RecordTable>> = Object.fromEntries(ENTITIES.map((e) => [e, tableOf(e)])) as Record<Entity, RecordTable>

/** The select list of a raw row query over `t` (table alias), matching toRecordRow. */
export function selectColumns(table: RecordTable): Prisma.Sql {
  const names = ['id', 'version', 'createdById', 'data', ...table.columns.keys(), ...table.extras.map((e) => e.name)]
  const list = names.map((n) => `t."${n}"`)
  if (table.hasCustomer) {
    list.push(`(SELECT c."name" FROM "Customer" c WHERE c."tenantId" = t."tenantId" AND c."id" = t."customerId") AS "customerName"`)
  }
  return Prisma.raw(list.join(', '))
}

// ---------------------------------------------------------------------------------------------
// Stored values ⇄ API values

function iso(value: unknown): string | null {
  if (value === null || value === undefined) return null
  if (value instanceof Date) return value.toISOString()
  return new Date(String(value)).toISOString()
}

function isoDate(value: unknown): string | null {
  if (value === null || value === undefined) return null
  if (value instanceof Date) return value.toISOString().slice(0, 10)
  return String(value).slice(0, 10)
}

function toNumber(value: unknown): number | null {
  if (value === null || value === undefined) return null
  return typeof value === 'number' ? value : Number(String(value))
}

/** A stored row (from Prisma or from a raw query) as the API's RecordRow. */
export function toRecordRow(table: RecordTable, raw: Record<string, unknown>): RecordRow {
  const row: RecordRow = {
    id: raw.id as string,
    version: Number(raw.version),
    createdAt: iso(raw.createdAt)!,
    updatedAt: iso(raw.updatedAt)!,
    createdById: (raw.createdById as string | null) ?? null,
    data: {},
  }
  for (const c of table.columns.values()) {
    if (c.field === 'createdAt' || c.field === 'updatedAt') continue
    const v = raw[c.field]
    row[c.field] =
      c.kind === 'numeric'
        ? toNumber(v)
        : c.kind === 'date'
          ? isoDate(v)
          : c.kind === 'timestamp'
            ? iso(v)
            : c.kind === 'textArray'
              ? ((v as string[] | null) ?? [])
              : (v ?? null)
  }
  for (const e of table.extras) row[e.name] = e.kind === 'timestamp' ? iso(raw[e.name]) : (raw[e.name] ?? null)
  if (table.hasCustomer) {
    const customer = raw.customer as { name?: string } | null | undefined
    row.customerName = (raw.customerName as string | null | undefined) ?? customer?.name ?? null
  }
  const data = raw.data
  row.data = data !== null && typeof data === 'object' && !Array.isArray(data) ? { ...(data as Record<string, unknown>) } : {}
  return row
}

/** A validated built-in value as Prisma stores it. */
export function toColumnValue(column: BuiltInColumn, value: unknown): unknown {
  if (value === undefined) return undefined
  switch (column.kind) {
    case 'date':
      return value === null ? null : new Date(`${String(value)}T00:00:00.000Z`)
    case 'textArray':
      return value === null ? [] : value
    default:
      return value
  }
}
