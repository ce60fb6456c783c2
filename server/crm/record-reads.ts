// What the CRM's record reads answer: the rows and, for their lookup fields, the names of the
// records those fields point at (so a list or a detail page shows "Acme Corp", not an id); with
// each row its approval request (approvals domain) and, for cases, its SLA clock (sla domain),
// one batched query per page each.
import type { Entity } from '../config-language'
import type { TenantScope } from '../kernel'
import { approvalOfRecords, type RecordApproval } from '../approvals/approval-hooks'
import { slaOfCases, type CaseSlaSummary } from '../sla/case-sla'
import { lookupLabelsOf, type LookupLabels } from './lookup-labels'
import type { RecordRow } from './record-tables'
import type { CrmActor, CrmDeps } from './deps'
import { getRecord, listRecords, type ListInput, type ListResult } from './record-service'

/**
 * A record as reads answer it: the row, its latest approval request, and a case's SLA (null
 * otherwise). Reads always set both; they are optional in the type so that a row from a write
 * (which carries neither) is a ReadRow too for the UI.
 */
export type ReadRow = RecordRow & { approval?: RecordApproval | null; sla?: CaseSlaSummary | null }

async function withRules(
  scope: TenantScope,
  entity: Entity,
  rows: readonly RecordRow[],
  deps: CrmDeps,
): Promise<Array<ReadRow & Required<Pick<ReadRow, 'approval' | 'sla'>>>> {
  const ids = rows.map((r) => r.id)
  const [approvals, slas] = await Promise.all([
    approvalOfRecords(scope, entity, ids),
    entity === 'case' ? slaOfCases(scope, ids, (deps.now ?? (() => new Date()))()) : Promise.resolve(new Map<string, CaseSlaSummary>()),
  ])
  return rows.map((r) => ({ ...r, approval: approvals.get(r.id) ?? null, sla: slas.get(r.id) ?? null }))
}

/** A page of records (view, filter, sort, search, keyset cursor, total) with lookup labels. */
export async function listRecordPage(
  scope: TenantScope,
  actor: CrmActor,
  input: ListInput & { entity: Entity },
  deps: CrmDeps,
): Promise<Omit<ListResult, 'rows'> & { rows: ReadRow[]; lookupLabels: LookupLabels }> {
  const page = await listRecords(scope, actor, input, deps)
  const [rows, lookupLabels] = await Promise.all([withRules(scope, input.entity, page.rows, deps), lookupLabelsOf(scope, input.entity, page.rows, deps)])
  return { ...page, rows, lookupLabels }
}

/** One record with lookup labels; another tenant's id is not found. */
export async function readRecord(
  scope: TenantScope,
  actor: CrmActor,
  input: { entity: Entity; id: string },
  deps: CrmDeps,
): Promise<ReadRow & { lookupLabels: LookupLabels }> {
  const row = await getRecord(scope, actor, input)
  const [[read], lookupLabels] = await Promise.all([withRules(scope, input.entity, [row], deps), lookupLabelsOf(scope, input.entity, [row], deps)])
  return { ...read!, lookupLabels }
}
