// Diffs for people: the changed paths of an item with before/after values, and a side-by-side view
// of two JSON documents with the changed parts highlighted on each side.
import { Link } from '@remix-run/react'
import { useEffect, useRef, type ReactNode } from 'react'
import { mapPath, type ConfigChange, type ConfigPath } from '../../../server/config-language'
import { cn } from '~/utils/cn'
import { builderHref, formatPath, pathKey } from './studio-links'

function isObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v)
}

type Mark = 'added' | 'removed' | 'changed'
type Line = { indent: number; text: string; mark: Mark | null; path: string }

function renderLines(value: unknown, marks: Map<string, Mark>): Line[] {
  const lines: Line[] = []
  const markOf = (path: ConfigPath): Mark | null => {
    for (let i = path.length; i >= 0; i--) {
      const m = marks.get(pathKey(path.slice(0, i)))
      if (m) return m
    }
    return null
  }
  const walk = (v: unknown, path: ConfigPath, prefix: string, comma: string, indent: number) => {
    const mark = markOf(path)
    const key = pathKey(path)
    if (Array.isArray(v) || isObject(v)) {
      const entries: Array<[string | number, unknown]> = Array.isArray(v) ? v.map((x, i) => [i, x]) : Object.entries(v)
      const [open, close] = Array.isArray(v) ? ['[', ']'] : ['{', '}']
      if (entries.length === 0) {
        lines.push({ indent, text: `${prefix}${open}${close}${comma}`, mark, path: key })
        return
      }
      lines.push({ indent, text: `${prefix}${open}`, mark, path: key })
      entries.forEach(([k, child], i) => {
        const childPrefix = typeof k === 'string' ? `${JSON.stringify(k)}: ` : ''
        walk(child, [...path, k], childPrefix, i < entries.length - 1 ? ',' : '', indent + 1)
      })
      lines.push({ indent, text: `${close}${comma}`, mark, path: key })
      return
    }
    lines.push({ indent, text: `${prefix}${JSON.stringify(v)}${comma}`, mark, path: key })
  }
  walk(value, [], '', '', 0)
  return lines
}

export function JsonLines({ value, marks, label }: { value: unknown; marks: Map<string, Mark>; label: string }) {
  const pane = useRef<HTMLPreElement>(null)
  const markKey = [...marks.keys()].join('|')
  // Long items: start each pane at its first change rather than at the top.
  useEffect(() => {
    const first = pane.current?.querySelector<HTMLElement>('.json-line--added, .json-line--removed, .json-line--changed')
    if (pane.current && first) pane.current.scrollTop = Math.max(0, first.offsetTop - 48)
  }, [value, markKey])
  if (value === undefined || value === null) return <p className="muted json-pane__empty">(not present)</p>
  return (
    <pre className="json-pane" aria-label={label} tabIndex={0} ref={pane}>
      {renderLines(value, marks).map((l, i) => (
        <span key={i} className={cn('json-line', l.mark && `json-line--${l.mark}`)} data-path={l.path}>
          {'  '.repeat(l.indent)}
          {l.text}
          {'\n'}
        </span>
      ))}
    </pre>
  )
}

/** Two versions of one item's content, side by side, the changed paths highlighted on each side. */
export function SideBySide({
  before,
  after,
  changes,
  beforeLabel,
  afterLabel,
}: {
  before: unknown
  after: unknown
  changes: readonly ConfigChange[]
  beforeLabel: string
  afterLabel: string
}) {
  const left = new Map<string, Mark>()
  const right = new Map<string, Mark>()
  for (const c of changes) {
    if (c.kind === 'removed') left.set(pathKey(c.path), 'removed')
    else if (c.kind === 'added') right.set(pathKey(c.path), 'added')
    else {
      right.set(pathKey(c.path), 'changed')
      const back = c.kind === 'reordered' ? c.path : mapPath(c.path, after, before)
      if (back) left.set(pathKey(back), 'changed')
    }
  }
  return (
    <div className="side-by-side">
      <div className="side-by-side__pane">
        <p className="side-by-side__label">{beforeLabel}</p>
        <JsonLines value={before} marks={left} label={beforeLabel} />
      </div>
      <div className="side-by-side__pane">
        <p className="side-by-side__label">{afterLabel}</p>
        <JsonLines value={after} marks={right} label={afterLabel} />
      </div>
    </div>
  )
}

export function brief(value: unknown, max = 80): string {
  if (value === undefined) return '—'
  const text = JSON.stringify(value) ?? String(value)
  return text.length > max ? `${text.slice(0, max - 1)}…` : text
}

const KIND_LABELS: Record<ConfigChange['kind'], string> = { added: 'added', removed: 'removed', changed: 'changed', reordered: 'reordered' }

/** The changed paths of one item: path, what happened, before → after. */
export function ChangeTable({ address, changes, linkToBuilder = true }: { address: string; changes: readonly ConfigChange[]; linkToBuilder?: boolean }) {
  return (
    <div className="table-wrap table-wrap--flat">
      <table className="table table--compact change-table" aria-label={`Changes to ${address}`}>
        <thead>
          <tr>
            <th scope="col">Path</th>
            <th scope="col">Change</th>
            <th scope="col">Before</th>
            <th scope="col">After</th>
          </tr>
        </thead>
        <tbody>
          {changes.map((c, i) => (
            <tr key={i} className={`change-row change-row--${c.kind}`}>
              <td>
                {linkToBuilder ? (
                  <Link to={builderHref(address, c.path)}>
                    <code>{formatPath(c.path)}</code>
                  </Link>
                ) : (
                  <code>{formatPath(c.path)}</code>
                )}
              </td>
              <td>
                <span className={`badge badge--change-${c.kind}`}>{KIND_LABELS[c.kind]}</span>
              </td>
              <td>
                <code className="change-value">{c.kind === 'added' ? '—' : brief(c.before)}</code>
              </td>
              <td>
                <code className="change-value">{c.kind === 'removed' ? '—' : brief(c.after)}</code>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  )
}

/**
 * One item's changes in words first (describe-change.ts), the JSON paths and documents behind a
 * disclosure for whoever wants them.
 */
export function ChangeSummary({ sentences, children }: { sentences: readonly string[]; children: ReactNode }) {
  return (
    <div className="change-summary">
      <ul className="change-summary__list">
        {sentences.map((s) => (
          <li key={s}>{s}</li>
        ))}
      </ul>
      <details className="change-summary__details">
        <summary>Show the JSON changes</summary>
        {children}
      </details>
    </div>
  )
}
