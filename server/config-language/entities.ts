// The record entities, declared once. Everything that names a customer, deal or case (addresses,
// record tables, event topics, routers, URLs, the CRM pages) reads the list and its metadata
// from here, so adding an entity is one edit and a missing case is a type error.

export const ENTITIES = ['customer', 'deal', 'case'] as const
export type Entity = (typeof ENTITIES)[number]

export function isEntity(value: unknown): value is Entity {
  return typeof value === 'string' && (ENTITIES as readonly string[]).includes(value)
}

export type EntityInfo = {
  entity: Entity
  /** tRPC router name, URL segment (`/customers/<id>`, `/api/crm/customers/export.csv`) and Prisma delegate's plural. */
  path: 'customers' | 'deals' | 'cases'
  /** Prisma delegate (model name, lower camel case) of the entity's table. */
  delegate: 'customer' | 'deal' | 'case'
  /** The SQL table name. */
  table: 'Customer' | 'Deal' | 'Case'
  singular: string
  plural: string
  /** The built-in field that names a record in headings, links, lookups and the timeline. */
  titleField: string
  /** Deals and cases belong to a customer. */
  hasCustomer: boolean
}

export const ENTITY_INFO: Readonly<Record<Entity, EntityInfo>> = {
  customer: {
    entity: 'customer',
    path: 'customers',
    delegate: 'customer',
    table: 'Customer',
    singular: 'Customer',
    plural: 'Customers',
    titleField: 'name',
    hasCustomer: false,
  },
  deal: { entity: 'deal', path: 'deals', delegate: 'deal', table: 'Deal', singular: 'Deal', plural: 'Deals', titleField: 'name', hasCustomer: true },
  case: { entity: 'case', path: 'cases', delegate: 'case', table: 'Case', singular: 'Case', plural: 'Cases', titleField: 'subject', hasCustomer: true },
}

export type EntityPath = EntityInfo['path']

/** The entity whose router / URL segment is `path` ("customers" → "customer"), or undefined. */
export function entityOfPath(path: unknown): Entity | undefined {
  return ENTITIES.find((e) => ENTITY_INFO[e].path === path)
}
