// Static analysis of condition trees: can a tree ever match, and does it (through refs) compare
// with the previous record? Conservative by design: `canEverMatch` answers false only when it is
// certain, so an `impossible_condition` error is never a false alarm.
import { CHANGE_OPERATORS, NUMBER_TYPES, TEMPORAL_TYPES, type FieldType } from './field-types'
import type { Condition, FieldCondition } from './condition'
import type { FieldDef } from './field-def'
import { isIsoDate, isIsoDateTime } from './field-values'

type Resolver = (key: string) => Condition | undefined

/** A canonical key for a value, so that equal values (e.g. the same instant) compare equal. */
function valueKey(type: FieldType | undefined, v: unknown): string {
  if (type !== undefined && TEMPORAL_TYPES.includes(type) && (isIsoDate(v) || isIsoDateTime(v))) return `t${Date.parse(v)}`
  return `${typeof v}:${String(v)}`
}

function ordinal(type: FieldType | undefined, v: unknown): number | null {
  if (typeof v === 'number' && (type === undefined || NUMBER_TYPES.includes(type))) return v
  if (type !== undefined && TEMPORAL_TYPES.includes(type) && (isIsoDate(v) || isIsoDateTime(v))) return Date.parse(v)
  return null
}

interface Bound {
  value: number
  inclusive: boolean
}

interface FieldConstraint {
  /** Values the field must take one of (eq / in), or null when unconstrained. */
  allowed: Map<string, unknown> | null
  excluded: Set<string>
  empty: boolean
  nonEmpty: boolean
  lower: Bound | null
  upper: Bound | null
}

function leafIsImpossibleAlone(leaf: FieldCondition, def: FieldDef | undefined): boolean {
  if (!def) return false
  const options = def.options?.map((o) => o.value)
  const restricted = (def.type === 'select' || (def.type === 'multiselect' && (options?.length ?? 0) > 0)) && options !== undefined
  if (!restricted) return false
  const notOption = (v: unknown) => !options.includes(v as string)
  switch (leaf.op) {
    case 'eq':
    case 'changedTo':
    case 'changedFrom':
    case 'contains':
      return notOption(leaf.value)
    case 'in':
      return Array.isArray(leaf.value) && leaf.value.every(notOption)
    default:
      return false
  }
}

/** not(leaf) as a leaf, where the evaluator's semantics make them equivalent (neq/notIn include empty). */
function negateLeaf(leaf: FieldCondition): FieldCondition | null {
  const flip: Partial<Record<FieldCondition['op'], FieldCondition['op']>> = {
    eq: 'neq',
    neq: 'eq',
    in: 'notIn',
    notIn: 'in',
    isEmpty: 'isNotEmpty',
    isNotEmpty: 'isEmpty',
  }
  const op = flip[leaf.op]
  return op ? { ...leaf, op } : null
}

function tighter(a: Bound | null, b: Bound, kind: 'lower' | 'upper'): Bound {
  if (!a) return b
  if (a.value === b.value) return { value: a.value, inclusive: a.inclusive && b.inclusive }
  return (kind === 'lower' ? b.value > a.value : b.value < a.value) ? b : a
}

function within(c: FieldConstraint, n: number): boolean {
  if (c.lower && (n < c.lower.value || (n === c.lower.value && !c.lower.inclusive))) return false
  if (c.upper && (n > c.upper.value || (n === c.upper.value && !c.upper.inclusive))) return false
  return true
}

function constraintIsSatisfiable(c: FieldConstraint, type: FieldType | undefined): boolean {
  const bounded = c.lower !== null || c.upper !== null
  if (c.empty && (c.nonEmpty || c.allowed !== null || bounded)) return false
  if (c.lower && c.upper && (c.lower.value > c.upper.value || (c.lower.value === c.upper.value && !(c.lower.inclusive && c.upper.inclusive)))) {
    return false
  }
  if (c.allowed !== null) {
    const remaining = [...c.allowed.entries()].filter(([k, v]) => {
      if (c.excluded.has(k)) return false
      const n = ordinal(type, v)
      return !bounded || n === null || within(c, n)
    })
    if (remaining.length === 0) return false
  }
  return true
}

/** Leaves that must all hold, collected through nested `all`s and simple negations. */
function conjunction(cond: Condition, resolve: Resolver, seen: Set<string>, leaves: FieldCondition[], others: Condition[]): void {
  if ('all' in cond) for (const c of cond.all) conjunction(c, resolve, seen, leaves, others)
  else if ('ref' in cond) {
    const target = seen.has(cond.ref) ? undefined : resolve(cond.ref)
    if (target) conjunction(target, resolve, new Set([...seen, cond.ref]), leaves, others)
  } else if ('not' in cond && 'field' in cond.not) {
    const negated = negateLeaf(cond.not)
    if (negated) leaves.push(negated)
    else others.push(cond)
  } else if ('field' in cond) leaves.push(cond)
  else others.push(cond)
}

/**
 * False only when no record can ever satisfy `cond` given the entity's fields: an option that does
 * not exist, contradictory equalities or ranges on one field within an `all`, an empty `any`.
 * Unknown refs and cycles count as "could match" (they are reported as their own errors).
 */
export function canEverMatch(cond: Condition, fields: readonly FieldDef[], resolve: Resolver = () => undefined, seen: Set<string> = new Set()): boolean {
  if ('any' in cond) return cond.any.some((c) => canEverMatch(c, fields, resolve, seen))
  if ('not' in cond) {
    // not(all: []) is `not true`.
    if ('all' in cond.not && cond.not.all.length === 0) return false
    if ('field' in cond.not) {
      const negated = negateLeaf(cond.not)
      return negated ? canEverMatch(negated, fields, resolve, seen) : true
    }
    return true
  }
  const leaves: FieldCondition[] = []
  const others: Condition[] = []
  conjunction(cond, resolve, seen, leaves, others)
  if (!others.every((c) => canEverMatch(c, fields, resolve, seen))) return false

  const byField = new Map<string, FieldConstraint>()
  for (const leaf of leaves) {
    const def = fields.find((f) => f.name === leaf.field)
    if (leafIsImpossibleAlone(leaf, def)) return false
    const type = def?.type
    // Multiselect holds lists: equality reasoning over single values does not apply.
    if (type === 'multiselect') continue
    let c = byField.get(leaf.field)
    if (!c) {
      c = { allowed: null, excluded: new Set(), empty: false, nonEmpty: false, lower: null, upper: null }
      byField.set(leaf.field, c)
    }
    const restrict = (values: unknown[]) => {
      const next = new Map(values.map((v) => [valueKey(type, v), v] as const))
      c.allowed = c.allowed === null ? next : new Map([...c.allowed].filter(([k]) => next.has(k)))
    }
    const n = ordinal(type, leaf.value)
    switch (leaf.op) {
      case 'eq':
        restrict([leaf.value])
        break
      case 'in':
        if (Array.isArray(leaf.value)) restrict(leaf.value)
        break
      case 'neq':
        c.excluded.add(valueKey(type, leaf.value))
        break
      case 'notIn':
        if (Array.isArray(leaf.value)) for (const v of leaf.value) c.excluded.add(valueKey(type, v))
        break
      case 'isEmpty':
        c.empty = true
        break
      case 'isNotEmpty':
      case 'contains':
      case 'startsWith':
        c.nonEmpty = true
        break
      case 'gt':
      case 'gte':
        if (n !== null) c.lower = tighter(c.lower, { value: n, inclusive: leaf.op === 'gte' }, 'lower')
        else c.nonEmpty = true
        break
      case 'lt':
      case 'lte':
        if (n !== null) c.upper = tighter(c.upper, { value: n, inclusive: leaf.op === 'lte' }, 'upper')
        else c.nonEmpty = true
        break
      default:
        break
    }
  }
  for (const [name, c] of byField) {
    if (!constraintIsSatisfiable(c, fields.find((f) => f.name === name)?.type)) return false
  }
  return true
}

/** Whether a tree compares with the previous record (changed, changedTo, changedFrom), following refs. */
export function usesChangeOperators(cond: Condition, resolve: Resolver = () => undefined, seen: Set<string> = new Set()): boolean {
  if ('all' in cond) return cond.all.some((c) => usesChangeOperators(c, resolve, seen))
  if ('any' in cond) return cond.any.some((c) => usesChangeOperators(c, resolve, seen))
  if ('not' in cond) return usesChangeOperators(cond.not, resolve, seen)
  if ('ref' in cond) {
    if (seen.has(cond.ref)) return false
    const target = resolve(cond.ref)
    return target !== undefined && usesChangeOperators(target, resolve, new Set([...seen, cond.ref]))
  }
  return CHANGE_OPERATORS.includes(cond.op)
}

/** The chain of refs from `start` that comes back to it, or null when there is no cycle. */
export function findRefCycle(start: string, resolve: Resolver): string[] | null {
  const visit = (key: string, trail: string[]): string[] | null => {
    const target = resolve(key)
    if (!target) return null
    const refs: string[] = []
    const collect = (c: Condition) => {
      if ('all' in c) c.all.forEach(collect)
      else if ('any' in c) c.any.forEach(collect)
      else if ('not' in c) collect(c.not)
      else if ('ref' in c) refs.push(c.ref)
    }
    collect(target)
    for (const ref of refs) {
      if (ref === start) return [...trail, ref]
      if (trail.includes(ref)) continue
      const found = visit(ref, [...trail, ref])
      if (found) return found
    }
    return null
  }
  return visit(start, [start])
}
