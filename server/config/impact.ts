// Impact preview: before publishing, which pending changes touch existing records, and how many.
// Detection is pure (from the live and draft `objects` items); counting asks the record tables.
import { isEntity, type ConfigItem } from '../config-language'
import { Prisma } from '../db/client'
import type { TenantDb } from '../db/tenant-db'
import { RECORD_TABLES } from '../crm/record-tables'
import { TenantSql } from '../db/tenant-sql'
import { fieldSql } from '../crm/view-query'

type FieldDef = { name: string; label?: string; type: string; required?: boolean; default?: unknown; options?: { value: string }[] }
export type ImpactKind = 'new_required_field' | 'field_removed' | 'field_type_changed' | 'options_removed'
export type ImpactCheck = { address: string; entity: string; field: string; kind: ImpactKind; values?: string[] }
export type Impact = ImpactCheck & { records: number; message: string }

function fieldsByEntity(items: ConfigItem[]): Map<string, Map<string, FieldDef>> {
  const out = new Map<string, Map<string, FieldDef>>()
  for (const i of items) {
    if (i.namespace !== 'objects') continue
    const fields = ((i.content as { fields?: FieldDef[] }).fields ?? []) as FieldDef[]
    out.set(i.entity, new Map(fields.map((f) => [f.name, f])))
  }
  return out
}

export function impactChecks(live: ConfigItem[], draft: ConfigItem[]): ImpactCheck[] {
  const before = fieldsByEntity(live)
  const after = fieldsByEntity(draft)
  const checks: ImpactCheck[] = []
  for (const [entity, next] of after) {
    const prev = before.get(entity) ?? new Map<string, FieldDef>()
    const address = `objects/${entity}/fields`
    for (const [name, f] of next) {
      const old = prev.get(name)
      if (f.required && f.default === undefined && (!old || !old.required)) checks.push({ address, entity, field: name, kind: 'new_required_field' })
      if (old && old.type !== f.type) checks.push({ address, entity, field: name, kind: 'field_type_changed' })
      if (old?.options && f.options) {
        const kept = new Set(f.options.map((o) => o.value))
        const gone = old.options.map((o) => o.value).filter((v) => !kept.has(v))
        if (gone.length) checks.push({ address, entity, field: name, kind: 'options_removed', values: gone })
      }
    }
    for (const name of prev.keys()) if (!next.has(name)) checks.push({ address, entity, field: name, kind: 'field_removed' })
  }
  return checks
}

/**
 * Counts the records a check touches, in SQL over the record table (server/crm): a new required
 * field counts records where it is empty, a removed or retyped field records holding a value, and
 * removed options records using any of them (a select's value or a multiselect's element).
 */
export type RecordCounter = (db: TenantDb, check: ImpactCheck) => Promise<number>
export const countAffectedRecords: RecordCounter = async (db, check) => {
  if (!isEntity(check.entity)) return 0
  const table = RECORD_TABLES[check.entity]
  const builtIn = table.columns.has(check.field)
  // Emptiness and option membership do not depend on the field's type, so the name is enough.
  const field = fieldSql(table, { name: check.field, label: check.field, type: 'text', builtIn, required: false })
  let predicate: Prisma.Sql
  if (check.kind === 'new_required_field') predicate = field.empty
  else if (check.kind === 'field_removed' || check.kind === 'field_type_changed') predicate = Prisma.sql`(NOT ${field.empty})`
  else {
    const values = check.values ?? []
    if (values.length === 0) return 0
    const column = table.columns.get(check.field)
    predicate = !builtIn
      ? Prisma.sql`COALESCE(jsonb_exists_any(t."data" -> ${check.field}::text, ${values}::text[]), false)`
      : column!.kind === 'textArray'
        ? Prisma.sql`COALESCE(${column!.column} && ${values}::text[], false)`
        : Prisma.sql`COALESCE(${column!.column}::text = ANY(${values}::text[]), false)`
  }
  // The tenant-scoped client knows its tenant: its config head row carries it.
  const head = await db.configHead.findFirst({ select: { tenantId: true } })
  if (!head) return 0
  const tenant = new TenantSql(head.tenantId)
  const rows = await tenant.query<{ n: number }>(db, Prisma.sql`SELECT count(*)::int AS n FROM ${table.table} t WHERE ${tenant.scope('t')} AND ${predicate}`)
  return Number(rows[0]?.n ?? 0)
}

const DESCRIBE: Record<ImpactKind, (c: ImpactCheck, n: number) => string> = {
  new_required_field: (c, n) => `${n} ${c.entity} record(s) lack the new required field "${c.field}"`,
  field_removed: (c, n) => `${n} ${c.entity} record(s) hold a value in the removed field "${c.field}"`,
  field_type_changed: (c, n) => `${n} ${c.entity} record(s) hold a value in "${c.field}", whose type changes`,
  options_removed: (c, n) => `${n} ${c.entity} record(s) use removed option(s) ${c.values?.join(', ')} of "${c.field}"`,
}

export async function assessImpact(db: TenantDb, live: ConfigItem[], draft: ConfigItem[], count: RecordCounter = countAffectedRecords): Promise<Impact[]> {
  const checks = impactChecks(live, draft)
  return Promise.all(
    checks.map(async (c) => {
      const records = await count(db, c)
      return { ...c, records, message: DESCRIBE[c.kind](c, records) }
    }),
  )
}
