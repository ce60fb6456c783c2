// What the CRM's record reads answer: the rows and, for their lookup fields, the names of the
// records those fields point at (so a list or a detail page shows "Acme Corp", not an id).
import type { Entity } from '../config-language'
import type { TenantScope } from '../kernel'
import { lookupLabelsOf, type LookupLabels } from './lookup-labels'
import type { RecordRow } from './record-tables'
import type { CrmActor, CrmDeps } from './deps'
import { getRecord, listRecords, type ListInput, type ListResult } from './record-service'

/** A page of records (view, filter, sort, search, keyset cursor, total) with lookup labels. */
export async function listRecordPage(
  scope: TenantScope,
  actor: CrmActor,
  input: ListInput & { entity: Entity },
  deps: CrmDeps,
): Promise<ListResult & { lookupLabels: LookupLabels }> {
  const page = await listRecords(scope, actor, input, deps)
  return { ...page, lookupLabels: await lookupLabelsOf(scope, input.entity, page.rows, deps) }
}

/** One record with lookup labels; another tenant's id is not found. */
export async function readRecord(
  scope: TenantScope,
  actor: CrmActor,
  input: { entity: Entity; id: string },
  deps: CrmDeps,
): Promise<RecordRow & { lookupLabels: LookupLabels }> {
  const row = await getRecord(scope, actor, input)
  return { ...row, lookupLabels: await lookupLabelsOf(scope, input.entity, [row], deps) }
}
