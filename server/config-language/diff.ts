// Diff of two config sets, item by item down to the changed JSON paths (history, publish preview,
// rollback preview, `config diff`).
//
// Arrays of objects that carry an identity (`name`, `field`, `key` or `value`, unique within the
// array: catalogue fields, form fields, view columns and sort, select options) are matched by that
// identity, so inserting a field reports one addition rather than every later field "changed".
// Paths stay real JSON paths: an index into `after` (into `before` for a removal). A changed order
// of matched elements is one `reordered` change at the array's path, listing the identities.
// Other arrays are compared index by index.
import { addressOf, compareAddresses, type ConfigAddress, type ConfigItem } from './address'

export type ConfigPath = (string | number)[]

export interface ConfigChange {
  path: ConfigPath
  kind: 'added' | 'removed' | 'changed' | 'reordered'
  before?: unknown
  after?: unknown
}

export interface ItemDiff {
  address: ConfigAddress
  changes: ConfigChange[]
}

export interface ConfigDiff {
  added: ConfigAddress[]
  removed: ConfigAddress[]
  changed: ItemDiff[]
}

const IDENTITY_KEYS = ['name', 'field', 'key', 'value'] as const

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v)
}

function identityOf(arr: readonly unknown[]): string | null {
  if (arr.length === 0) return null
  for (const key of IDENTITY_KEYS) {
    const ids = arr.map((e) => (isPlainObject(e) && typeof e[key] === 'string' ? (e[key] as string) : null))
    if (ids.every((id) => id !== null) && new Set(ids).size === ids.length) return key
  }
  return null
}

function diffValue(before: unknown, after: unknown, path: ConfigPath, out: ConfigChange[]): void {
  if (before === after) return
  if (Array.isArray(before) && Array.isArray(after)) return diffArray(before, after, path, out)
  if (isPlainObject(before) && isPlainObject(after)) {
    const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort()
    for (const key of keys) {
      const b = before[key]
      const a = after[key]
      if (b === undefined && a !== undefined) out.push({ path: [...path, key], kind: 'added', after: a })
      else if (a === undefined && b !== undefined) out.push({ path: [...path, key], kind: 'removed', before: b })
      else diffValue(b, a, [...path, key], out)
    }
    return
  }
  out.push({ path, kind: 'changed', before, after })
}

function diffArray(before: readonly unknown[], after: readonly unknown[], path: ConfigPath, out: ConfigChange[]): void {
  const idKey = identityOf(before) ?? identityOf(after)
  const bothKeyed = idKey !== null && (before.length === 0 || identityOf(before) === idKey) && (after.length === 0 || identityOf(after) === idKey)
  if (!bothKeyed) {
    const n = Math.max(before.length, after.length)
    for (let i = 0; i < n; i++) {
      if (i >= before.length) out.push({ path: [...path, i], kind: 'added', after: after[i] })
      else if (i >= after.length) out.push({ path: [...path, i], kind: 'removed', before: before[i] })
      else diffValue(before[i], after[i], [...path, i], out)
    }
    return
  }
  const id = (e: unknown) => (e as Record<string, string>)[idKey]!
  const beforeIds = before.map(id)
  const afterIds = after.map(id)
  before.forEach((b, i) => {
    if (!afterIds.includes(id(b))) out.push({ path: [...path, i], kind: 'removed', before: b })
  })
  after.forEach((a, i) => {
    const j = beforeIds.indexOf(id(a))
    if (j === -1) out.push({ path: [...path, i], kind: 'added', after: a })
    else diffValue(before[j], a, [...path, i], out)
  })
  const kept = new Set(afterIds.filter((x) => beforeIds.includes(x)))
  const orderBefore = beforeIds.filter((x) => kept.has(x))
  const orderAfter = afterIds.filter((x) => kept.has(x))
  if (orderBefore.some((x, i) => x !== orderAfter[i])) out.push({ path, kind: 'reordered', before: orderBefore, after: orderAfter })
}

/**
 * A path into `from` translated into `to`: array elements with an identity are matched by it, as
 * the diff matches them; null when the element is not in `to`.
 */
export function mapPath(path: ConfigPath, from: unknown, to: unknown): ConfigPath | null {
  const out: ConfigPath = []
  let a = from
  let b = to
  for (const step of path) {
    if (Array.isArray(a) && Array.isArray(b) && typeof step === 'number') {
      const key = identityOf(a) ?? identityOf(b)
      const el: unknown = a[step]
      let j = step
      if (key && isPlainObject(el)) {
        j = b.findIndex((x) => isPlainObject(x) && x[key] === el[key])
        if (j === -1) return null
      }
      out.push(j)
      a = el
      b = b[j]
    } else if (isPlainObject(a) && isPlainObject(b) && typeof step === 'string') {
      out.push(step)
      a = a[step]
      b = b[step]
    } else {
      return null
    }
  }
  return out
}

/** The changes between two contents of one item. */
export function diffContent(before: unknown, after: unknown): ConfigChange[] {
  const out: ConfigChange[] = []
  diffValue(before, after, [], out)
  return out
}

export function diffConfigSets(before: readonly ConfigItem[], after: readonly ConfigItem[]): ConfigDiff {
  const b = new Map(before.map((i) => [addressOf(i), i]))
  const a = new Map(after.map((i) => [addressOf(i), i]))
  const added = [...a.keys()].filter((k) => !b.has(k)).sort(compareAddresses)
  const removed = [...b.keys()].filter((k) => !a.has(k)).sort(compareAddresses)
  const changed: ItemDiff[] = []
  for (const address of [...a.keys()].filter((k) => b.has(k)).sort(compareAddresses)) {
    const changes = diffContent(b.get(address)!.content, a.get(address)!.content)
    if (changes.length) changed.push({ address, changes })
  }
  return { added, removed, changed }
}
