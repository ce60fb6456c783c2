// customer360.get's service: one customer with its deals, its cases and the activity timeline of all three.
import type { TenantScope } from '../kernel'
import type { CrmActor, CrmDeps } from './deps'
import { lookupLabelsOf, type LookupLabels } from './lookup-labels'
import { RECORD_TABLES, toRecordRow } from './record-tables'
import { delegateOf, getRecord, includeOf } from './record-service'
import { customerThreads } from '../inbox/customer-threads'

const RELATED_LIMIT = 100
const ACTIVITY_PAGE = 50

export type ActivityRow = {
  id: string
  entity: string
  recordId: string
  kind: string
  summary: string
  actor: string
  changes: Record<string, { from?: unknown; to?: unknown }>
  createdAt: string
}

/**
 * The customer (NotFoundError like customers.get), its newest 100 deals and cases (with totals),
 * and the newest 50 activity entries of the customer and its records (older ones with
 * `activityCursor` = the previous `activityNextCursor`).
 */
export async function customer360(scope: TenantScope, actor: CrmActor, input: { id: string; activityCursor?: string }, deps: CrmDeps) {
  const customer = await getRecord(scope, actor, { entity: 'customer', id: input.id })
  const related = (entity: 'deal' | 'case') =>
    delegateOf(scope.db, entity).findMany({
      where: { customerId: customer.id },
      include: includeOf(RECORD_TABLES[entity]),
      orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
      take: RELATED_LIMIT,
    })
  const [deals, cases, dealCount, caseCount, activity, messages] = await Promise.all([
    related('deal'),
    related('case'),
    scope.db.deal.count({ where: { customerId: customer.id } }),
    scope.db.case.count({ where: { customerId: customer.id } }),
    scope.db.activity.findMany({
      where: { customerId: customer.id },
      orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
      take: ACTIVITY_PAGE + 1,
      cursor: input.activityCursor ? { tenantId_id: { tenantId: scope.tenantId, id: input.activityCursor } } : undefined,
      skip: input.activityCursor ? 1 : 0,
    }),
    customerThreads(scope, customer.id),
  ])
  const hasMore = activity.length > ACTIVITY_PAGE
  const entries = hasMore ? activity.slice(0, ACTIVITY_PAGE) : activity
  const dealRows = deals.map((d) => toRecordRow(RECORD_TABLES.deal, d))
  const caseRows = cases.map((c) => toRecordRow(RECORD_TABLES.case, c))
  const labels = await Promise.all([
    lookupLabelsOf(scope, 'customer', [customer], deps),
    lookupLabelsOf(scope, 'deal', dealRows, deps),
    lookupLabelsOf(scope, 'case', caseRows, deps),
  ])
  return {
    customer,
    deals: dealRows,
    cases: caseRows,
    /** Names for the record ids the lookup fields on this page hold (see lookup-labels.ts). */
    lookupLabels: Object.assign({}, ...labels) as LookupLabels,
    counts: { deals: dealCount, cases: caseCount },
    activity: entries.map((a): ActivityRow => ({
      id: a.id,
      entity: a.entity,
      recordId: a.recordId,
      kind: a.kind,
      summary: a.summary,
      actor: a.actor,
      changes: a.changes as ActivityRow['changes'],
      createdAt: a.createdAt.toISOString(),
    })),
    activityNextCursor: hasMore ? entries[entries.length - 1]!.id : null,
    /** The customer's newest inbox threads with their latest messages (the inbox's service). */
    messages,
  }
}
