// What the CRM pages need to know about each record entity beyond its config: where it lives in
// the URL, which router serves it, and what to call it. Pure, shared by loaders and components.
import { ENTITY_INFO, type Entity, type EntityInfo } from '../../../server/config-language'
import type { RouterOutputs } from '../../../server/app-router'

/** The config language's entity metadata (ENTITY_INFO) plus what only the pages say. */
export type EntityMeta = EntityInfo & {
  description: string
  emptyText: string
}

const PAGE_TEXT: Record<Entity, Pick<EntityMeta, 'description' | 'emptyText'>> = {
  customer: { description: 'People and companies you do business with.', emptyText: 'Add your first customer, or import them from a CSV file.' },
  deal: { description: 'Opportunities in your pipeline, by stage.', emptyText: 'Create a deal to start tracking your pipeline.' },
  case: { description: 'Support requests from your customers.', emptyText: 'Cases appear here when customers ask for help or an agent opens one.' },
}

export const ENTITY_META: Record<Entity, EntityMeta> = {
  customer: { ...ENTITY_INFO.customer, ...PAGE_TEXT.customer },
  deal: { ...ENTITY_INFO.deal, ...PAGE_TEXT.deal },
  case: { ...ENTITY_INFO.case, ...PAGE_TEXT.case },
}

/** A record as the list and get procedures return it: built-ins on top, custom fields in `data`. */
export type RecordRow = RouterOutputs['customers']['list']['rows'][number]

/** A case's SLA clock, as case reads carry it. */
export type CaseSla = NonNullable<RecordRow['sla']>

/** An approval request as approvals.forRecord / approvals.pending return it. */
export type ApprovalRequest = RouterOutputs['approvals']['forRecord'][number]

/** A timeline entry as customer360.get returns it. */
export type ActivityEntry = RouterOutputs['customer360']['get']['activity'][number]

/** A member as the user-field pickers and cells show them. */
export type MemberOption = { id: string; name: string; email?: string }

/** Labels of lookup ids (e.g. customer id → name) known to the page. */
export type LookupLabels = RouterOutputs['customers']['list']['lookupLabels']

export function recordHref(entity: Entity, id: string): string {
  return `/${ENTITY_META[entity].path}/${encodeURIComponent(id)}`
}

export function recordTitle(entity: Entity, record: { id: string; [k: string]: unknown }): string {
  const title = record[ENTITY_META[entity].titleField]
  return typeof title === 'string' && title.trim() !== '' ? title : `${ENTITY_META[entity].singular} ${record.id.slice(0, 8)}`
}
