// Diffs in words: a config diff's changes as sentences a Studio user reads ("Form Customer ›
// Profile: added field Loyalty ID") instead of JSON paths ("sections[0].fields[6]"). Labels come
// from the config itself (field labels from the catalogues, section titles, view names), the
// newer side first, so a renamed field reads with its new name. Pure: the history, the publish
// centre and the CLI can all call it.
import { parseAddress, type ConfigAddress, type ConfigItem } from './address'
import { builtInField } from './built-in-fields'
import { mapPath, type ConfigChange, type ConfigDiff, type ConfigPath } from './diff'
import { ENTITY_INFO, isEntity, type Entity } from './entities'

const NOUNS: Record<string, string> = {
  objects: 'Object',
  forms: 'Form',
  views: 'View',
  triggers: 'Trigger',
  conditions: 'Condition',
  actions: 'Action',
  automations: 'Automation',
  approvals: 'Approval',
  sla: 'SLA policy',
}

/** Beyond this many settings an item outside the specialised namespaces reads as one count. */
const MAX_GENERIC_LINES = 3

type Obj = Record<string, unknown>
const isObj = (v: unknown): v is Obj => v !== null && typeof v === 'object' && !Array.isArray(v)
const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined)

function get(value: unknown, path: ConfigPath): unknown {
  let v = value
  for (const step of path) {
    if (Array.isArray(v) && typeof step === 'number') v = v[step]
    else if (isObj(v) && typeof step === 'string') v = v[step]
    else return undefined
  }
  return v
}

/** A value in a sentence: short, quoted when text. */
function show(v: unknown): string {
  if (v === undefined || v === null) return 'none'
  if (typeof v === 'string') return `“${v.length > 60 ? `${v.slice(0, 59)}…` : v}”`
  if (typeof v === 'boolean') return v ? 'yes' : 'no'
  if (typeof v === 'number') return String(v)
  if (Array.isArray(v) && v.every((x) => typeof x === 'string')) return v.length ? v.join(', ') : 'none'
  return 'a new value'
}

/** "pageSize" → "page size", "readOnlyFor" → "read only for". */
function words(key: string | number): string {
  return String(key)
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .toLowerCase()
}

/** Field labels of every entity: the catalogues of the given configs (first wins), then built-ins. */
export type FieldLabels = (entity: Entity, name: string) => string

export function fieldLabelsOf(...configs: ReadonlyArray<readonly ConfigItem[]>): FieldLabels {
  const labels = new Map<string, string>()
  for (const items of configs) {
    for (const item of items) {
      if (item.namespace !== 'objects' || !isObj(item.content) || !Array.isArray(item.content.fields)) continue
      for (const f of item.content.fields) {
        if (isObj(f) && str(f.name) && str(f.label) && !labels.has(`${item.entity}.${f.name}`)) labels.set(`${item.entity}.${f.name}`, f.label as string)
      }
    }
  }
  return (entity, name) => labels.get(`${entity}.${name}`) ?? builtInField(entity, name)?.label ?? name
}

/** "Form Customer", "View All customers", "Automation Escalate urgent cases". */
export function describeItemName(address: ConfigAddress, content: unknown): string {
  const parts = parseAddress(address)
  if (!parts) return address
  const { namespace, entity, key } = parts
  const noun = NOUNS[namespace] ?? namespace
  if (namespace === 'objects') return `${noun} ${isEntity(entity) ? ENTITY_INFO[entity].singular : entity}`
  const label = isObj(content) ? str(content.label) : undefined
  return `${noun} ${label ?? key}`
}

interface Side {
  before: unknown
  after: unknown
  change: ConfigChange
}

/**
 * The element an index path points at: the newer side for every step, except the last step of a
 * removal (whose index is into the older side, as diff.ts writes it).
 */
function node(side: Side, path: ConfigPath): unknown {
  const { change, before, after } = side
  if (change.kind === 'removed' && path.length === change.path.length) {
    const parent = mapPath(path.slice(0, -1), after, before)
    return parent ? get(get(before, parent), path.slice(-1)) : undefined
  }
  return get(after, path) ?? get(before, mapPath(path, after, before) ?? path)
}

/** What happened to one setting, in words: "label changed from “A” to “B”", "now required". */
function settingPhrase(change: ConfigChange, name: string): string {
  if (change.kind === 'added') return `${name} set to ${show(change.after)}`
  if (change.kind === 'removed') return `${name} removed`
  if (change.kind === 'reordered') return `${name} reordered`
  if (typeof change.before === 'boolean' && typeof change.after === 'boolean' && name === 'required')
    return change.after ? 'now required' : 'no longer required'
  const simple = (v: unknown) => v === undefined || v === null || typeof v !== 'object' || (Array.isArray(v) && v.every((x) => typeof x === 'string'))
  if (simple(change.before) && simple(change.after)) return `${name} changed from ${show(change.before)} to ${show(change.after)}`
  return `${name} changed`
}

type Describer = (side: Side, item: { entity: Entity; title: string; labels: FieldLabels }) => string | null

const describeForm: Describer = (side, { entity, title, labels }) => {
  const p = side.change.path
  const kind = side.change.kind
  if (p[0] !== 'sections') return null
  if (p.length === 1) return kind === 'reordered' ? `${title}: sections reordered` : null
  const section = node(side, p.slice(0, 2))
  const sectionTitle = (isObj(section) && str(section.title)) || `section ${Number(p[1]) + 1}`
  if (p.length === 2)
    return kind === 'added' ? `${title}: added section ${sectionTitle}` : kind === 'removed' ? `${title}: removed section ${sectionTitle}` : null
  const where = `${title} › ${sectionTitle}`
  if (p[2] === 'title' && p.length === 3) return `${title}: section ${show(side.change.before)} renamed to ${show(side.change.after)}`
  if (p[2] === 'columns' && p.length === 3) return `${where}: layout changed from ${show(side.change.before)} to ${show(side.change.after)} columns`
  if (p[2] !== 'fields') return null
  if (p.length === 3) return kind === 'reordered' ? `${where}: fields reordered` : null
  const placed = node(side, p.slice(0, 4))
  const fieldName = isObj(placed) ? str(placed.field) : undefined
  const label = fieldName ? labels(entity, fieldName) : `field ${Number(p[3]) + 1}`
  if (p.length === 4) return kind === 'added' ? `${where}: added field ${label}` : kind === 'removed' ? `${where}: removed field ${label}` : null
  const setting = p[4] === 'visibleWhen' ? 'visibility condition' : p[4] === 'readOnlyFor' ? 'read-only roles' : `${words(p[4]!)} override`
  if (p[4] === 'visibleWhen' && p.length > 5) return `${where}: field ${label}: visibility condition changed`
  return `${where}: field ${label}: ${settingPhrase(side.change, setting)}`
}

const describeView: Describer = (side, { entity, title, labels }) => {
  const p = side.change.path
  const kind = side.change.kind
  if (p[0] === 'filter') return `${title}: filter ${kind === 'added' ? 'added' : kind === 'removed' ? 'removed' : 'changed'}`
  if (p[0] !== 'columns' && p[0] !== 'sort') return null
  if (p.length === 1) return kind === 'reordered' ? `${title}: ${p[0] === 'sort' ? 'sort order' : 'columns'} reordered` : null
  const el = node(side, p.slice(0, 2))
  const name = isObj(el) ? str(el.field) : undefined
  const label = name ? labels(entity, name) : `#${Number(p[1]) + 1}`
  if (p[0] === 'columns') {
    if (p.length === 2) return kind === 'added' ? `${title}: column ${label} added` : kind === 'removed' ? `${title}: column ${label} removed` : null
    return `${title}: column ${label}: ${settingPhrase(side.change, words(p[2]!))}`
  }
  const direction = isObj(el) && el.direction === 'desc' ? 'descending' : 'ascending'
  if (p.length === 2) return kind === 'added' ? `${title}: sorted by ${label} (${direction})` : kind === 'removed' ? `${title}: sort by ${label} removed` : null
  if (p[2] === 'direction') return `${title}: sort by ${label} now ${direction}`
  return null
}

const describeObject: Describer = (side, { entity, title, labels }) => {
  const p = side.change.path
  const kind = side.change.kind
  if (p[0] !== 'fields') return null
  if (p.length === 1) return kind === 'reordered' ? `${title}: fields reordered` : null
  const def = node(side, p.slice(0, 2))
  const defName = isObj(def) ? str(def.name) : undefined
  // A removed field is only in the older catalogue: its own label, not the newer config's.
  const label = (kind === 'removed' && p.length === 2 && isObj(def) && str(def.label)) || (defName ? labels(entity, defName) : `field ${Number(p[1]) + 1}`)
  if (p.length === 2) return kind === 'added' ? `${title}: added field ${label}` : kind === 'removed' ? `${title}: removed field ${label}` : null
  const field = `Field ${ENTITY_INFO[entity].singular} › ${label}`
  if (p[2] === 'options') {
    if (p.length === 3) return kind === 'reordered' ? `${field}: options reordered` : `${field}: ${settingPhrase(side.change, 'options')}`
    const option = node(side, p.slice(0, 4))
    const optionLabel = (isObj(option) && (str(option.label) ?? str(option.value))) || `option ${Number(p[3]) + 1}`
    if (p.length === 4)
      return kind === 'added' ? `${field}: option ${optionLabel} added` : kind === 'removed' ? `${field}: option ${optionLabel} removed` : null
    return `${field}: option ${optionLabel}: ${settingPhrase(side.change, words(p[4]!))}`
  }
  if (p.length === 3) return `${field}: ${settingPhrase(side.change, words(p[2]!))}`
  return `${field}: ${words(p[2]!)} changed`
}

const DESCRIBERS: Partial<Record<string, Describer>> = { forms: describeForm, views: describeView, objects: describeObject }

/** A setting of any item: "action 2 changed", "enabled changed from yes to no". */
function genericPhrase(change: ConfigChange): string {
  const [head, index] = change.path
  if (head === undefined) return settingPhrase(change, 'content')
  const name = words(head)
  if (typeof index === 'number') {
    const one = `${name.replace(/s$/, '')} ${index + 1}`
    return change.kind === 'added' || change.kind === 'removed' ? `${one} ${change.kind}` : `${one} changed`
  }
  return change.path.length === 1 ? settingPhrase(change, name) : `${name} changed`
}

/** The sentences for one changed item, in the order of its changes; duplicates said once. */
export function describeItemChanges(
  address: ConfigAddress,
  changes: readonly ConfigChange[],
  before: unknown,
  after: unknown,
  labels: FieldLabels = fieldLabelsOf(),
): string[] {
  const parts = parseAddress(address)
  const namespace = parts?.namespace ?? ''
  const entity = parts?.entity
  const title = describeItemName(address, after ?? before)
  const describer = isEntity(entity) ? DESCRIBERS[namespace] : undefined
  const out: string[] = []
  const generic: string[] = []
  for (const change of changes) {
    const side = { before, after, change }
    const sentence = describer && isEntity(entity) ? describer(side, { entity, title, labels }) : null
    if (change.path[0] === 'label' && change.path.length === 1 && change.kind === 'changed') {
      out.push(`${describeItemName(address, before)}: renamed to ${show(change.after)}`)
    } else if (sentence) out.push(sentence)
    else generic.push(genericPhrase(change))
  }
  if (generic.length > MAX_GENERIC_LINES) out.push(`${title}: ${generic.length} settings changed`)
  else out.push(...generic.map((g) => `${title}: ${g}`))
  return [...new Set(out)]
}

/** Every item of a diff in words, by address: changed items path by path, added and removed ones whole. */
export function describeConfigDiff(diff: ConfigDiff, before: readonly ConfigItem[], after: readonly ConfigItem[]): Record<ConfigAddress, string[]> {
  const index = (items: readonly ConfigItem[]) => new Map(items.map((i) => [`${i.namespace}/${i.entity}/${i.key}`, i.content]))
  const b = index(before)
  const a = index(after)
  const labels = fieldLabelsOf(after, before)
  const out: Record<ConfigAddress, string[]> = {}
  for (const address of diff.added) out[address] = [`${describeItemName(address, a.get(address))} added`]
  for (const address of diff.removed) out[address] = [`${describeItemName(address, b.get(address))} removed`]
  for (const c of diff.changed) out[c.address] = describeItemChanges(c.address, c.changes, b.get(c.address), a.get(c.address), labels)
  return out
}
