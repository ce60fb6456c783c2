// The command palette (Ctrl/⌘-K): jump to a page or to a record. Records come from the list
// procedures' `search` (through /resources/lookup, as lookup fields do), debounced; the input is an
// ARIA combobox over a listbox (arrow keys move, Enter opens, Escape closes).
import { useNavigate } from '@remix-run/react'
import { useEffect, useId, useMemo, useState } from 'react'
import { ENTITIES, type Entity } from '../../../server/config-language'
import { ENTITY_META, recordHref } from '~/components/crm/entities'
import { Dialog, DialogContent } from '~/components/ui/dialog'
import { cn } from '~/utils/cn'
import { can, type Viewer } from '~/utils/viewer'
import { crmNav, studioNav } from './nav'

type Result = { key: string; kind: string; label: string; detail?: string; href: string }
type LookupOption = { id: string; label: string; detail?: string }

const SEARCH_DELAY_MS = 200
const PER_ENTITY = 5

/** Records whose text matches `query`, a few of each entity; aborted when the query changes. */
async function searchRecords(query: string, signal: AbortSignal): Promise<Result[]> {
  const perEntity = await Promise.all(
    ENTITIES.map(async (entity: Entity) => {
      const res = await fetch(`/resources/lookup?${new URLSearchParams({ entity, q: query })}`, { signal, headers: { Accept: 'application/json' } })
      if (!res.ok) return []
      const { options } = (await res.json()) as { options: LookupOption[] }
      return options.slice(0, PER_ENTITY).map((o) => ({
        key: `${entity}:${o.id}`,
        kind: ENTITY_META[entity].singular,
        label: o.label,
        detail: o.detail,
        href: recordHref(entity, o.id),
      }))
    }),
  )
  return perEntity.flat()
}

export function CommandPalette({ open, onOpenChange, viewer }: { open: boolean; onOpenChange: (open: boolean) => void; viewer: Viewer }) {
  const id = useId()
  const navigate = useNavigate()
  const [query, setQuery] = useState('')
  const [records, setRecords] = useState<{ query: string; results: Result[] } | null>(null)
  const [active, setActive] = useState(0)

  const pages = useMemo<Result[]>(() => {
    const crm = viewer.activeTenant ? crmNav(viewer).map((p) => ({ key: `page:${p.to}`, kind: 'Page', label: p.label, href: p.to })) : []
    const studio =
      viewer.activeTenant && can(viewer, 'studio:read')
        ? studioNav(viewer).map((p) => ({ key: `page:${p.to}`, kind: 'Studio', label: `Studio › ${p.label}`, href: p.to }))
        : []
    return [...crm, ...studio]
  }, [viewer])

  const q = query.trim()
  useEffect(() => {
    if (!open || q.length < 2 || !viewer.activeTenant) return
    const abort = new AbortController()
    const timer = setTimeout(() => {
      searchRecords(q, abort.signal).then(
        (results) => setRecords({ query: q, results }),
        () => undefined, // aborted by a newer query or by closing
      )
    }, SEARCH_DELAY_MS)
    return () => {
      clearTimeout(timer)
      abort.abort()
    }
  }, [open, q, viewer.activeTenant])

  const matchingPages = q ? pages.filter((p) => p.label.toLowerCase().includes(q.toLowerCase())) : pages
  const found = q.length >= 2 && records?.query === q ? records.results : []
  const searching = q.length >= 2 && records?.query !== q
  // Records first: a typed name is usually a record; pages follow.
  const results = [...found, ...matchingPages]
  const current = Math.min(active, Math.max(results.length - 1, 0))

  const go = (r: Result | undefined) => {
    if (!r) return
    onOpenChange(false)
    navigate(r.href)
  }

  return (
    <Dialog
      open={open}
      onOpenChange={(next) => {
        if (next) {
          setQuery('')
          setActive(0)
        }
        onOpenChange(next)
      }}
    >
      <DialogContent title="Go to" className="palette">
        <label htmlFor={`${id}-input`} className="visually-hidden">
          Search pages and records
        </label>
        <input
          id={`${id}-input`}
          className="input palette__input"
          role="combobox"
          aria-expanded={results.length > 0}
          aria-controls={`${id}-list`}
          aria-autocomplete="list"
          aria-activedescendant={results.length ? `${id}-opt-${current}` : undefined}
          placeholder="Search customers, deals, cases or pages…"
          autoComplete="off"
          // Typing starts at once (radix would otherwise focus the dialog's Close button first).
          autoFocus
          value={query}
          onChange={(e) => {
            setQuery(e.target.value)
            setActive(0)
          }}
          onKeyDown={(e) => {
            const n = results.length
            if (e.key === 'ArrowDown' && n) setActive((current + 1) % n)
            else if (e.key === 'ArrowUp' && n) setActive((current - 1 + n) % n)
            else if (e.key === 'Home' && n) setActive(0)
            else if (e.key === 'End' && n) setActive(n - 1)
            else if (e.key === 'Enter') go(results[current])
            else return
            e.preventDefault()
          }}
        />
        <ul id={`${id}-list`} role="listbox" aria-label="Results" className="palette__list">
          {results.map((r, i) => (
            <li
              key={r.key}
              id={`${id}-opt-${i}`}
              role="option"
              aria-selected={i === current}
              className={cn('palette__option', i === current && 'is-active')}
              onMouseMove={() => i !== current && setActive(i)}
              onClick={() => go(r)}
            >
              <span className="palette__label">{r.label}</span>
              {r.detail ? <span className="palette__detail muted">{r.detail}</span> : null}
              <span className="badge palette__kind">{r.kind}</span>
            </li>
          ))}
        </ul>
        <p className="muted palette__status" role="status">
          {searching
            ? 'Searching…'
            : q && results.length === 0
              ? `Nothing matches “${q}”.`
              : q
                ? `${results.length} result${results.length === 1 ? '' : 's'}`
                : ''}
        </p>
      </DialogContent>
    </Dialog>
  )
}
