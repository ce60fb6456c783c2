// What the CRM pages need to know about each record entity beyond its config: where it lives in
// the URL, which router serves it, and what to call it. Pure, shared by loaders and components.
import type { Entity } from '../../../server/config-language'

export type EntityMeta = {
  entity: Entity
  /** URL segment and tRPC router name. */
  path: 'customers' | 'deals' | 'cases'
  singular: string
  plural: string
  /** The built-in field that names a record in headings, links and lookups. */
  titleField: string
  description: string
  emptyText: string
}

export const ENTITY_META: Record<Entity, EntityMeta> = {
  customer: {
    entity: 'customer',
    path: 'customers',
    singular: 'Customer',
    plural: 'Customers',
    titleField: 'name',
    description: 'People and companies you do business with.',
    emptyText: 'Add your first customer, or import them from a CSV file.',
  },
  deal: {
    entity: 'deal',
    path: 'deals',
    singular: 'Deal',
    plural: 'Deals',
    titleField: 'name',
    description: 'Opportunities in your pipeline, by stage.',
    emptyText: 'Create a deal to start tracking your pipeline.',
  },
  case: {
    entity: 'case',
    path: 'cases',
    singular: 'Case',
    plural: 'Cases',
    titleField: 'subject',
    description: 'Support requests from your customers.',
    emptyText: 'Cases appear here when customers ask for help or an agent opens one.',
  },
}

/** A record as the list and get procedures return it: built-ins on top, custom fields in `data`. */
export type RecordRow = {
  id: string
  version: number
  createdAt: string
  updatedAt: string
  data: Record<string, unknown>
  [builtIn: string]: unknown
}

/** A member as the user-field pickers and cells show them. */
export type MemberOption = { id: string; name: string; email?: string }

/** Labels of lookup ids (e.g. customer id → name) known to the page. */
export type LookupLabels = Record<string, string>

export function recordHref(entity: Entity, id: string): string {
  return `/${ENTITY_META[entity].path}/${encodeURIComponent(id)}`
}

export function recordTitle(entity: Entity, record: { id: string; [k: string]: unknown }): string {
  const title = record[ENTITY_META[entity].titleField]
  return typeof title === 'string' && title.trim() !== '' ? title : `${ENTITY_META[entity].singular} ${record.id.slice(0, 8)}`
}
