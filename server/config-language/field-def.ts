// One field of an entity's catalogue (the objects namespace). Type-specific properties are checked
// here structurally (options only on selects, lookupEntity only on lookups, ...); whether a default
// fits or a pattern compiles is a validation rule with its own error code (validate.ts).
import { z } from 'zod'
import { ENTITIES } from './address'
import { MAX_PATTERN_LENGTH } from './field-pattern'
import { FIELD_TYPES, NUMBER_TYPES, TEXT_TYPES, type FieldType } from './field-types'

/** camelCase-ish, so a field name is also a safe JSON key and a safe SQL jsonb path segment. */
export const FIELD_NAME_PATTERN = /^[a-z][a-zA-Z0-9_]{0,62}$/

export const fieldNameSchema = z.string().regex(FIELD_NAME_PATTERN, 'Field names start with a lower-case letter, then letters, digits or _ (max 63)')

export const fieldOptionSchema = z.strictObject({
  value: z.string().min(1).max(100),
  label: z.string().min(1).max(100),
})
export type FieldOption = z.infer<typeof fieldOptionSchema>

/** A value as it can appear in config (defaults, setField, createRecord): plain JSON scalars or a list. */
export const fieldValueJsonSchema = z.union([z.string(), z.number(), z.boolean(), z.array(z.string())])

/** Types whose min/max bound the value (numbers) or the length (text). */
export const BOUNDED_TYPES: readonly FieldType[] = [...NUMBER_TYPES, 'text', 'textarea']

export const fieldDefSchema = z
  .strictObject({
    name: fieldNameSchema,
    label: z.string().min(1).max(100),
    type: z.enum(FIELD_TYPES),
    /** Built-in fields are columns of the record table; the studio shows them read-only. */
    builtIn: z.boolean().default(false),
    required: z.boolean().default(false),
    options: z.array(fieldOptionSchema).max(500).optional(),
    min: z.number().optional(),
    max: z.number().optional(),
    /** A regex source (RE2 syntax, field-pattern.ts); the whole value must match (like HTML's pattern attribute). */
    pattern: z.string().min(1).max(MAX_PATTERN_LENGTH).optional(),
    default: fieldValueJsonSchema.optional(),
    helpText: z.string().max(500).optional(),
    lookupEntity: z.enum(ENTITIES).optional(),
  })
  .superRefine((field, ctx) => {
    const { type } = field
    const choice = type === 'select' || type === 'multiselect'
    if (field.options !== undefined && !choice) {
      ctx.addIssue({ code: 'custom', path: ['options'], message: `options apply to select and multiselect fields, not ${type}` })
    }
    // A multiselect without options is free tagging (like the built-in tags); a select needs choices.
    if (type === 'select' && (field.options?.length ?? 0) === 0) {
      ctx.addIssue({ code: 'custom', path: ['options'], message: 'a select field needs at least one option' })
    }
    const seen = new Set<string>()
    field.options?.forEach((o, i) => {
      if (seen.has(o.value)) ctx.addIssue({ code: 'custom', path: ['options', i, 'value'], message: `option "${o.value}" is listed twice` })
      seen.add(o.value)
    })
    if (type === 'lookup' && field.lookupEntity === undefined) {
      ctx.addIssue({ code: 'custom', path: ['lookupEntity'], message: 'a lookup field names the entity it points to' })
    }
    if (type !== 'lookup' && field.lookupEntity !== undefined) {
      ctx.addIssue({ code: 'custom', path: ['lookupEntity'], message: `lookupEntity applies to lookup fields, not ${type}` })
    }
    for (const bound of ['min', 'max'] as const) {
      const v = field[bound]
      if (v === undefined) continue
      if (!BOUNDED_TYPES.includes(type)) {
        ctx.addIssue({ code: 'custom', path: [bound], message: `${bound} applies to number, currency, percent, text and textarea fields, not ${type}` })
      } else if ((type === 'text' || type === 'textarea') && (!Number.isInteger(v) || v < 0)) {
        ctx.addIssue({ code: 'custom', path: [bound], message: `${bound} of a text field is a length: a whole number ≥ 0` })
      }
    }
    if (field.min !== undefined && field.max !== undefined && field.min > field.max) {
      ctx.addIssue({ code: 'custom', path: ['max'], message: 'max must not be below min' })
    }
    if (field.pattern !== undefined && !TEXT_TYPES.includes(type)) {
      ctx.addIssue({ code: 'custom', path: ['pattern'], message: `pattern applies to text-like fields, not ${type}` })
    }
  })

export type FieldDef = z.infer<typeof fieldDefSchema>
/** What an admin writes (builtIn/required may be omitted and then mean false). */
export type FieldDefInput = z.input<typeof fieldDefSchema>
