// CSV both ways, shared by the server and the browser's CSV writer: cells for the export (RFC 4180
// quoting, spreadsheet-formula guard) and the coercion of imported text to the field's type before
// the published schema judges it.
import type { FieldDef } from './field-def'

const NEEDS_QUOTES = /[",\r\n]/
/** A cell a spreadsheet would run as a formula (CSV injection). */
const FORMULA_START = /^[=+\-@\t\r]/
/**
 * A plain decimal number: optional sign, digits with an optional decimal point, optional
 * exponent. The only numbers an import accepts (no hex, octal, binary, Infinity), and the only
 * text starting with + or - that the formula guard lets through (a number is no formula).
 */
export const PLAIN_DECIMAL = /^[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?$/

/**
 * The one formula guard (CSV injection) for every cell written anywhere: header labels come from
 * tenant config and values from users, so both are untrusted. Prefixes ' so the spreadsheet shows
 * the text instead of running it. Used by csvCell here and by the browser's CSV writer.
 */
export function guardFormula(text: string): string {
  return FORMULA_START.test(text) && !PLAIN_DECIMAL.test(text) ? `'${text}` : text
}

/** One cell, formula-guarded and quoted (RFC 4180): every header and value goes through here. */
export function csvCell(text: string): string {
  const guarded = guardFormula(text)
  return NEEDS_QUOTES.test(guarded) ? `"${guarded.replace(/"/g, '""')}"` : guarded
}

export function csvLine(cells: readonly string[]): string {
  return `${cells.map(csvCell).join(',')}\r\n`
}

/** A record value as export text: lists joined with "; ", empty as "" (csvCell guards formulas). */
export function exportText(value: unknown): string {
  if (value === null || value === undefined) return ''
  if (Array.isArray(value)) return value.map((v) => exportText(v)).join('; ')
  return String(value)
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
      // Thousands separators and a trailing % are dropped; what remains must be a plain decimal.
      // Number() alone would read 0x1F as 31, 0b11 as 3 and "," as 0.
      const plain = t.replace(/[\s,_]/g, '').replace(/%$/, '')
      const n = PLAIN_DECIMAL.test(plain) ? Number(plain) : NaN
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
