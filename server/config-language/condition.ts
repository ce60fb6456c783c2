// The condition tree (views' filters, forms' visible-when, automations, approvals, SLA policies)
// and its evaluator. The evaluator is pure and synchronous so the server, the browser and the
// automation engine get the same answer for the same record.
import { z } from 'zod'
import { KEY_PATTERN, type Entity } from './address'
import type { FieldDef } from './field-def'
import { FIELD_NAME_PATTERN } from './field-def'
import { isIsoDate, isIsoDateTime } from './field-values'
import { LIST_OPERATORS, NUMBER_TYPES, OPERATORS, TEMPORAL_TYPES, VALUELESS_OPERATORS, type FieldType, type Operator } from './field-types'
import { isEmptyValue, readField, type RecordLike } from './record'

export type ConditionScalar = string | number | boolean
export type ConditionValue = ConditionScalar | Array<string | number>

export interface FieldCondition {
  field: string
  op: Operator
  value?: ConditionValue
}
export interface AllCondition {
  all: Condition[]
}
export interface AnyCondition {
  any: Condition[]
}
export interface NotCondition {
  not: Condition
}
/** A named condition item (`conditions/<same entity>/<ref>`). */
export interface RefCondition {
  ref: string
}
export type Condition = AllCondition | AnyCondition | NotCondition | RefCondition | FieldCondition

/** Deep enough for any hand-built tree; stops hostile input from exhausting the stack. */
export const MAX_CONDITION_DEPTH = 20

const scalarSchema = z.union([z.string(), z.number(), z.boolean()])

const fieldConditionSchema = z
  .strictObject({
    field: z.string().regex(FIELD_NAME_PATTERN, 'expected a field name'),
    op: z.enum(OPERATORS),
    value: z.union([scalarSchema, z.array(z.union([z.string(), z.number()]))]).optional(),
  })
  .superRefine((c, ctx) => {
    // The shape of the value follows from the operator alone; whether it fits the field's type is
    // a cross-reference check (validate.ts: value_type_mismatch).
    if (VALUELESS_OPERATORS.includes(c.op)) {
      if (c.value !== undefined) ctx.addIssue({ code: 'custom', path: ['value'], message: `${c.op} takes no value` })
    } else if (LIST_OPERATORS.includes(c.op)) {
      if (!Array.isArray(c.value) || c.value.length === 0) {
        ctx.addIssue({ code: 'custom', path: ['value'], message: `${c.op} takes a non-empty list` })
      }
    } else if (c.value === undefined || Array.isArray(c.value)) {
      ctx.addIssue({ code: 'custom', path: ['value'], message: `${c.op} takes a single value` })
    }
  })

const refConditionSchema = z.strictObject({ ref: z.string().regex(KEY_PATTERN, 'expected a condition key') })

type Path = (string | number)[]

function forward(ctx: z.RefinementCtx, issues: readonly z.core.$ZodIssue[], prefix: Path): void {
  for (const issue of issues) {
    const path = [...prefix, ...issue.path.filter((p): p is string | number => typeof p !== 'symbol')]
    ctx.addIssue({ code: 'custom', message: issue.message, path })
  }
}

function checkCondition(value: unknown, ctx: z.RefinementCtx, prefix: Path, depth: number): void {
  if (depth > MAX_CONDITION_DEPTH) {
    ctx.addIssue({ code: 'custom', path: prefix, message: `conditions nest at most ${MAX_CONDITION_DEPTH} levels` })
    return
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    ctx.addIssue({ code: 'custom', path: prefix, message: 'expected a condition object' })
    return
  }
  const obj = value as Record<string, unknown>
  // Dispatch on the distinguishing key so an error points into the branch the author meant,
  // instead of a union error listing every alternative.
  for (const group of ['all', 'any'] as const) {
    if (group in obj) {
      const extra = Object.keys(obj).filter((k) => k !== group)
      if (extra.length) ctx.addIssue({ code: 'custom', path: prefix, message: `a {${group}} condition has no other keys (found ${extra.join(', ')})` })
      const list = obj[group]
      if (!Array.isArray(list)) {
        ctx.addIssue({ code: 'custom', path: [...prefix, group], message: `${group} takes a list of conditions` })
        return
      }
      list.forEach((child, i) => checkCondition(child, ctx, [...prefix, group, i], depth + 1))
      return
    }
  }
  if ('not' in obj) {
    const extra = Object.keys(obj).filter((k) => k !== 'not')
    if (extra.length) ctx.addIssue({ code: 'custom', path: prefix, message: `a {not} condition has no other keys (found ${extra.join(', ')})` })
    checkCondition(obj.not, ctx, [...prefix, 'not'], depth + 1)
    return
  }
  if ('ref' in obj) {
    const r = refConditionSchema.safeParse(obj)
    if (!r.success) forward(ctx, r.error.issues, prefix)
    return
  }
  if ('field' in obj || 'op' in obj) {
    const r = fieldConditionSchema.safeParse(obj)
    if (!r.success) forward(ctx, r.error.issues, prefix)
    return
  }
  ctx.addIssue({ code: 'custom', path: prefix, message: 'expected {all}, {any}, {not}, {ref} or {field, op, value}' })
}

export const conditionSchema: z.ZodType<Condition> = z.custom<Condition>().superRefine((value, ctx) => checkCondition(value, ctx, [], 0))

export function isFieldCondition(c: Condition): c is FieldCondition {
  return 'field' in c
}

/** Visits every `field op value` leaf and `ref` node with its path inside the tree. */
export function walkCondition(cond: Condition, visit: (node: FieldCondition | RefCondition, path: Path) => void, path: Path = []): void {
  if ('all' in cond) cond.all.forEach((c, i) => walkCondition(c, visit, [...path, 'all', i]))
  else if ('any' in cond) cond.any.forEach((c, i) => walkCondition(c, visit, [...path, 'any', i]))
  else if ('not' in cond) walkCondition(cond.not, visit, [...path, 'not'])
  else visit(cond, path)
}

/** The field names a tree uses directly (refs not followed). */
export function conditionFields(cond: Condition): string[] {
  const names = new Set<string>()
  walkCondition(cond, (node) => {
    if ('field' in node) names.add(node.field)
  })
  return [...names]
}

// ---------------------------------------------------------------------------------------------
// Evaluation

export class ConditionEvaluationError extends Error {
  override name = 'ConditionEvaluationError'
}

export type ConditionResolver = Readonly<Record<string, Condition>> | ((key: string) => Condition | undefined)

export interface EvaluationContext {
  /** The record before the change; `changed*` operators are false without it (e.g. on create). */
  previous?: RecordLike | null
  /** Named conditions of the same entity, for `{ ref }` nodes. */
  conditions?: ConditionResolver
  /** The entity's field catalogue: decides where a field lives and how values compare. */
  fields?: readonly FieldDef[]
  /** Without `fields`, the entity decides where a field lives (built-in: top level). */
  entity?: Entity
}

function resolveRef(resolver: ConditionResolver | undefined, key: string): Condition | undefined {
  if (resolver === undefined) return undefined
  return typeof resolver === 'function' ? resolver(key) : Object.prototype.hasOwnProperty.call(resolver, key) ? resolver[key] : undefined
}

function toTime(value: unknown): number | null {
  if (!isIsoDate(value) && !isIsoDateTime(value)) return null
  const t = Date.parse(value)
  return Number.isNaN(t) ? null : t
}

/** How two values compare: dates by instant, numbers numerically, strings by code unit. */
function compareValues(type: FieldType | undefined, a: unknown, b: unknown): number | null {
  const temporal = type !== undefined ? TEMPORAL_TYPES.includes(type) : typeof a === 'string' && toTime(a) !== null && toTime(b) !== null
  if (temporal) {
    const ta = toTime(a)
    const tb = toTime(b)
    return ta === null || tb === null ? null : ta - tb
  }
  if (typeof a === 'number' && typeof b === 'number') return a - b
  if (type !== undefined && NUMBER_TYPES.includes(type)) return null
  if (typeof a === 'string' && typeof b === 'string') return a < b ? -1 : a > b ? 1 : 0
  return null
}

function equalValues(type: FieldType | undefined, a: unknown, b: unknown): boolean {
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false
    // Lists (multiselect) are sets: order carries no meaning.
    return a.every((x) => b.some((y) => equalValues(type, x, y)))
  }
  if (typeof a === 'boolean' || typeof b === 'boolean') return a === b
  const c = compareValues(type, a, b)
  return c === null ? a === b : c === 0
}

/** Equality for `changed`: all empty values are the same "nothing". */
function sameValue(type: FieldType | undefined, a: unknown, b: unknown): boolean {
  if (isEmptyValue(a) || isEmptyValue(b)) return isEmptyValue(a) && isEmptyValue(b)
  return equalValues(type, a, b)
}

function inList(type: FieldType | undefined, actual: unknown, list: unknown): boolean {
  if (!Array.isArray(list) || isEmptyValue(actual)) return false
  // A multiselect is "in" a list when it holds any of the listed options.
  if (Array.isArray(actual)) return actual.some((a) => list.some((v) => equalValues(type, a, v)))
  return list.some((v) => equalValues(type, actual, v))
}

function evaluateLeaf(leaf: FieldCondition, record: RecordLike, ctx: EvaluationContext): boolean {
  const def = ctx.fields?.find((f) => f.name === leaf.field)
  const type = def?.type
  const read = (r: RecordLike) => readField(r, def ?? leaf.field, ctx.entity)
  const actual = read(record)
  const { value } = leaf
  const ordered = (test: (c: number) => boolean) => {
    if (isEmptyValue(actual)) return false
    const c = compareValues(type, actual, value)
    return c !== null && test(c)
  }
  switch (leaf.op) {
    case 'eq':
      return !isEmptyValue(actual) && equalValues(type, actual, value)
    // neq and notIn are true for empty values ("priority is not urgent" includes cases without a
    // priority); the SQL translation of view filters must match (IS DISTINCT FROM / OR IS NULL).
    case 'neq':
      return isEmptyValue(actual) || !equalValues(type, actual, value)
    case 'gt':
      return ordered((c) => c > 0)
    case 'gte':
      return ordered((c) => c >= 0)
    case 'lt':
      return ordered((c) => c < 0)
    case 'lte':
      return ordered((c) => c <= 0)
    case 'in':
      return inList(type, actual, value)
    case 'notIn':
      return !inList(type, actual, value)
    case 'contains':
      if (Array.isArray(actual)) return actual.some((a) => equalValues(type, a, value))
      return typeof actual === 'string' && typeof value === 'string' && actual.toLowerCase().includes(value.toLowerCase())
    case 'startsWith':
      return typeof actual === 'string' && typeof value === 'string' && actual.toLowerCase().startsWith(value.toLowerCase())
    case 'isEmpty':
      return isEmptyValue(actual)
    case 'isNotEmpty':
      return !isEmptyValue(actual)
    case 'changed':
      return ctx.previous != null && !sameValue(type, read(ctx.previous), actual)
    case 'changedTo': {
      if (ctx.previous == null) return false
      const before = read(ctx.previous)
      return !isEmptyValue(actual) && equalValues(type, actual, value) && (isEmptyValue(before) || !equalValues(type, before, value))
    }
    case 'changedFrom': {
      if (ctx.previous == null) return false
      const before = read(ctx.previous)
      return !isEmptyValue(before) && equalValues(type, before, value) && (isEmptyValue(actual) || !equalValues(type, actual, value))
    }
  }
}

function evaluate(cond: Condition, record: RecordLike, ctx: EvaluationContext, refStack: string[]): boolean {
  if ('all' in cond) return cond.all.every((c) => evaluate(c, record, ctx, refStack))
  if ('any' in cond) return cond.any.some((c) => evaluate(c, record, ctx, refStack))
  if ('not' in cond) return !evaluate(cond.not, record, ctx, refStack)
  if ('ref' in cond) {
    if (refStack.includes(cond.ref)) throw new ConditionEvaluationError(`condition reference cycle: ${[...refStack, cond.ref].join(' → ')}`)
    const target = resolveRef(ctx.conditions, cond.ref)
    if (target === undefined) throw new ConditionEvaluationError(`unknown condition "${cond.ref}"`)
    return evaluate(target, record, ctx, [...refStack, cond.ref])
  }
  return evaluateLeaf(cond, record, ctx)
}

/**
 * Whether `record` matches `cond`. `all: []` is true and `any: []` is false (the neutral elements).
 * Throws ConditionEvaluationError for an unknown or cyclic `ref`: "cannot evaluate" must not look
 * like "does not match". Published config never has either (validateConfigSet).
 */
export function evaluateCondition(cond: Condition, record: RecordLike, ctx: EvaluationContext = {}): boolean {
  return evaluate(cond, record, ctx, [])
}
