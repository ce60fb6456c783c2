// The view builder's live preview: the draft view on the tenant's real records, rendered by the
// CRM's TableViewRenderer. The records only know published fields, so filter rows and sorts on
// fields that exist only in the drafts are left out of the query (and said so).
import { useFetcher } from '@remix-run/react'
import { useEffect, useMemo, useState } from 'react'
import type { Condition, ConfigIndex, Entity, FieldDef, ViewContent } from '../../../server/config-language'
import { TableViewRenderer } from '~/components/crm/table-view-renderer'
import { EMPTY_TABLE_STATE, tableStateToParams, type TableViewState } from '~/components/crm/table-state'
import type { MemberOption } from '~/components/crm/entities'
import { Alert } from '~/components/ui/alert'
import { VIEW_PREVIEW_PATH, type ViewPreviewData } from './preview-types'

/** The view without the parts that name fields the records do not have yet. */
export function previewableView(view: ViewContent, liveFields: readonly FieldDef[]): { view: ViewContent; skipped: string[] } {
  const known = new Set(liveFields.map((f) => f.name))
  const skipped = new Set<string>()
  const prune = (c: Condition): Condition | null => {
    if ('all' in c || 'any' in c) {
      const kind = 'all' in c ? 'all' : 'any'
      const kids = ('all' in c ? c.all : c.any).map(prune).filter((k): k is Condition => k !== null)
      if (kids.length === 0) return null
      return kind === 'all' ? { all: kids } : { any: kids }
    }
    if ('not' in c) {
      const inner = prune(c.not)
      return inner ? { not: inner } : null
    }
    if ('field' in c && !known.has(c.field)) {
      skipped.add(c.field)
      return null
    }
    return c
  }
  const filter = view.filter ? prune(view.filter) : null
  const sort = view.sort.filter((s) => {
    if (known.has(s.field)) return true
    skipped.add(s.field)
    return false
  })
  const next: ViewContent = { ...view, sort }
  if (filter) next.filter = filter
  else delete next.filter
  return { view: next, skipped: [...skipped] }
}

export function ViewPreview({
  entity,
  view,
  config,
  liveFields,
  members,
}: {
  entity: Entity
  view: ViewContent
  config: ConfigIndex
  liveFields: readonly FieldDef[]
  members: readonly MemberOption[]
}) {
  const fetcher = useFetcher<ViewPreviewData>()
  const [state, setState] = useState<TableViewState>(EMPTY_TABLE_STATE)
  const { view: sent, skipped } = useMemo(() => previewableView(view, liveFields), [view, liveFields])
  const sentJson = JSON.stringify(sent)
  // A changed view starts again from its first page.
  useEffect(() => setState((s) => (s.cursors.length ? { ...s, cursors: [] } : s)), [sentJson])
  const query = useMemo(() => {
    const p = tableStateToParams(undefined, state)
    p.set('entity', entity)
    p.set('view', sentJson)
    return p.toString()
  }, [state, entity, sentJson])
  useEffect(() => {
    const timer = setTimeout(() => fetcher.load(`${VIEW_PREVIEW_PATH}?${query}`), 400)
    return () => clearTimeout(timer)
    // fetcher.load is stable enough; re-running on fetcher identity would loop.
  }, [query])

  const data = fetcher.data
  return (
    <section className="card preview-card" aria-labelledby="view-preview-title">
      <div className="card__body">
        <div className="preview-panel__head">
          <h2 id="view-preview-title" className="card__title">
            Live preview
          </h2>
          <span className="muted" aria-live="polite">
            {fetcher.state !== 'idle'
              ? 'Loading…'
              : data?.ok
                ? `${data.totalIsEstimate ? 'About ' : ''}${data.total} record${data.total === 1 ? '' : 's'} match`
                : null}
          </span>
        </div>
        <p className="muted preview-panel__hint">Your draft view on the real records, through the same query the CRM runs.</p>
        {skipped.length ? (
          <Alert tone="info">
            Not yet published, so left out of the preview&apos;s filter and sort: {skipped.join(', ')}. The records have no values for them until you publish.
          </Alert>
        ) : null}
        {data && !data.ok ? (
          <Alert tone="error">
            <p>The preview could not run this view: {data.message}</p>
          </Alert>
        ) : null}
        <div data-testid="view-preview">
          <TableViewRenderer
            entity={entity}
            view={view}
            config={config}
            rows={data?.ok ? data.rows : []}
            total={data?.ok ? data.total : 0}
            totalIsEstimate={data?.ok ? data.totalIsEstimate : false}
            nextCursor={data?.ok ? data.nextCursor : null}
            state={state}
            onStateChange={setState}
            loading={fetcher.state !== 'idle'}
            members={members}
            lookupLabels={data?.ok ? data.lookupLabels : undefined}
            empty={<p className="muted preview-empty">{data ? 'No records match this view.' : 'Loading the preview…'}</p>}
          />
        </div>
      </div>
    </section>
  )
}
