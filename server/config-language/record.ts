// Where a field's value lives on a record. One rule, used by the evaluator, the renderers and the
// automation engine alike:
//
//   built-in fields are top-level properties of the record; custom fields live under `record.data`.
//
// A record therefore looks like `{ id, name, email, ..., createdAt, data: { tier, industry } }`.
// Validation guarantees a custom field never shares a name with a built-in or reserved name, so
// "is it a top-level property?" and "is it built-in?" always give the same answer.
import { isBuiltInFieldName } from './built-in-fields'
import type { Entity } from './address'
import type { FieldDef } from './field-def'

export type RecordLike = Readonly<Record<string, unknown>>

type FieldRef = string | Pick<FieldDef, 'name' | 'builtIn'>

function customData(record: RecordLike): Record<string, unknown> | undefined {
  const data = record.data
  return data !== null && typeof data === 'object' && !Array.isArray(data) ? (data as Record<string, unknown>) : undefined
}

/**
 * Whether `field` is read from the top level. A FieldDef decides by its builtIn flag; a name with an
 * entity decides by the entity's built-in list; a bare name decides by whether the record has it
 * as an own top-level property (equivalent for valid config, see above).
 */
function isTopLevel(record: RecordLike, field: FieldRef, entity?: Entity): boolean {
  if (typeof field !== 'string') return field.builtIn
  if (field === 'data') return false
  if (field === 'id') return true
  if (entity !== undefined) return isBuiltInFieldName(entity, field)
  return Object.prototype.hasOwnProperty.call(record, field)
}

export function readField(record: RecordLike, field: FieldRef, entity?: Entity): unknown {
  const name = typeof field === 'string' ? field : field.name
  return isTopLevel(record, field, entity) ? record[name] : customData(record)?.[name]
}

/** A copy of the record with the field set (the automation engine's setField, the form's state). */
export function writeField<R extends RecordLike>(record: R, field: Pick<FieldDef, 'name' | 'builtIn'>, value: unknown): R {
  if (field.builtIn) return { ...record, [field.name]: value }
  return { ...record, data: { ...(customData(record) ?? {}), [field.name]: value } }
}

/** Empty means: absent, null, blank text or an empty list. Required fields must not be empty. */
export function isEmptyValue(value: unknown): boolean {
  if (value === undefined || value === null) return true
  if (typeof value === 'string') return value.trim() === ''
  if (Array.isArray(value)) return value.length === 0
  return false
}
