// CSV both ways: cells for the export (RFC 4180 quoting, spreadsheet-formula guard) and the
// coercion of imported text to the field's type before the published schema judges it.
import type { FieldDef, FieldType } from '../config-language'

const NEEDS_QUOTES = /[",\r\n]/
/** A cell a spreadsheet would run as a formula (CSV injection); prefixed with ' on export. */
const FORMULA_START = /^[=+\-@\t\r]/

export function csvCell(text: string): string {
  return NEEDS_QUOTES.test(text) ? `"${text.replace(/"/g, '""')}"` : text
}

export function csvLine(cells: readonly string[]): string {
  return `${cells.map(csvCell).join(',')}\r\n`
}

/** A record value as export text: lists joined with "; ", empty as "", text guarded against formulas. */
export function exportText(value: unknown, type: FieldType | 'id'): string {
  if (value === null || value === undefined) return ''
  if (Array.isArray(value)) return value.map((v) => exportText(v, 'text')).join('; ')
  if (typeof value === 'number' || typeof value === 'boolean') return String(value)
  const text = String(value)
  return type !== 'id' && FORMULA_START.test(text) ? `'${text}` : text
}

/**
 * Imported text as a value of the field's type, or undefined for an empty cell (so defaults
 * apply). Text that does not convert is passed on unchanged, and the schema reports it.
 */
export function importValue(text: string, def: FieldDef): unknown {
  const t = text.trim()
  if (t === '') return undefined
  switch (def.type) {
    case 'number':
    case 'currency':
    case 'percent': {
      const n = Number(t.replace(/[\s,_]/g, '').replace(/%$/, ''))
      return Number.isFinite(n) ? n : t
    }
    case 'boolean': {
      const v = t.toLowerCase()
      if (['true', 'yes', 'y', '1'].includes(v)) return true
      if (['false', 'no', 'n', '0'].includes(v)) return false
      return t
    }
    case 'multiselect':
      return t
        .split(/[;|]/)
        .map((s) => s.trim())
        .filter(Boolean)
    default:
      return t
  }
}
