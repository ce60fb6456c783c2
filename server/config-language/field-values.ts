// Whether a value fits a field: the single source for record writes (record-schema.ts), defaults,
// setField/createRecord actions and condition values, so a value the studio accepts is a value the
// record form accepts.
import { z } from 'zod'
import type { FieldDef } from './field-def'
import { patternValueProblem } from './field-pattern'
import { LIST_OPERATORS, NUMBER_TYPES, VALUELESS_OPERATORS, type Operator } from './field-types'
import { isStorableDateText } from './storable-date'

// Bounded by what the columns and their btree indexes hold (an email is at most 254 by RFC 5321).
const emailSchema = z.email().max(254)
const isoDateSchema = z.iso.date()
const isoDateTimeSchema = z.iso.datetime({ offset: true })
const urlSchema = z.url({ protocol: /^https?$/ }).max(2048)

/** Digits with the usual separators and an optional leading +; at least 3 digits. */
export const PHONE_PATTERN = /^\+?[0-9 ()./-]{3,32}$/

// Well-formed and within what the database stores (storable-date.ts): every date check goes here.
export function isIsoDate(value: unknown): value is string {
  return typeof value === 'string' && isoDateSchema.safeParse(value).success && isStorableDateText(value)
}

export function isIsoDateTime(value: unknown): value is string {
  return typeof value === 'string' && isoDateTimeSchema.safeParse(value).success && isStorableDateText(value)
}

function optionValues(field: Pick<FieldDef, 'options'>): string[] {
  return (field.options ?? []).map((o) => o.value)
}

function optionProblem(field: Pick<FieldDef, 'options' | 'name'>, value: unknown): string | null {
  const values = optionValues(field)
  if (typeof value !== 'string' || value === '') return 'must be one of the options'
  return values.includes(value) ? null : `"${value}" is not an option of ${field.name} (${values.join(', ')})`
}

/** A multiselect without options is free tagging: any non-blank tag up to 50 characters. */
function tagProblem(field: Pick<FieldDef, 'options' | 'name'>, value: unknown): string | null {
  if ((field.options ?? []).length > 0) return optionProblem(field, value)
  if (typeof value !== 'string' || value.trim() === '' || value.length > 50) return 'must be a tag of 1–50 characters'
  return null
}

/**
 * Why a non-empty value does not fit the field, or null. Worded for the person filling the form
 * (it is shown under the field, after its label): "must be a number", never "expected number". Emptiness (and so `required`) is the
 * caller's concern: see isEmptyValue.
 */
export function fieldValueProblem(field: FieldDef, value: unknown): string | null {
  switch (field.type) {
    case 'text':
    case 'textarea':
    case 'email':
    case 'phone':
    case 'url': {
      if (typeof value !== 'string') return 'must be text'
      if ((field.type === 'text' || field.type === 'textarea') && field.min !== undefined && value.length < field.min) {
        return `must be at least ${field.min} characters`
      }
      if ((field.type === 'text' || field.type === 'textarea') && field.max !== undefined && value.length > field.max) {
        return `must be at most ${field.max} characters`
      }
      if (field.type === 'email' && !emailSchema.safeParse(value).success) return 'must be an email address, like name@example.com'
      if (field.type === 'phone' && !(PHONE_PATTERN.test(value) && (value.match(/[0-9]/g)?.length ?? 0) >= 3)) {
        return 'must be a phone number'
      }
      if (field.type === 'url' && !urlSchema.safeParse(value).success) return 'must be a web address starting with http:// or https://'
      // Linear-time engine; fails closed on a pattern it cannot run (field-pattern.ts).
      if (field.pattern !== undefined) return patternValueProblem(field.pattern, value)
      return null
    }
    case 'number':
    case 'currency':
    case 'percent':
      if (typeof value !== 'number' || !Number.isFinite(value)) return 'must be a number'
      if (field.min !== undefined && value < field.min) return `must be at least ${field.min}`
      if (field.max !== undefined && value > field.max) return `must be at most ${field.max}`
      return null
    case 'date':
      return isIsoDate(value) ? null : 'must be a date (YYYY-MM-DD)'
    case 'datetime':
      return isIsoDateTime(value) ? null : 'must be a date and time (ISO 8601 with offset)'
    case 'boolean':
      return typeof value === 'boolean' ? null : 'must be yes or no (true or false)'
    case 'select':
      return optionProblem(field, value)
    case 'multiselect': {
      if (!Array.isArray(value)) return 'must be a list'
      const seen = new Set<unknown>()
      for (const v of value) {
        const p = tagProblem(field, v)
        if (p) return p
        if (seen.has(v)) return `"${String(v)}" is listed twice`
        seen.add(v)
      }
      return null
    }
    case 'user':
    case 'lookup':
      return typeof value === 'string' && value.length > 0 && value.length <= 100 ? null : 'must be chosen from the list'
  }
}

/** A single comparison operand (eq, gt, contains, changedTo, an element of an `in` list ...). */
function conditionScalarProblem(field: FieldDef, value: unknown): string | null {
  switch (field.type) {
    case 'text':
    case 'textarea':
    case 'email':
    case 'phone':
    case 'url':
      // Comparing against a fragment is legitimate ("email contains @acme"), so no format check.
      return typeof value === 'string' ? null : 'expected text'
    case 'number':
    case 'currency':
    case 'percent':
      return typeof value === 'number' && Number.isFinite(value) ? null : 'expected a number'
    case 'date':
      return isIsoDate(value) ? null : 'expected a date (YYYY-MM-DD)'
    case 'datetime':
      return isIsoDateTime(value) || isIsoDate(value) ? null : 'expected an ISO date or date-time'
    case 'boolean':
      return typeof value === 'boolean' ? null : 'expected true or false'
    case 'select':
      return optionProblem(field, value)
    case 'multiselect':
      return tagProblem(field, value)
    case 'user':
    case 'lookup':
      return typeof value === 'string' && value.length > 0 ? null : 'expected an id'
  }
}

/** Why `value` does not fit a condition `field op value`, or null. Does not check the operator itself. */
export function conditionValueProblem(field: FieldDef, op: Operator, value: unknown): string | null {
  if (VALUELESS_OPERATORS.includes(op)) return value === undefined ? null : `${op} takes no value`
  if (LIST_OPERATORS.includes(op)) {
    if (!Array.isArray(value) || value.length === 0) return `${op} takes a non-empty list`
    for (const v of value) {
      const p = conditionScalarProblem(field, v)
      if (p) return p
    }
    return null
  }
  if (value === undefined || value === null || Array.isArray(value)) return `${op} takes a single value`
  return conditionScalarProblem(field, value)
}

/** Whether `value` is a fitting operand for `field op value` (the view builder's value input uses it). */
export function valueFits(field: FieldDef, op: Operator, value: unknown): boolean {
  return conditionValueProblem(field, op, value) === null
}

export function isNumberType(field: Pick<FieldDef, 'type'>): boolean {
  return NUMBER_TYPES.includes(field.type)
}
