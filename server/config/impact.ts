// Impact preview: before publishing, which pending changes touch existing records, and how many.
// Detection is pure (from the live and draft `objects` items); counting asks the record store.
import type { ConfigItem } from '../config-language'
import type { TenantDb } from '../db/tenant-db'

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
 * Counts the records a check touches. The CRM record tables arrive with the CRM issue; until then
 * a tenant has no records and every count is honestly zero, through this same path.
 */
export type RecordCounter = (db: TenantDb, check: ImpactCheck) => Promise<number>
export const countAffectedRecords: RecordCounter = async () => 0

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
