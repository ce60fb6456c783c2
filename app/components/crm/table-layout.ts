// How record tables lay out: readable column widths by what a column shows, the full text of a
// cut-off cell in its tooltip, and the row density each person picks (kept in their browser).
import { useMatches } from '@remix-run/react'
import { useCallback, useEffect, useState, type CSSProperties, type RefObject } from 'react'
import type { FieldDef, FieldType, ViewColumn } from '../../../server/config-language'

type Widths = { min: number; max: number }

/**
 * Per field type: narrower than `min` a value stops being readable (an email, a name), wider than
 * `max` one column crowds out the others; what does not fit ends in an ellipsis.
 */
const WIDTHS_BY_TYPE: Record<FieldType, Widths> = {
  text: { min: 140, max: 320 },
  textarea: { min: 200, max: 360 },
  email: { min: 200, max: 300 },
  phone: { min: 130, max: 190 },
  url: { min: 180, max: 300 },
  number: { min: 80, max: 160 },
  currency: { min: 120, max: 200 },
  percent: { min: 80, max: 120 },
  date: { min: 110, max: 150 },
  datetime: { min: 170, max: 220 },
  boolean: { min: 80, max: 120 },
  select: { min: 100, max: 180 },
  multiselect: { min: 160, max: 320 },
  user: { min: 140, max: 220 },
  lookup: { min: 160, max: 280 },
}

/** The column that names the row (its first) keeps room for a whole name. */
const NAMING_COLUMN_MIN = 180

/**
 * A column's cell box: the view's own width when it sets one, else the bounds of its type (or
 * format); `naming` for the column that names the row.
 */
export function columnCellStyle(column: ViewColumn, def: FieldDef | undefined, naming = false): CSSProperties {
  if (column.width) return { width: column.width, minWidth: column.width, maxWidth: column.width }
  const f = column.format
  // A format that changes how long the value reads (a datetime shown as a date) decides.
  const type: FieldType = f === 'date' || f === 'datetime' || f === 'currency' || f === 'percent' || f === 'number' ? f : (def?.type ?? 'text')
  const { min, max } = WIDTHS_BY_TYPE[type]
  return { minWidth: naming ? Math.max(min, NAMING_COLUMN_MIN) : min, maxWidth: max }
}

/**
 * Gives every cut-off cell (`selector` inside `ref`) its full text as a tooltip, and takes it away
 * from cells that fit, again whenever the table changes size (columns widen and narrow with it).
 */
export function useOverflowTooltips(ref: RefObject<HTMLElement | null>, selector: string, deps: readonly unknown[]) {
  useEffect(() => {
    const root = ref.current
    if (!root) return
    const update = () => {
      for (const el of root.querySelectorAll<HTMLElement>(selector)) {
        if (el.scrollWidth > el.clientWidth + 1) el.title = el.innerText.replace(/\s+/g, ' ').trim()
        else el.removeAttribute('title')
      }
    }
    update()
    const observer = new ResizeObserver(update)
    observer.observe(root)
    return () => observer.disconnect()
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [ref, selector, ...deps])
}

export type Density = 'comfortable' | 'compact'

/** The signed-in person's id from whichever shell's loader is on the page (CRM or Studio). */
function useViewerId(): string | undefined {
  for (const match of useMatches()) {
    const data = match.data as { viewer?: { user?: { id?: unknown } } } | undefined
    const id = data?.viewer?.user?.id
    if (typeof id === 'string') return id
  }
  return undefined
}

/**
 * Row density of record tables, remembered per person in this browser. The server draws the
 * comfortable rows; a stored choice applies once the page runs.
 */
export function useTableDensity(): [Density, (d: Density) => void] {
  const userId = useViewerId()
  const key = `pulse8:table-density:${userId ?? 'anonymous'}`
  const [density, setDensityState] = useState<Density>('comfortable')
  useEffect(() => {
    setDensityState(readDensity(key))
  }, [key])
  const setDensity = useCallback(
    (d: Density) => {
      setDensityState(d)
      try {
        localStorage.setItem(key, d)
      } catch {
        // Storage may be full or blocked (private mode): the choice then lasts for this page only.
      }
    },
    [key],
  )
  return [density, setDensity]
}

function readDensity(key: string): Density {
  try {
    return localStorage.getItem(key) === 'compact' ? 'compact' : 'comfortable'
  } catch {
    return 'comfortable'
  }
}
