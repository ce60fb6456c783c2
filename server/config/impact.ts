// Impact preview: before publishing, which pending changes touch existing records, and how many.
// Detection is pure (from the live and draft `objects` items); counting asks the CRM's record-count
// service (server/crm/record-counts.ts), which alone knows the record tables.
import type { ConfigItem } from '../config-language'
import type { TenantScope } from '../kernel'
import { countRecords, type FieldPredicate } from '../crm/record-counts'

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
 * Counts the records a check touches: a new required field counts records where it is empty, a
 * removed or retyped field records holding a value, and removed options records using any of them.
 */
export type RecordCounter = (scope: TenantScope, check: ImpactCheck) => Promise<number>
export const countAffectedRecords: RecordCounter = (scope, check) => {
  const predicate: FieldPredicate =
    check.kind === 'new_required_field'
      ? { field: check.field, kind: 'empty' }
      : check.kind === 'options_removed'
        ? { field: check.field, kind: 'usesAnyOf', values: check.values ?? [] }
        : { field: check.field, kind: 'filled' }
  return countRecords(scope, check.entity, predicate)
}

const DESCRIBE: Record<ImpactKind, (c: ImpactCheck, n: number) => string> = {
  new_required_field: (c, n) => `${n} ${c.entity} record(s) lack the new required field "${c.field}"`,
  field_removed: (c, n) => `${n} ${c.entity} record(s) hold a value in the removed field "${c.field}"`,
  field_type_changed: (c, n) => `${n} ${c.entity} record(s) hold a value in "${c.field}", whose type changes`,
  options_removed: (c, n) => `${n} ${c.entity} record(s) use removed option(s) ${c.values?.join(', ')} of "${c.field}"`,
}

export async function assessImpact(
  scope: TenantScope,
  live: ConfigItem[],
  draft: ConfigItem[],
  count: RecordCounter = countAffectedRecords,
): Promise<Impact[]> {
  const checks = impactChecks(live, draft)
  return Promise.all(
    checks.map(async (c) => {
      const records = await count(scope, c)
      return { ...c, records, message: DESCRIBE[c.kind](c, records) }
    }),
  )
}
