// A whole config set (drafts, or a snapshot's content) and the helpers to read it: canonical
// ordering and JSON for checksums, and an index with parsed content for the runtime (renderers,
// record validation, the automation engine, SLA timers).
import {
  addressOf,
  compareAddresses,
  formatAddress,
  OBJECTS_KEY,
  type ConfigAddress,
  type ConfigItem,
  type Entity,
  type EntitySegment,
  type Namespace,
} from './address'
import { evaluateCondition, type Condition } from './condition'
import type { FieldDef } from './field-def'
import type { Role } from './field-types'
import { parseContent, type ContentOf, type SlaContent, type TriggerEvent, type AutomationContent } from './schemas'
import type { RecordLike } from './record'

/** JSON with object keys sorted at every level and undefined properties dropped: equal config, equal string. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(canonicalize(value))
}

function canonicalize(value: unknown): unknown {
  if (Array.isArray(value)) return value.map((v) => (v === undefined ? null : canonicalize(v)))
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {}
    for (const key of Object.keys(value).sort()) {
      const v = (value as Record<string, unknown>)[key]
      if (v !== undefined) out[key] = canonicalize(v)
    }
    return out
  }
  return value
}

/** The set in snapshot order (by address), reduced to the item fields. */
export function sortItems(items: readonly ConfigItem[]): ConfigItem[] {
  return items.map(({ namespace, entity, key, content }) => ({ namespace, entity, key, content })).sort((a, b) => compareAddresses(addressOf(a), addressOf(b)))
}

/** What the server hashes for a snapshot's checksum: independent of item order and key order. */
export function checksumInput(items: readonly ConfigItem[]): string {
  return canonicalJson(sortItems(items))
}

export interface ConfigIndex {
  /** The items in address order. */
  readonly items: readonly ConfigItem[]
  get(address: string): ConfigItem | undefined
  has(address: string): boolean
  /** Parsed content, or undefined when the item is missing or its content is invalid. */
  content<N extends Namespace>(namespace: N, entity: EntitySegment, key: string): ContentOf<N> | undefined
  /** Items of a namespace (optionally of one entity) whose content parses, with parsed content. */
  list<N extends Namespace>(namespace: N, entity?: EntitySegment): Array<{ address: ConfigAddress; entity: EntitySegment; key: string; content: ContentOf<N> }>
  /** The entity's field catalogue (its objects item), or undefined when missing or invalid. */
  fields(entity: Entity): readonly FieldDef[] | undefined
  field(entity: Entity, name: string): FieldDef | undefined
  /** Resolver for `{ ref }` nodes of this entity's conditions. */
  conditions(entity: Entity): (key: string) => Condition | undefined
}

/** Indexes a set. Later duplicates of an address are ignored (validation reports them). */
export function buildConfigIndex(items: readonly ConfigItem[]): ConfigIndex {
  const sorted = sortItems(items)
  const byAddress = new Map<string, ConfigItem>()
  for (const item of sorted) if (!byAddress.has(addressOf(item))) byAddress.set(addressOf(item), item)
  const parsed = new Map<string, { ok: boolean; data: unknown }>()

  function parsedOf(item: ConfigItem): { ok: boolean; data: unknown } {
    const address = addressOf(item)
    let entry = parsed.get(address)
    if (!entry) {
      const r = parseContent(item.namespace, item.content)
      entry = { ok: r.success, data: r.success ? r.data : undefined }
      parsed.set(address, entry)
    }
    return entry
  }

  const index: ConfigIndex = {
    items: sorted,
    get: (address) => byAddress.get(address),
    has: (address) => byAddress.has(address),
    content(namespace, entity, key) {
      const item = byAddress.get(formatAddress(namespace, entity, key))
      if (!item) return undefined
      const p = parsedOf(item)
      return p.ok ? (p.data as ContentOf<typeof namespace>) : undefined
    },
    list(namespace, entity) {
      const out: Array<{ address: ConfigAddress; entity: EntitySegment; key: string; content: ContentOf<typeof namespace> }> = []
      for (const [address, item] of byAddress) {
        if (item.namespace !== namespace || (entity !== undefined && item.entity !== entity)) continue
        const p = parsedOf(item)
        if (p.ok) out.push({ address: address as ConfigAddress, entity: item.entity, key: item.key, content: p.data as ContentOf<typeof namespace> })
      }
      return out
    },
    fields: (entity) => index.content('objects', entity, OBJECTS_KEY)?.fields,
    field: (entity, name) => index.fields(entity)?.find((f) => f.name === name),
    conditions: (entity) => (key) => index.content('conditions', entity, key)?.when,
  }
  return index
}

/** Enabled automations of an entity whose trigger fires on `event`, in run order (order, then key). */
export function automationsFor(index: ConfigIndex, entity: Entity, event: TriggerEvent): Array<{ key: string; content: AutomationContent }> {
  return index
    .list('automations')
    .filter((a) => a.content.enabled && a.content.entity === entity && index.content('triggers', entity, a.content.trigger)?.event === event)
    .sort((a, b) => a.content.order - b.content.order || compareAddresses(a.key, b.key))
    .map(({ key, content }) => ({ key, content }))
}

/**
 * The SLA policy that applies to a case. When several match, the strictest (shortest resolution
 * target, then shortest first response, then key) wins, so an overlap never weakens a promise.
 */
export function slaPolicyFor(index: ConfigIndex, caseRecord: RecordLike): { key: string; content: SlaContent } | undefined {
  const ctx = { fields: index.fields('case'), entity: 'case' as const, conditions: index.conditions('case') }
  return index
    .list('sla', 'case')
    .filter((p) => evaluateCondition(p.content.when, caseRecord, ctx))
    .sort(
      (a, b) =>
        a.content.resolutionMinutes - b.content.resolutionMinutes ||
        a.content.firstResponseMinutes - b.content.firstResponseMinutes ||
        compareAddresses(a.key, b.key),
    )
    .map(({ key, content }) => ({ key, content }))[0]
}

/** Views of an entity a role may see (no visibleTo = everyone). */
export function viewsVisibleTo(index: ConfigIndex, entity: Entity, role: Role) {
  return index.list('views', entity).filter((v) => v.content.visibleTo === undefined || v.content.visibleTo.includes(role))
}
