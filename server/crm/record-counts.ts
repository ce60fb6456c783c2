// The CRM's record-count service: how many of a tenant's records of one entity match a simple
// predicate on one field. Other domains (config's impact preview) ask this instead of reading the
// record tables themselves; the table layout stays the CRM's own business.
import { isEntity } from '../config-language'
import { Prisma } from '../db/client'
import type { TenantScope } from '../kernel'
import { RECORD_TABLES } from './record-tables'
import { fieldSql } from './view-query'

/**
 * `empty`: the field holds no value; `filled`: it holds one; `usesAnyOf`: its value (a select's
 * value or one of a multiselect's elements) is one of `values`.
 */
export type FieldPredicate = { field: string } & ({ kind: 'empty' } | { kind: 'filled' } | { kind: 'usesAnyOf'; values: readonly string[] })

/** Counts the tenant's `entity` records matching `predicate`, in SQL; an unknown entity has none. */
export async function countRecords(scope: TenantScope, entity: string, predicate: FieldPredicate): Promise<number> {
  if (!isEntity(entity)) return 0
  const table = RECORD_TABLES[entity]
  const name = predicate.field
  const builtIn = table.columns.has(name)
  // Emptiness and option membership do not depend on the field's type, so the name is enough.
  const field = fieldSql(table, { name, label: name, type: 'text', builtIn, required: false })
  let where: Prisma.Sql
  if (predicate.kind === 'empty') where = field.empty
  else if (predicate.kind === 'filled') where = Prisma.sql`(NOT ${field.empty})`
  else {
    const values = [...predicate.values]
    if (values.length === 0) return 0
    const column = table.columns.get(name)
    where = !column
      ? Prisma.sql`COALESCE(jsonb_exists_any(t."data" -> ${name}::text, ${values}::text[]), false)`
      : column.kind === 'textArray'
        ? Prisma.sql`COALESCE(${column.column} && ${values}::text[], false)`
        : Prisma.sql`COALESCE(${column.column}::text = ANY(${values}::text[]), false)`
  }
  const rows = await scope.sql.query<{ n: number }>(
    scope.db,
    Prisma.sql`SELECT count(*)::int AS n FROM ${table.table} t WHERE ${scope.sql.scope('t')} AND ${where}`,
  )
  return Number(rows[0]?.n ?? 0)
}
