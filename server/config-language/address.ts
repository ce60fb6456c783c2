// Config items and their addresses. An item is addressed `namespace/entity/key`; the address is the
// identity used everywhere (drafts, snapshots, diffs, validation issues, references in the studio).

import { z } from 'zod'
import { ENTITIES, type Entity } from './entities'

export const NAMESPACES = ['objects', 'forms', 'views', 'triggers', 'conditions', 'actions', 'automations', 'approvals', 'sla'] as const
export type Namespace = (typeof NAMESPACES)[number]

export { ENTITIES, isEntity, type Entity } from './entities'

/** The entity segment of items that are not bound to one entity (only automations). */
export const NO_ENTITY = '-' as const
export type EntitySegment = Entity | typeof NO_ENTITY

export const KEY_PATTERN = /^[a-z][a-z0-9-]{0,62}$/

/** The one key an objects item may have: there is exactly one field catalogue per entity. */
export const OBJECTS_KEY = 'fields'

/**
 * Which entity segment each namespace takes. Automations are the only `-` items: they are ordered
 * among all automations, and name the entity they run for in their content (`entity`), so
 * `automations/-/escalate-urgent` reads like the studio's list. SLA policies only apply to cases.
 */
export const ENTITY_RULE: Record<Namespace, readonly EntitySegment[]> = {
  objects: ENTITIES,
  forms: ENTITIES,
  views: ENTITIES,
  triggers: ENTITIES,
  conditions: ENTITIES,
  actions: ENTITIES,
  automations: [NO_ENTITY],
  approvals: ENTITIES,
  sla: ['case'],
}

export interface ConfigItem<C = unknown> {
  namespace: Namespace
  entity: EntitySegment
  key: string
  /** Drafts may be invalid, so content is unknown until parsed with CONTENT_SCHEMAS[namespace]. */
  content: C
}

/**
 * `namespace/entity/key`. A plain string type on purpose: addresses travel through Maps, URLs and
 * JSON, where a template-literal type only forces casts; parseAddress is the check.
 */
export type ConfigAddress = string

export interface ConfigAddressParts {
  namespace: Namespace
  entity: EntitySegment
  key: string
}

export function isNamespace(value: unknown): value is Namespace {
  return typeof value === 'string' && (NAMESPACES as readonly string[]).includes(value)
}

export function formatAddress(namespace: Namespace, entity: EntitySegment, key: string): ConfigAddress {
  return addressText({ namespace, entity, key })
}

/**
 * `namespace/entity/key` of anything that has the three parts, checked or not: a stored row, a
 * draft being typed, an item that failed validation (so an issue can still name it).
 */
export function addressText(parts: { namespace: unknown; entity: unknown; key: unknown }): string {
  return `${String(parts.namespace)}/${String(parts.entity)}/${String(parts.key)}`
}

export function addressOf(item: Pick<ConfigItem, 'namespace' | 'entity' | 'key'>): ConfigAddress {
  return formatAddress(item.namespace, item.entity, item.key)
}

/**
 * Why an address is not acceptable, or null when it is. Shared by parseAddress and validation so
 * the studio, the server and imports agree on what an address is.
 */
export function addressProblem(parts: { namespace: unknown; entity: unknown; key: unknown }): string | null {
  const { namespace, entity, key } = parts
  if (!isNamespace(namespace)) return `unknown namespace "${String(namespace)}" (expected one of ${NAMESPACES.join(', ')})`
  const allowed = ENTITY_RULE[namespace]
  if (typeof entity !== 'string' || !(allowed as readonly string[]).includes(entity)) {
    return `${namespace} items take entity ${allowed.map((e) => `"${e}"`).join(' or ')}, not "${String(entity)}"`
  }
  if (typeof key !== 'string' || !KEY_PATTERN.test(key)) {
    return `key "${String(key)}" must be lower-case letters, digits and dashes, starting with a letter (max 63)`
  }
  if (namespace === 'objects' && key !== OBJECTS_KEY) return `the objects item of an entity has key "${OBJECTS_KEY}"`
  return null
}

/** Parses `namespace/entity/key`; null when the string is not a valid address. */
export function parseAddress(address: string): ConfigAddressParts | null {
  const parts = address.split('/')
  if (parts.length !== 3) return null
  const [namespace, entity, key] = parts as [string, string, string]
  if (addressProblem({ namespace, entity, key }) !== null) return null
  return { namespace: namespace as Namespace, entity: entity as EntitySegment, key }
}

export function isConfigAddress(value: unknown): value is ConfigAddress {
  return typeof value === 'string' && parseAddress(value) !== null
}

/** Orders by address, the canonical order of a snapshot's content. */
export function compareAddresses(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0
}

/**
 * The address as input fields (`{ namespace, entity, key }`), the one schema every API input and
 * form that names an item spreads in. The shape only: addressProblem (validation) judges whether
 * the entity fits the namespace, so a draft with a wrong pair can still be saved and reported.
 */
export const addressFields = {
  namespace: z.enum(NAMESPACES),
  entity: z.string().regex(/^(-|[a-z][a-z0-9-]{0,62})$/, 'An entity name or "-"'),
  key: z.string().regex(KEY_PATTERN, 'Lower-case letters, digits and dashes'),
}
