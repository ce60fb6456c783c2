// A small RFC 4180 CSV reader and writer for the import page (runs in the browser). Handles a
// UTF-8 BOM, quoted fields with "" escapes and line breaks, CRLF/LF/CR line ends, and comma,
// semicolon or tab as the delimiter (guessed from the header line, as spreadsheets export them).
import { guardFormula } from '../../../server/config-language/csv'

export type ParsedCsv = {
  headers: string[]
  rows: Record<string, string>[]
  delimiter: string
  /** Problems that did not stop parsing (ragged rows, an unterminated quote). */
  warnings: string[]
}

const DELIMITERS = [',', ';', '\t'] as const

/** The delimiter that occurs most often outside quotes in the first line. */
export function guessDelimiter(text: string): string {
  const counts = new Map<string, number>(DELIMITERS.map((d) => [d, 0]))
  let quoted = false
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!
    if (ch === '"') quoted = !quoted
    else if (!quoted && (ch === '\n' || ch === '\r')) break
    else if (!quoted && counts.has(ch)) counts.set(ch, counts.get(ch)! + 1)
  }
  let best = ','
  let bestCount = 0
  for (const [d, n] of counts) if (n > bestCount) [best, bestCount] = [d, n]
  return best
}

/** Splits CSV text into records of fields. */
export function parseCsvRecords(input: string, delimiter = guessDelimiter(input)): { records: string[][]; unterminated: boolean } {
  const text = input.charCodeAt(0) === 0xfeff ? input.slice(1) : input
  const records: string[][] = []
  let record: string[] = []
  let field = ''
  let quoted = false
  let i = 0
  const endField = () => {
    record.push(field)
    field = ''
  }
  const endRecord = () => {
    endField()
    // A blank line is no record.
    if (!(record.length === 1 && record[0] === '')) records.push(record)
    record = []
  }
  while (i < text.length) {
    const ch = text[i]!
    if (quoted) {
      if (ch === '"') {
        if (text[i + 1] === '"') {
          field += '"'
          i += 2
          continue
        }
        quoted = false
        i++
        continue
      }
      field += ch
      i++
      continue
    }
    if (ch === '"' && field === '') {
      quoted = true
      i++
    } else if (ch === delimiter) {
      endField()
      i++
    } else if (ch === '\r') {
      endRecord()
      i += text[i + 1] === '\n' ? 2 : 1
    } else if (ch === '\n') {
      endRecord()
      i++
    } else {
      field += ch
      i++
    }
  }
  if (field !== '' || record.length > 0 || quoted) endRecord()
  return { records, unterminated: quoted }
}

export function parseCsv(input: string): ParsedCsv {
  const delimiter = guessDelimiter(input.charCodeAt(0) === 0xfeff ? input.slice(1) : input)
  const { records, unterminated } = parseCsvRecords(input, delimiter)
  const warnings: string[] = []
  if (unterminated) warnings.push('The file ends inside a quoted value; the last row may be incomplete.')
  const [head = [], ...body] = records
  const seen = new Map<string, number>()
  const headers = head.map((h, i) => {
    const base = h.trim() || `Column ${i + 1}`
    const n = (seen.get(base) ?? 0) + 1
    seen.set(base, n)
    return n === 1 ? base : `${base} (${n})`
  })
  let ragged = 0
  const rows = body.map((rec) => {
    if (rec.length !== headers.length) ragged++
    const row: Record<string, string> = {}
    headers.forEach((h, i) => (row[h] = rec[i] ?? ''))
    return row
  })
  if (ragged > 0) warnings.push(`${ragged} row${ragged === 1 ? ' has' : 's have'} a different number of columns than the header.`)
  return { headers, rows, delimiter, warnings }
}

/** One CSV field, formula-guarded by the server's export guard (headers too), quoted when it must be. */
export function csvField(value: unknown): string {
  const s = guardFormula(value === null || value === undefined ? '' : Array.isArray(value) ? value.join('; ') : String(value))
  return /[",\r\n;]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s
}

export function toCsv(headers: readonly string[], rows: ReadonlyArray<readonly unknown[]>): string {
  return [headers, ...rows].map((r) => r.map(csvField).join(',')).join('\r\n') + '\r\n'
}
