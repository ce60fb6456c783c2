// The schema of a record write, built from the published objects (and optionally form) config.
// The server validates every create/update with it and the browser's form uses the very same
// schema (zodResolver), so both report the same message at the same path:
//   built-in field  → ['<field>']          e.g. ['name']
//   custom field    → ['data', '<field>']  e.g. ['data', 'tier']
//
// Decisions:
// - The objects item decides what a valid record is (types, required, bounds, patterns, options).
// - A form only narrows which fields may be submitted through it: the fields placed on the form,
//   plus every required field (so context-supplied values, like a deal's customerId when created
//   from the customer page, can still be sent). It never relaxes `required`.
// - System fields (createdAt, updatedAt) are set by the server and rejected in a write.
// - Empty input ('' / whitespace) for a non-required field is stored as null; for a required field
//   it is the error "Required". Defaults apply on create to absent keys only.
// - Unknown keys are errors at their own path, at the top level and inside `data`.
import { z } from 'zod'
import type { ConfigItem, Entity } from './address'
import { isSystemField } from './built-in-fields'
import type { FieldDef } from './field-def'
import type { Role } from './field-types'
import { fieldValueProblem } from './field-values'
import { isEmptyValue } from './record'
import { buildConfigIndex, type ConfigIndex } from './snapshot'

export type RecordWrite = { [field: string]: unknown; data: Record<string, unknown> }
export type RecordPatch = { [field: string]: unknown; data?: Record<string, unknown> }

export interface RecordSchemaOptions {
  /** Key of a form of the entity (`forms/<entity>/<form>`) narrowing the accepted fields. */
  form?: string
}

export class RecordSchemaError extends Error {
  override name = 'RecordSchemaError'
}

type Mode = 'create' | 'update'

export const REQUIRED_MESSAGE = 'Required'

function fieldSchema(def: FieldDef, mode: Mode): z.ZodType {
  const base = z
    .unknown()
    .superRefine((value, ctx) => {
      if (isEmptyValue(value)) {
        // On update an absent key means "unchanged" (the schema marks it optional), so reaching
        // here with an empty value means the client tried to clear it.
        if (def.required) ctx.addIssue({ code: 'custom', message: REQUIRED_MESSAGE })
        return
      }
      const problem = fieldValueProblem(def, value)
      if (problem) ctx.addIssue({ code: 'custom', message: problem })
    })
    .transform((value) => (typeof value === 'string' && value.trim() === '' ? null : value))
  if (mode === 'update') return base.optional()
  if (def.default !== undefined) return base.default(def.default as never)
  return def.required ? base : base.optional()
}

function withKnownKeysOnly<T extends z.ZodType>(schema: T, known: Set<string>, explain: (key: string) => string): T {
  return schema.superRefine(
    (value, ctx) => {
      for (const key of Object.keys(value as object)) {
        if (!known.has(key)) ctx.addIssue({ code: 'custom', path: [key], message: explain(key) })
      }
    },
    // Report unknown keys together with the other errors, not only once those are fixed.
    { when: (payload) => payload.value !== null && typeof payload.value === 'object' },
  ) as T
}

function sourceIndex(source: readonly ConfigItem[] | ConfigIndex): ConfigIndex {
  return Array.isArray(source) ? buildConfigIndex(source) : (source as ConfigIndex)
}

/** The fields a write through `form` may carry (all writable fields without a form). */
export function writableFields(source: readonly ConfigItem[] | ConfigIndex, entity: Entity, options: RecordSchemaOptions = {}): FieldDef[] {
  const index = sourceIndex(source)
  const fields = index.fields(entity)
  if (!fields) throw new RecordSchemaError(`objects/${entity}/fields is missing or invalid`)
  let writable = fields.filter((f) => !isSystemField(f.name))
  if (options.form !== undefined) {
    const form = index.content('forms', entity, options.form)
    if (!form) throw new RecordSchemaError(`forms/${entity}/${options.form} is missing or invalid`)
    const onForm = new Set(form.sections.flatMap((s) => s.fields.map((f) => f.field)))
    writable = writable.filter((f) => onForm.has(f.name) || f.required)
  }
  return writable
}

function build(source: readonly ConfigItem[] | ConfigIndex, entity: Entity, formOrOptions: string | RecordSchemaOptions | undefined, mode: Mode) {
  const options = typeof formOrOptions === 'string' ? { form: formOrOptions } : (formOrOptions ?? {})
  const fields = writableFields(source, entity, options)
  const explain = (key: string) =>
    isSystemField(key) ? `${key} is set by the server` : options.form !== undefined ? `${key} is not a field of this form` : `Unknown field ${key}`

  const topShape: Record<string, z.ZodType> = {}
  const dataShape: Record<string, z.ZodType> = {}
  for (const def of fields) (def.builtIn ? topShape : dataShape)[def.name] = fieldSchema(def, mode)

  const data = withKnownKeysOnly(z.looseObject(dataShape), new Set(Object.keys(dataShape)), explain)
  // On create, a missing `data` is parsed as {} so required custom fields report at ['data', name].
  topShape.data = mode === 'create' ? data.prefault({}) : data.optional()
  return withKnownKeysOnly(z.looseObject(topShape), new Set(Object.keys(topShape)), explain)
}

/**
 * The schema of a record create: `{ ...builtIns, data: { ...custom } }`, defaults applied.
 * `form` is a form key or `{ form }`.
 */
export function buildRecordSchema(source: readonly ConfigItem[] | ConfigIndex, entity: Entity, form?: string | RecordSchemaOptions): z.ZodType<RecordWrite> {
  return build(source, entity, form, 'create') as unknown as z.ZodType<RecordWrite>
}

/**
 * The schema of a record update: only the keys sent are validated and returned (absent = unchanged),
 * no defaults, and a required field cannot be set to an empty value.
 */
export function buildPartialRecordSchema(
  source: readonly ConfigItem[] | ConfigIndex,
  entity: Entity,
  form?: string | RecordSchemaOptions,
): z.ZodType<RecordPatch> {
  return build(source, entity, form, 'update') as unknown as z.ZodType<RecordPatch>
}

/** The fields of a form that are read-only for `role` (the server rejects changes to them). */
export function readOnlyFieldsFor(source: readonly ConfigItem[] | ConfigIndex, entity: Entity, form: string, role: Role): string[] {
  const content = sourceIndex(source).content('forms', entity, form)
  if (!content) throw new RecordSchemaError(`forms/${entity}/${form} is missing or invalid`)
  return content.sections.flatMap((s) => s.fields.filter((f) => f.readOnlyFor?.includes(role)).map((f) => f.field))
}
