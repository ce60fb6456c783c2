// Field types, condition operators and view formats: the vocabulary the studio builders offer and
// validation enforces. One table each, so the view builder's operator menu and the validator never
// disagree.

export const ROLES = ['ADMIN', 'MANAGER', 'AGENT', 'VIEWER'] as const
export type Role = (typeof ROLES)[number]

export const FIELD_TYPES = [
  'text',
  'textarea',
  'number',
  'currency',
  'percent',
  'date',
  'datetime',
  'boolean',
  'select',
  'multiselect',
  'email',
  'phone',
  'url',
  'user',
  'lookup',
] as const
export type FieldType = (typeof FIELD_TYPES)[number]

export const OPERATORS = [
  'eq',
  'neq',
  'gt',
  'gte',
  'lt',
  'lte',
  'in',
  'notIn',
  'contains',
  'startsWith',
  'isEmpty',
  'isNotEmpty',
  'changed',
  'changedTo',
  'changedFrom',
] as const
export type Operator = (typeof OPERATORS)[number]

/** Operators that take no value. */
export const VALUELESS_OPERATORS: readonly Operator[] = ['isEmpty', 'isNotEmpty', 'changed']
/** Operators whose value is a list. */
export const LIST_OPERATORS: readonly Operator[] = ['in', 'notIn']
/** Operators that compare with the record before the change; meaningless without a previous record. */
export const CHANGE_OPERATORS: readonly Operator[] = ['changed', 'changedTo', 'changedFrom']

export const NUMBER_TYPES: readonly FieldType[] = ['number', 'currency', 'percent']
export const TEMPORAL_TYPES: readonly FieldType[] = ['date', 'datetime']
/** Types stored as free text (pattern and contains/startsWith apply). */
export const TEXT_TYPES: readonly FieldType[] = ['text', 'textarea', 'email', 'phone', 'url']
/** Types whose value is an id (a member or another record). */
export const ID_TYPES: readonly FieldType[] = ['user', 'lookup']

const EMPTINESS = ['isEmpty', 'isNotEmpty'] as const
const CHANGES = ['changed', 'changedTo', 'changedFrom'] as const

const TEXT_OPS: readonly Operator[] = ['eq', 'neq', 'in', 'notIn', 'contains', 'startsWith', ...EMPTINESS, ...CHANGES]
const ORDERED_OPS: readonly Operator[] = ['eq', 'neq', 'gt', 'gte', 'lt', 'lte', ...EMPTINESS, ...CHANGES]

const OPERATORS_BY_TYPE: Record<FieldType, readonly Operator[]> = {
  text: TEXT_OPS,
  // Long text: equality lists make no sense, substring search does.
  textarea: ['eq', 'neq', 'contains', 'startsWith', ...EMPTINESS, ...CHANGES],
  email: TEXT_OPS,
  phone: TEXT_OPS,
  url: TEXT_OPS,
  number: [...ORDERED_OPS, 'in', 'notIn'],
  currency: [...ORDERED_OPS, 'in', 'notIn'],
  percent: [...ORDERED_OPS, 'in', 'notIn'],
  date: ORDERED_OPS,
  datetime: ORDERED_OPS,
  boolean: ['eq', 'neq', ...EMPTINESS, ...CHANGES],
  select: ['eq', 'neq', 'in', 'notIn', ...EMPTINESS, ...CHANGES],
  // A multiselect holds a list: `contains` = has this option, `in` = has any of, `notIn` = has none of.
  multiselect: ['contains', 'in', 'notIn', ...EMPTINESS, 'changed'],
  user: ['eq', 'neq', 'in', 'notIn', ...EMPTINESS, ...CHANGES],
  lookup: ['eq', 'neq', 'in', 'notIn', ...EMPTINESS, ...CHANGES],
}

/** The operators a condition on a field of this type may use, in menu order. */
export function operatorsFor(type: FieldType): readonly Operator[] {
  return OPERATORS_BY_TYPE[type]
}

export function operatorFits(type: FieldType, op: Operator): boolean {
  return OPERATORS_BY_TYPE[type].includes(op)
}

/**
 * Whether a view may sort on a field of this type. Multiselect (a list), textarea (long text) and
 * lookup (an id whose order means nothing to a user) are not sortable; sorting on them would be
 * either undefined or expensive without being useful.
 */
export function isSortable(type: FieldType): boolean {
  return type !== 'multiselect' && type !== 'textarea' && type !== 'lookup'
}

export const VIEW_FORMATS = ['text', 'currency', 'date', 'datetime', 'badge', 'percent', 'number'] as const
export type ViewFormat = (typeof VIEW_FORMATS)[number]

const FORMATS_BY_TYPE: Record<FieldType, readonly ViewFormat[]> = {
  text: ['text', 'badge'],
  textarea: ['text'],
  email: ['text'],
  phone: ['text'],
  url: ['text'],
  number: ['number', 'currency', 'percent', 'text'],
  currency: ['currency', 'number', 'text'],
  percent: ['percent', 'number', 'text'],
  date: ['date', 'text'],
  datetime: ['datetime', 'date', 'text'],
  boolean: ['badge', 'text'],
  select: ['badge', 'text'],
  multiselect: ['badge', 'text'],
  user: ['text', 'badge'],
  lookup: ['text'],
}

/** Column formats that make sense for a field type (the first is the natural default). */
export function formatsFor(type: FieldType): readonly ViewFormat[] {
  return FORMATS_BY_TYPE[type]
}
