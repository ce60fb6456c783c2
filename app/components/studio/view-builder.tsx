// The view builder: one `views/<entity>/<key>` item — columns (pick, reorder, width, format),
// filter (AND/OR groups, operators by field type), sort (sortable fields only), page size and who
// sees it — autosaved as a draft, with a live preview on the tenant's real records.
import { useMemo, useRef } from 'react'
import {
  ROLES,
  buildConfigIndex,
  formatAddress,
  formatsFor,
  isSortable,
  type ConfigItem,
  type Entity,
  type FieldDef,
  type ViewColumn,
  type ViewContent,
  type ViewFormat,
} from '../../../server/config-language'
import { ENTITY_META, type MemberOption } from '~/components/crm/entities'
import { Button } from '~/components/ui/button'
import { Input, NativeSelect } from '~/components/ui/input'
import { Label } from '~/components/ui/label'
import { ROLE_LABELS } from '~/utils/viewer'
import type { StudioListItem } from '~/utils/studio.server'
import { AddFieldRow } from './add-field-row'
import { useDraftItem, useStartFromTemplate } from './autosave'
import { ConditionEditor } from './condition-editor'
import { DraftProblems } from './draft-status'
import { loadedOf } from './form-builder'
import { ItemToolbar } from './item-toolbar'
import { IssueNotes, issuesAt, issuesUnder } from './issue-notes'
import { JsonFallback } from './json-item-editor'
import { SortableList, moveItem } from './sortable-list'
import { ItemBar } from './studio-chrome'
import { useFocusPath } from './use-focus-path'
import { ViewPreview } from './view-preview'
import { useItemValidation } from './working-set'

export const FORMAT_LABELS: Record<ViewFormat, string> = {
  text: 'Text',
  currency: 'Currency',
  date: 'Date',
  datetime: 'Date and time',
  badge: 'Badge',
  percent: 'Percent',
  number: 'Number',
}

export function looksLikeView(c: unknown): c is ViewContent {
  const v = c as Partial<ViewContent> | null
  return (
    !!v &&
    typeof v.label === 'string' &&
    Array.isArray(v.columns) &&
    v.columns.every((col) => col && typeof col.field === 'string') &&
    Array.isArray(v.sort) &&
    v.sort.every((s) => s && typeof s.field === 'string') &&
    typeof v.pageSize === 'number'
  )
}

/** A new view starts with the entity's title column. */
export const newView = (entity: Entity, label: string): ViewContent => ({ label, columns: [{ field: ENTITY_META[entity].titleField }], sort: [], pageSize: 25 })

type Props = {
  entity: Entity
  viewKey: string
  focus: string | null
  createLabel: string | null
  items: StudioListItem[]
  drafts: ConfigItem[]
  live: ConfigItem[]
  readOnly: boolean
  members: MemberOption[]
  href: (patch: Record<string, string | undefined>) => string
  onNavigate: (to: string) => void
}

export function ViewBuilder(props: Props) {
  const { entity, viewKey, items, drafts, live, readOnly } = props
  const view = useDraftItem<ViewContent>({
    item: { namespace: 'views', entity, key: viewKey },
    loaded: loadedOf(items, drafts, formatAddress('views', entity, viewKey)),
    readOnly,
    label: `the view ${viewKey}`,
  })
  // A new view starts from a one-column template.
  const { createLabel } = props
  useStartFromTemplate(view, createLabel ? () => newView(entity, createLabel) : null, readOnly)

  const overrides = useMemo(
    () => [{ item: { namespace: 'views' as const, entity, key: viewKey }, content: view.state === 'deleted' ? null : view.content }],
    [entity, viewKey, view.content, view.state],
  )
  const { set, issues } = useItemValidation(drafts, live, overrides)
  const result = issues.get(formatAddress('views', entity, viewKey)) ?? { errors: [], warnings: [] }
  const all = [...result.errors, ...result.warnings]
  const config = useMemo(() => buildConfigIndex(set), [set])
  const fields = config.fields(entity) ?? []
  const liveFields = useMemo(() => buildConfigIndex(live).fields(entity) ?? [], [live, entity])

  const container = useRef<HTMLDivElement>(null)
  useFocusPath(container, props.focus)

  const viewItems = items.filter((i) => i.namespace === 'views' && i.entity === entity)
  const keys = [...new Set([...viewItems.map((v) => v.key), viewKey])].sort()
  const locked = readOnly || view.status === 'conflict'
  const content = looksLikeView(view.content) ? view.content : null
  const set_ = (patch: Partial<ViewContent>) => {
    if (!content) return
    const next = { ...content, ...patch }
    if (next.filter === undefined) delete next.filter
    if (next.visibleTo === undefined) delete next.visibleTo
    view.setContent(next)
  }

  return (
    <div className="view-builder" ref={container}>
      <ItemToolbar
        noun="view"
        keys={keys}
        nameOf={(key) => config.content('views', entity, key)?.label || key}
        current={viewKey}
        draft={view}
        readOnly={readOnly}
        onPick={(key) => props.onNavigate(props.href({ view: key, focus: undefined, create: undefined }))}
        removeDescription="The view is removed from the drafts; it disappears for everyone when you publish."
        createDescription="A table of this entity with its own columns, filter and sort."
        onCreate={(key, label) => props.onNavigate(props.href({ view: key, create: label, focus: undefined }))}
      />
      <ItemBar draft={view} />
      <DraftProblems draft={view} what={`the view ${viewKey}`} />
      {view.state === 'deleted' ? (
        <p className="muted">This view is removed in the drafts. Discard the draft to bring it back.</p>
      ) : view.content === null ? (
        <p className="muted">There is no view {viewKey} for this entity yet.</p>
      ) : !content ? (
        <JsonFallback draft={view} readOnly={readOnly} issues={result} />
      ) : (
        <>
          <IssueNotes issues={issuesAt(all, [])} />
          <div className="view-builder__grid">
            <div className="view-builder__col">
              <SettingsCard content={content} onChange={set_} readOnly={locked} issues={all} />
              <ColumnsCard content={content} fields={fields} onChange={set_} readOnly={locked} issues={all} />
            </div>
            <div className="view-builder__col">
              <section className="card" aria-labelledby="filter-title" data-config-path="filter">
                <div className="card__body">
                  <h2 id="filter-title" className="card__title">
                    Filter
                  </h2>
                  <ConditionEditor
                    value={content.filter}
                    onChange={(filter) => set_({ filter })}
                    fields={fields}
                    basePath={['filter']}
                    issues={all}
                    readOnly={locked}
                    label="Filter"
                  />
                </div>
              </section>
              <SortCard content={content} fields={fields} onChange={set_} readOnly={locked} issues={all} />
            </div>
          </div>
          <ViewPreview entity={entity} view={content} config={config} liveFields={liveFields} members={props.members} />
        </>
      )}
    </div>
  )
}

type CardProps = {
  content: ViewContent
  onChange: (patch: Partial<ViewContent>) => void
  readOnly: boolean
  issues: ReturnType<typeof issuesAt>
}

function SettingsCard({ content, onChange, readOnly, issues }: CardProps) {
  const roles = content.visibleTo
  return (
    <section className="card" aria-labelledby="view-settings-title">
      <div className="card__body">
        <h2 id="view-settings-title" className="card__title">
          View
        </h2>
        <div className="form-grid">
          <div className="field" data-config-path="label">
            <Label htmlFor="view-label">Name</Label>
            <Input id="view-label" value={content.label} readOnly={readOnly} onChange={(e) => onChange({ label: e.target.value })} />
            <IssueNotes issues={issuesUnder(issues, ['label'])} />
          </div>
          <div className="field" data-config-path="pageSize">
            <Label htmlFor="view-page-size">Rows per page</Label>
            <Input
              id="view-page-size"
              type="number"
              min={1}
              max={200}
              readOnly={readOnly}
              value={content.pageSize}
              onChange={(e) => onChange({ pageSize: Math.trunc(Number(e.target.value)) || 0 })}
            />
            <IssueNotes issues={issuesUnder(issues, ['pageSize'])} />
          </div>
        </div>
        <fieldset className="role-checks" data-config-path="visibleTo">
          <legend className="label">Who sees it</legend>
          <label className="check">
            <input
              type="checkbox"
              disabled={readOnly}
              checked={roles === undefined}
              onChange={(e) => onChange({ visibleTo: e.target.checked ? undefined : [...ROLES] })}
            />
            Everyone
          </label>
          {roles !== undefined
            ? ROLES.map((role) => (
                <label key={role} className="check">
                  <input
                    type="checkbox"
                    disabled={readOnly}
                    checked={roles.includes(role)}
                    onChange={(e) =>
                      onChange({ visibleTo: e.target.checked ? ROLES.filter((r) => r === role || roles.includes(r)) : roles.filter((r) => r !== role) })
                    }
                  />
                  {ROLE_LABELS[role]}
                </label>
              ))
            : null}
          <IssueNotes issues={issuesUnder(issues, ['visibleTo'])} />
        </fieldset>
      </div>
    </section>
  )
}

function ColumnsCard({ content, fields, onChange, readOnly, issues }: CardProps & { fields: readonly FieldDef[] }) {
  const used = new Set(content.columns.map((c) => c.field))
  const available = fields.filter((f) => !used.has(f.name))
  const labelOf = (c: ViewColumn) => fields.find((f) => f.name === c.field)?.label ?? c.field
  const setColumn = (i: number, next: ViewColumn | null) =>
    onChange({ columns: next === null ? content.columns.filter((_, j) => j !== i) : content.columns.map((c, j) => (j === i ? next : c)) })
  return (
    <section className="card" aria-labelledby="columns-title" data-config-path="columns">
      <div className="card__body">
        <h2 id="columns-title" className="card__title">
          Columns
        </h2>
        <IssueNotes issues={issuesAt(issues, ['columns'])} />
        <SortableList
          items={content.columns}
          label="Columns"
          getKey={(c, i) => `${c.field}-${i}`}
          getLabel={labelOf}
          readOnly={readOnly}
          itemPath={(i) => `columns.${i}`}
          onMove={(from, to) => onChange({ columns: moveItem(content.columns, from, to) })}
          empty={<p className="muted">No columns yet.</p>}
          renderItem={(c, i) => {
            const def = fields.find((f) => f.name === c.field)
            const formats = def ? formatsFor(def.type) : []
            return (
              <div className="column-row">
                <span className="column-row__name">
                  {labelOf(c)} {def ? null : <span className="badge badge--danger">Unknown field</span>}
                </span>
                <label className="visually-hidden" htmlFor={`col-${i}-width`}>
                  Width of {labelOf(c)} (pixels)
                </label>
                <Input
                  id={`col-${i}-width`}
                  className="column-row__width"
                  type="number"
                  min={40}
                  max={1000}
                  placeholder="auto"
                  readOnly={readOnly}
                  value={c.width ?? ''}
                  onChange={(e) => {
                    const next: ViewColumn = { ...c, width: e.target.value === '' ? undefined : Math.trunc(Number(e.target.value)) }
                    if (next.width === undefined) delete next.width
                    setColumn(i, next)
                  }}
                />
                <label className="visually-hidden" htmlFor={`col-${i}-format`}>
                  Format of {labelOf(c)}
                </label>
                <NativeSelect
                  id={`col-${i}-format`}
                  className="column-row__format"
                  value={c.format ?? ''}
                  disabled={readOnly}
                  onChange={(e) => {
                    const next: ViewColumn = { ...c, format: (e.target.value || undefined) as ViewFormat | undefined }
                    if (next.format === undefined) delete next.format
                    setColumn(i, next)
                  }}
                >
                  <option value="">Default</option>
                  {c.format && !formats.includes(c.format) ? <option value={c.format}>{FORMAT_LABELS[c.format]} (does not fit)</option> : null}
                  {formats.map((f) => (
                    <option key={f} value={f}>
                      {FORMAT_LABELS[f]}
                    </option>
                  ))}
                </NativeSelect>
                {readOnly ? null : (
                  <button
                    type="button"
                    className="icon-btn icon-btn--danger"
                    onClick={() => setColumn(i, null)}
                    aria-label={`Remove column ${labelOf(c)}`}
                    title="Remove column"
                  >
                    ✕
                  </button>
                )}
                <IssueNotes issues={issuesUnder(issues, ['columns', i])} className="column-row__issues" />
              </div>
            )
          }}
        />
        {readOnly ? null : (
          <AddFieldRow
            available={available}
            selectLabel="Add a column"
            emptyText="Every field is a column"
            buttonText="Add column"
            onAdd={(field) => onChange({ columns: [...content.columns, { field }] })}
          />
        )}
      </div>
    </section>
  )
}

function SortCard({ content, fields, onChange, readOnly, issues }: CardProps & { fields: readonly FieldDef[] }) {
  const sortable = fields.filter((f) => isSortable(f.type))
  const used = new Set(content.sort.map((s) => s.field))
  const next = sortable.find((f) => !used.has(f.name))
  const setSort = (i: number, patch: Partial<ViewContent['sort'][number]> | null) =>
    onChange({ sort: patch === null ? content.sort.filter((_, j) => j !== i) : content.sort.map((s, j) => (j === i ? { ...s, ...patch } : s)) })
  return (
    <section className="card" aria-labelledby="sort-title" data-config-path="sort">
      <div className="card__body">
        <h2 id="sort-title" className="card__title">
          Sort
        </h2>
        {content.sort.length === 0 ? <p className="muted">Newest first unless you choose a sort.</p> : null}
        <ol className="sort-rows">
          {content.sort.map((s, i) => {
            const label = fields.find((f) => f.name === s.field)?.label ?? s.field
            return (
              <li key={`${s.field}-${i}`} className="sort-row" data-config-path={`sort.${i}`}>
                <span className="sort-row__rank">{i === 0 ? 'By' : 'then'}</span>
                <label className="visually-hidden" htmlFor={`sort-${i}-field`}>
                  Sort field {i + 1}
                </label>
                <NativeSelect id={`sort-${i}-field`} value={s.field} disabled={readOnly} onChange={(e) => setSort(i, { field: e.target.value })}>
                  {sortable.some((f) => f.name === s.field) ? null : <option value={s.field}>{label} (not sortable)</option>}
                  {sortable.map((f) => (
                    <option key={f.name} value={f.name} disabled={used.has(f.name) && f.name !== s.field}>
                      {f.label}
                    </option>
                  ))}
                </NativeSelect>
                <label className="visually-hidden" htmlFor={`sort-${i}-dir`}>
                  Direction of {label}
                </label>
                <NativeSelect
                  id={`sort-${i}-dir`}
                  value={s.direction}
                  disabled={readOnly}
                  onChange={(e) => setSort(i, { direction: e.target.value as 'asc' | 'desc' })}
                >
                  <option value="asc">ascending</option>
                  <option value="desc">descending</option>
                </NativeSelect>
                {readOnly ? null : (
                  <span className="sort-row__tools">
                    <button
                      type="button"
                      className="icon-btn"
                      aria-label={`Move sort by ${label} up`}
                      disabled={i === 0}
                      onClick={() => onChange({ sort: moveItem(content.sort, i, i - 1) })}
                    >
                      ↑
                    </button>
                    <button
                      type="button"
                      className="icon-btn"
                      aria-label={`Move sort by ${label} down`}
                      disabled={i === content.sort.length - 1}
                      onClick={() => onChange({ sort: moveItem(content.sort, i, i + 1) })}
                    >
                      ↓
                    </button>
                    <button
                      type="button"
                      className="icon-btn icon-btn--danger"
                      onClick={() => setSort(i, null)}
                      aria-label={`Remove sort by ${label}`}
                      title="Remove sort"
                    >
                      ✕
                    </button>
                  </span>
                )}
                <IssueNotes issues={issuesUnder(issues, ['sort', i])} className="sort-row__issues" />
              </li>
            )
          })}
        </ol>
        {readOnly ? null : (
          <Button
            size="sm"
            variant="secondary"
            disabled={!next || content.sort.length >= 5}
            onClick={() => next && onChange({ sort: [...content.sort, { field: next.name, direction: 'asc' }] })}
          >
            + Sort
          </Button>
        )}
      </div>
    </section>
  )
}
