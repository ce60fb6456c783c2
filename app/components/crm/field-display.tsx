// How a stored value reads on screen, per field type and view format (currency, date, badge ...).
// Used by table cells, the read-only form and the 360 page, so a value looks the same everywhere.
import { Link } from '@remix-run/react'
import { useEffect, useState } from 'react'
import { formatsFor, isEmptyValue, type FieldDef, type ViewFormat } from '../../../server/config-language'
import { DateTime } from '~/components/date-time'
import { formatDate } from '~/utils/dates'
import { recordHref, type LookupLabels, type MemberOption } from './entities'

export type DisplayContext = {
  members?: readonly MemberOption[]
  lookupLabels?: LookupLabels
  /** ISO 4217 code for currency values (e.g. a deal's own currency); USD when absent. */
  currency?: string
  /** Show lookup values as text instead of links to the record (e.g. inside a link already). */
  plainLookups?: boolean
}

const numberFormat = new Intl.NumberFormat('en-US', { maximumFractionDigits: 2 })
const currencyFormats = new Map<string, Intl.NumberFormat>()

function currencyFormat(code: string): Intl.NumberFormat {
  let f = currencyFormats.get(code)
  if (!f) {
    try {
      f = new Intl.NumberFormat('en-US', { style: 'currency', currency: code, maximumFractionDigits: 2 })
    } catch {
      f = new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD', maximumFractionDigits: 2 })
    }
    currencyFormats.set(code, f)
  }
  return f
}

export function formatNumber(value: number, format: 'number' | 'currency' | 'percent', currency = 'USD'): string {
  if (format === 'currency') return currencyFormat(currency).format(value)
  if (format === 'percent') return `${numberFormat.format(value)}%`
  return numberFormat.format(value)
}

/**
 * A calendar date. Date-only values (YYYY-MM-DD) have no zone and are shown as written; an instant
 * shown as a date is UTC on the server and the reader's zone once mounted (like DateTime).
 */
export function DateOnly({ value }: { value: string }) {
  const dateOnly = /^\d{4}-\d{2}-\d{2}$/.test(value)
  const [mounted, setMounted] = useState(false)
  useEffect(() => setMounted(true), [])
  const date = new Date(dateOnly ? `${value}T00:00:00Z` : value)
  if (Number.isNaN(date.getTime())) return <span>{value}</span>
  return <time dateTime={value}>{formatDate(date, mounted, dateOnly)}</time>
}

export function optionLabel(def: FieldDef, value: unknown): string {
  const o = def.options?.find((opt) => opt.value === value)
  return o ? o.label : String(value)
}

// Words whose colour means something in any CRM; everything else gets a colour by option order.
const WORD_TONES: Record<string, string> = {
  urgent: 'badge--c5',
  critical: 'badge--c5',
  lost: 'badge--c5',
  high: 'badge--c2',
  won: 'badge--c3',
  resolved: 'badge--c3',
  closed: 'badge--c0',
}

/** A stable soft colour per option, so "Gold" looks the same in every list. */
function badgeTone(def: FieldDef, value: unknown): string {
  const word = WORD_TONES[String(value).toLowerCase()]
  if (word) return word
  const i = def.options?.findIndex((o) => o.value === value) ?? -1
  if (i >= 0) return `badge--c${i % 6}`
  let h = 0
  for (const ch of String(value)) h = (h * 31 + ch.charCodeAt(0)) >>> 0
  return `badge--c${h % 6}`
}

function memberName(ctx: DisplayContext, id: string): string {
  // A page without the member list (e.g. one the loader did not load it for) says "a member".
  return ctx.members?.find((m) => m.id === id)?.name ?? (ctx.members?.length ? 'Former member' : 'A member')
}

function asText(def: FieldDef, value: unknown, ctx: DisplayContext): string {
  switch (def.type) {
    case 'select':
      return optionLabel(def, value)
    case 'multiselect':
      return Array.isArray(value) ? value.map((v) => optionLabel(def, v)).join(', ') : String(value)
    case 'boolean':
      return value === true ? 'Yes' : 'No'
    case 'user':
      return memberName(ctx, String(value))
    case 'lookup':
      return ctx.lookupLabels?.[String(value)] ?? String(value)
    default:
      return typeof value === 'object' ? JSON.stringify(value) : String(value)
  }
}

/** The natural format of a type when a view or form names none. */
export function defaultFormat(def: FieldDef): ViewFormat {
  return formatsFor(def.type)[0] ?? 'text'
}

const stop = (e: { stopPropagation(): void }) => e.stopPropagation()

export function FieldValue({ def, value, format, ctx = {} }: { def: FieldDef; value: unknown; format?: ViewFormat; ctx?: DisplayContext }) {
  if (isEmptyValue(value) && def.type !== 'boolean') return <span className="muted">—</span>
  const f = format ?? defaultFormat(def)
  switch (f) {
    case 'currency':
    case 'percent':
    case 'number':
      return typeof value === 'number' ? <span className="num">{formatNumber(value, f, ctx.currency)}</span> : <span>{String(value)}</span>
    case 'date':
      return typeof value === 'string' ? <DateOnly value={value} /> : <span>{String(value)}</span>
    case 'datetime':
      return typeof value === 'string' ? <DateTime value={value} /> : <span>{String(value)}</span>
    case 'badge': {
      const list = Array.isArray(value) ? value : [value]
      return (
        <span className="badge-list">
          {list.map((v) => (
            <span key={String(v)} className={`badge ${def.type === 'boolean' ? (v === true ? 'badge--success' : '') : badgeTone(def, v)}`}>
              {asText({ ...def, type: def.type === 'multiselect' ? 'select' : def.type }, v, ctx)}
            </span>
          ))}
        </span>
      )
    }
    case 'text':
    default: {
      const text = asText(def, value, ctx)
      if (def.type === 'email')
        return (
          <a href={`mailto:${text}`} onClick={stop}>
            {text}
          </a>
        )
      if (def.type === 'phone')
        return (
          <a href={`tel:${text.replace(/[^+0-9]/g, '')}`} onClick={stop}>
            {text}
          </a>
        )
      if (def.type === 'url' && /^https?:\/\//i.test(text)) {
        return (
          <a href={text} target="_blank" rel="noreferrer noopener" onClick={stop}>
            {text}
          </a>
        )
      }
      if (def.type === 'textarea') return <span className="pre-wrap">{text}</span>
      if (def.type === 'lookup' && def.lookupEntity && typeof value === 'string' && !ctx.plainLookups) {
        return (
          <Link to={recordHref(def.lookupEntity, value)} onClick={stop}>
            {text}
          </Link>
        )
      }
      return <span>{text}</span>
    }
  }
}
