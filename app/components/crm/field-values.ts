// Between a record's values (what the API stores: numbers, ISO dates, lists) and a form's input
// values (what HTML inputs hold: strings, booleans, string lists). The form keeps input values so
// half-typed input survives re-renders; the resolver converts them to record values before the
// config-built schema validates them, so the browser validates exactly what it will send.
import { isEmptyValue, readField, type FieldDef, type RecordLike } from '../../../server/config-language'

export type InputValue = string | boolean | string[]

/** The react-hook-form name of a field: built-ins at the top, custom fields under `data.`. */
export function fieldPath(def: Pick<FieldDef, 'name' | 'builtIn'>): string {
  return def.builtIn ? def.name : `data.${def.name}`
}

const pad = (n: number) => String(n).padStart(2, '0')

/** ISO instant → the `datetime-local` input's `YYYY-MM-DDTHH:mm` in the reader's zone. */
export function isoToLocalInput(iso: string): string {
  const d = new Date(iso)
  if (Number.isNaN(d.getTime())) return iso
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`
}

/** `datetime-local` value (reader's zone) → ISO instant; unparsable input is returned as typed. */
export function localInputToIso(local: string): string {
  const d = new Date(local)
  return Number.isNaN(d.getTime()) ? local : d.toISOString()
}

/** A stored value as the field's input holds it. */
export function toInputValue(def: FieldDef, value: unknown): InputValue {
  switch (def.type) {
    case 'boolean':
      return value === true
    case 'multiselect':
      return Array.isArray(value) ? value.map(String) : []
    case 'number':
    case 'currency':
    case 'percent':
      return typeof value === 'number' && Number.isFinite(value) ? String(value) : typeof value === 'string' ? value : ''
    case 'date':
      return typeof value === 'string' ? value.slice(0, 10) : ''
    case 'datetime':
      return typeof value === 'string' && value !== '' ? isoToLocalInput(value) : ''
    default:
      return value === null || value === undefined ? '' : String(value)
  }
}

/**
 * An input value as the record value to send. Empty input becomes null (the schema turns it into
 * "Required" for required fields); input that does not parse is sent as typed so the schema
 * reports why ("expected a number").
 */
export function fromInputValue(def: FieldDef, input: unknown): unknown {
  if (input === undefined) return undefined
  switch (def.type) {
    case 'boolean':
      return input === true
    case 'multiselect':
      return Array.isArray(input) ? input : []
    case 'number':
    case 'currency':
    case 'percent': {
      if (typeof input === 'number') return input
      const s = typeof input === 'string' ? input.trim() : ''
      if (s === '') return null
      const n = Number(s)
      return Number.isFinite(n) ? n : s
    }
    case 'datetime': {
      const s = typeof input === 'string' ? input.trim() : ''
      return s === '' ? null : localInputToIso(s)
    }
    case 'textarea':
      return typeof input === 'string' ? (input.trim() === '' ? null : input) : input
    default: {
      const s = typeof input === 'string' ? input.trim() : input
      return s === '' ? null : s
    }
  }
}

/** A record as the form's initial input values, for the given fields. */
export function recordToInputs(fields: readonly FieldDef[], record: RecordLike | undefined, withDefaults: boolean): Record<string, unknown> {
  const out: Record<string, unknown> = { data: {} }
  for (const def of fields) {
    let value = record ? readField(record, def) : undefined
    if (value === undefined && withDefaults && def.default !== undefined) value = def.default
    const input = toInputValue(def, value)
    if (def.builtIn) out[def.name] = input
    else (out.data as Record<string, unknown>)[def.name] = input
  }
  return out
}

/** Reads a field's input value from the form values. */
export function readInput(values: RecordLike, def: Pick<FieldDef, 'name' | 'builtIn'>): unknown {
  return readField(values, def)
}

/** The form's input values as a record (every known field converted), for visible-when conditions. */
export function inputsToRecord(fields: readonly FieldDef[], values: RecordLike): Record<string, unknown> {
  const out: Record<string, unknown> = { data: {} }
  for (const def of fields) {
    const v = fromInputValue(def, readInput(values, def))
    if (def.builtIn) out[def.name] = v
    else (out.data as Record<string, unknown>)[def.name] = v
  }
  return out
}

/** Whether two input values are the same (for "what did the person change" on edit). */
export function sameInput(a: unknown, b: unknown): boolean {
  if (Array.isArray(a) || Array.isArray(b)) {
    return Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((x, i) => x === b[i])
  }
  if (isEmptyValue(a) && isEmptyValue(b)) return true
  return a === b
}
