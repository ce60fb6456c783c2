// Names for the record ids that lookup fields hold, so a table cell or a detail page shows
// "Globex Corporation" rather than an id. One query per entity pointed at, whatever the page size;
// reads go through the tenant-scoped client, so another tenant's id simply gets no label.
import type { Entity, FieldDef } from '../config-language'
import type { TenantScope } from '../kernel'
import type { CrmDeps } from './deps'
import { liveModel } from './live-model'
import { RECORD_TABLES, type RecordRow } from './record-tables'
import { delegateOf } from './record-service'

/** Record id → what to call it (its title field: a customer's or deal's name, a case's subject). */
export type LookupLabels = Record<string, string>

export async function lookupLabelsOf(
  scope: TenantScope,
  entity: Entity,
  rows: readonly RecordRow[],
  deps: Pick<CrmDeps, 'runtimeConfig'>,
): Promise<LookupLabels> {
  const model = await liveModel(scope, deps.runtimeConfig)
  const lookups = model.fields(entity).filter((f): f is FieldDef & { lookupEntity: Entity } => f.type === 'lookup' && f.lookupEntity !== undefined)
  // No prototype: an id such as "toString" must not look labelled already.
  const labels: LookupLabels = Object.create(null) as LookupLabels
  const wanted = new Map<Entity, Set<string>>()
  for (const row of rows) {
    // Deals and cases carry their customer's name already (record-tables.ts).
    if (typeof row.customerId === 'string' && typeof row.customerName === 'string') labels[row.customerId] = row.customerName
    for (const f of lookups) {
      const value = f.builtIn ? row[f.name] : row.data[f.name]
      if (typeof value !== 'string' || Object.hasOwn(labels, value)) continue
      const ids = wanted.get(f.lookupEntity) ?? new Set<string>()
      wanted.set(f.lookupEntity, ids.add(value))
    }
  }
  await Promise.all(
    [...wanted].map(async ([target, ids]) => {
      const title = RECORD_TABLES[target].titleField
      const found = await delegateOf(scope.db, target).findMany({ where: { id: { in: [...ids] } }, select: { id: true, [title]: true } })
      for (const r of found) labels[r.id] = String(r[title])
    }),
  )
  return { ...labels }
}
