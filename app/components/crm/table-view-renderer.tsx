// Renders a `views` config item as a table (@tanstack/react-table v9): columns, formats and widths
// from the view, sorting/filtering/search/pagination done by the server. Fully controlled: the
// owner keeps the state (list pages in the URL, the studio preview in component state) and passes
// the rows the server returned for it.
import { Link, useNavigate } from '@remix-run/react'
import { useEffect, useMemo, useRef, useState, type ReactNode } from 'react'
import { functionalUpdate, rowSortingFeature, tableFeatures, useTable, type ColumnDef, type SortingState, type Updater } from '@tanstack/react-table'
import {
  isSortable,
  readField,
  type ConfigIndex,
  type Entity,
  type FieldCondition,
  type FieldDef,
  type ViewColumn,
  type ViewContent,
} from '../../../server/config-language'
import { useConfigIndex } from '~/config/live-config'
import { Button } from '~/components/ui/button'
import {
  DropdownMenu,
  DropdownMenuContent,
  DropdownMenuLabel,
  DropdownMenuRadioGroup,
  DropdownMenuRadioItem,
  DropdownMenuTrigger,
} from '~/components/ui/dropdown-menu'
import { Input } from '~/components/ui/input'
import { cn } from '~/utils/cn'
import { ENTITY_META, type LookupLabels, type MemberOption, type RecordRow } from './entities'
import { FieldValue } from './field-display'
import { FilterBar } from './filter-bar'
import { SlaBadge } from './sla-badge'
import { columnCellStyle, useOverflowTooltips, useTableDensity, type Density } from './table-layout'
import type { TableViewState } from './table-state'

export type TableViewRendererProps = {
  entity: Entity
  view: ViewContent
  viewKey?: string
  /** The config to read field definitions from (e.g. a draft); the live config when absent. */
  config?: ConfigIndex
  rows: readonly RecordRow[]
  total: number
  /** The server estimated a large total instead of counting it (decision 029): shown as "about N". */
  totalIsEstimate?: boolean
  nextCursor: string | null
  state: TableViewState
  onStateChange: (next: TableViewState) => void
  /** When given, pagination appends ("Load more") instead of paging with a cursor trail. */
  onLoadMore?: () => void
  /** The entity's views the person may switch to. */
  views?: ReadonlyArray<{ key: string; label: string }>
  onViewChange?: (key: string) => void
  /** Where a row leads; rows are not links without it (e.g. in a preview). */
  rowHref?: (row: RecordRow) => string
  members?: readonly MemberOption[]
  lookupLabels?: LookupLabels
  /** A request for new rows is in flight (dims the table). */
  loading?: boolean
  /** Shown instead of the table when there are no rows. */
  empty?: ReactNode
  /** Just the table: no toolbar, no pager, no sorting (e.g. related records on the 360 page). */
  compact?: boolean
}

const features = tableFeatures({ rowSortingFeature })

export function TableViewRenderer(props: TableViewRendererProps) {
  return props.config ? <TableWith {...props} config={props.config} /> : <LiveTable {...props} />
}

function LiveTable(props: TableViewRendererProps) {
  const config = useConfigIndex()
  return <TableWith {...props} config={config} />
}

type ColumnInfo = { column: ViewColumn; def: FieldDef | undefined }

const SLA_COLUMN = '__sla'

const slaColumn: ColumnDef<typeof features, RecordRow, unknown> = {
  id: SLA_COLUMN,
  header: 'SLA',
  accessorFn: (row) => row.sla?.state ?? null,
  enableSorting: false,
  cell: (ctx) => <SlaBadge sla={ctx.row.original.sla} />,
}

function TableWith(props: TableViewRendererProps & { config: ConfigIndex }) {
  const { entity, view, config, rows, total, totalIsEstimate = false, state, onStateChange, members, lookupLabels, rowHref, compact = false } = props
  const totalText = totalIsEstimate ? `about ${approximateFormat.format(total)}` : fmt(total)
  const navigate = useNavigate()
  const fields = config.fields(entity)
  const titleField = ENTITY_META[entity].titleField

  const columnInfo: ColumnInfo[] = useMemo(
    () => view.columns.map((column) => ({ column, def: fields?.find((f) => f.name === column.field) })),
    [view.columns, fields],
  )

  const columns = useMemo<ColumnDef<typeof features, RecordRow, unknown>[]>(
    () => [
      ...columnInfo.map(({ column, def }, index): ColumnDef<typeof features, RecordRow, unknown> => ({
        id: column.field,
        header: def?.label ?? column.field,
        accessorFn: (row: RecordRow) => (def ? readField(row, def) : readField(row, column.field, entity)),
        enableSorting: !compact && def ? isSortable(def.type) : false,
        cell: (ctx) => {
          const row = ctx.row.original
          const content = def ? (
            <FieldValue
              def={def}
              value={ctx.getValue()}
              format={column.format}
              ctx={{ members, lookupLabels, currency: currencyOf(row), plainLookups: Boolean(rowHref) && (index === 0 || column.field === titleField) }}
            />
          ) : (
            <span className="muted">—</span>
          )
          // The first column (or the title field) links to the record, so rows work from the keyboard.
          if (rowHref && (index === 0 || column.field === titleField)) {
            return (
              <Link to={rowHref(row)} className="row-link" onClick={(e) => e.stopPropagation()}>
                {content}
              </Link>
            )
          }
          return content
        },
      })),
      // Cases show their SLA after the view's columns (from the read, not a config field).
      ...(entity === 'case' ? [slaColumn] : []),
    ],
    [columnInfo, entity, members, lookupLabels, rowHref, titleField, compact],
  )

  const sorting: SortingState = useMemo(() => (state.sort ?? view.sort).map((s) => ({ id: s.field, desc: s.direction === 'desc' })), [state.sort, view.sort])

  // Latest state for the sorting callback, which the table keeps from its first options.
  const latest = useRef({ state, sorting, onStateChange })
  latest.current = { state, sorting, onStateChange }

  const table = useTable({
    features,
    columns,
    data: rows as RecordRow[],
    getRowId: (row) => row.id,
    state: { sorting },
    manualSorting: true,
    enableSortingRemoval: false,
    enableMultiSort: true,
    maxMultiSortColCount: 5,
    onSortingChange: (updater: Updater<SortingState>) => {
      const { state: s, sorting: current, onStateChange: emit } = latest.current
      const next = functionalUpdate(updater, current)
      emit({ ...s, sort: next.map((x) => ({ field: x.id, direction: x.desc ? 'desc' : 'asc' })), cursors: [] })
    },
  })

  const filterFields = useMemo(() => (fields ?? []).filter((f) => f.type !== 'lookup' || f.name === 'customerId'), [fields])

  const pageSize = view.pageSize
  const firstRow = props.onLoadMore ? 1 : state.cursors.length * pageSize + 1
  const lastRow = props.onLoadMore ? rows.length : firstRow + rows.length - 1
  const setFilters = (filter: FieldCondition[]) => onStateChange({ ...state, filter, cursors: [] })

  const [density, setDensity] = useTableDensity()
  const tableRef = useRef<HTMLTableElement>(null)
  useOverflowTooltips(tableRef, '.cell__text', [rows, columnInfo, density])

  return (
    <div className={cn('table-view', `table-view--${density}`, props.loading && 'is-loading')} aria-busy={props.loading || undefined}>
      {compact ? null : (
        <div className="table-toolbar">
          <SearchBox
            value={state.search}
            onSearch={(search) => onStateChange({ ...state, search, cursors: [] })}
            label={`Search ${ENTITY_META[entity].plural.toLowerCase()}`}
          />
          <FilterBar fields={filterFields} filters={state.filter} onChange={setFilters} members={members} lookupLabels={lookupLabels} />
          <span className="table-toolbar__spacer" />
          <DensityToggle value={density} onChange={setDensity} />
          {props.views && props.views.length > 0 && props.onViewChange ? (
            <ViewSwitcher views={props.views} current={props.viewKey} label={view.label} onChange={props.onViewChange} />
          ) : null}
        </div>
      )}

      {rows.length === 0 ? (
        (props.empty ?? (
          <div className="empty-state">
            <h2 className="empty-state__title">No matching {ENTITY_META[entity].plural.toLowerCase()}</h2>
            <p className="empty-state__text">Try another search or remove a filter.</p>
          </div>
        ))
      ) : (
        <div className="table-wrap">
          <table ref={tableRef} className="table table--records" aria-label={view.label} aria-rowcount={compact ? undefined : totalIsEstimate ? -1 : total + 1}>
            <thead>
              {table.getHeaderGroups().map((group) => (
                <tr key={group.id} aria-rowindex={compact ? undefined : 1}>
                  {group.headers.map((header) => {
                    const info = columnInfo.find((c) => c.column.field === header.column.id)
                    const sorted = header.column.getIsSorted()
                    const numeric = info?.def && isNumericColumn(info)
                    return (
                      <th
                        key={header.id}
                        scope="col"
                        style={info?.column.width ? { width: info.column.width } : undefined}
                        className={cn(numeric && 'num')}
                        aria-sort={sorted === 'asc' ? 'ascending' : sorted === 'desc' ? 'descending' : undefined}
                      >
                        {header.column.getCanSort() ? (
                          <button
                            type="button"
                            className={cn('th-sort', sorted && 'is-sorted')}
                            onClick={header.column.getToggleSortingHandler()}
                            title="Sort (Shift+click to add to the sort)"
                          >
                            <table.FlexRender header={header} />
                            <span className="th-sort__icon" aria-hidden>
                              {sorted === 'asc' ? '▲' : sorted === 'desc' ? '▼' : '↕'}
                            </span>
                          </button>
                        ) : (
                          <table.FlexRender header={header} />
                        )}
                      </th>
                    )
                  })}
                </tr>
              ))}
            </thead>
            <tbody>
              {table.getRowModel().rows.map((row, i) => (
                <tr
                  key={row.id}
                  aria-rowindex={compact ? undefined : firstRow + i + 1}
                  className={rowHref ? 'is-clickable' : undefined}
                  onClick={
                    rowHref
                      ? (e) => {
                          // Selecting text is not a click on the row.
                          if (window.getSelection()?.toString()) return
                          if (e.metaKey || e.ctrlKey) window.open(rowHref(row.original), '_blank')
                          else navigate(rowHref(row.original))
                        }
                      : undefined
                  }
                >
                  {row.getAllCells().map((cell, cellIndex) => {
                    const info = columnInfo.find((c) => c.column.field === cell.column.id)
                    // One line that ends in an ellipsis (full text in the tooltip), never a word cut
                    // in two; only lists of badges wrap, between badges.
                    return (
                      <td key={cell.id} className={cn(info && isNumericColumn(info) && 'num')}>
                        <div
                          className={cn('cell', info?.def?.type === 'multiselect' && 'cell--wrap')}
                          style={info ? columnCellStyle(info.column, info.def, cellIndex === 0) : undefined}
                        >
                          <div className="cell__text">
                            <table.FlexRender cell={cell} />
                          </div>
                        </div>
                      </td>
                    )
                  })}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}

      {compact ? null : (
        <div className="table-footer">
          <span
            className="muted"
            data-testid="table-count"
            aria-live="polite"
            title={totalIsEstimate ? 'Large totals are the database’s estimate, not an exact count' : undefined}
          >
            {total === 0 ? 'No records' : rows.length === 0 ? `${totalText} records` : `${fmt(firstRow)}–${fmt(lastRow)} of ${totalText}`}
          </span>
          {props.onLoadMore ? (
            props.nextCursor ? (
              <Button variant="secondary" size="sm" onClick={props.onLoadMore} disabled={props.loading}>
                Load more
              </Button>
            ) : null
          ) : (
            <nav className="pager" aria-label="Pages">
              <Button
                variant="secondary"
                size="sm"
                disabled={state.cursors.length === 0 || props.loading}
                onClick={() => onStateChange({ ...state, cursors: state.cursors.slice(0, -1) })}
              >
                ← Previous
              </Button>
              <Button
                variant="secondary"
                size="sm"
                disabled={!props.nextCursor || props.loading}
                onClick={() => props.nextCursor && onStateChange({ ...state, cursors: [...state.cursors, props.nextCursor] })}
              >
                Next →
              </Button>
            </nav>
          )}
        </div>
      )}
    </div>
  )
}

const numberFormat = new Intl.NumberFormat('en-US')
const fmt = (n: number) => numberFormat.format(n)
const approximateFormat = new Intl.NumberFormat('en-US', { maximumSignificantDigits: 2 })

function isNumericColumn({ column, def }: ColumnInfo): boolean {
  const f = column.format
  if (f === 'currency' || f === 'number' || f === 'percent') return true
  return !f && !!def && (def.type === 'number' || def.type === 'currency' || def.type === 'percent')
}

function currencyOf(row: RecordRow): string | undefined {
  return typeof row.currency === 'string' && /^[A-Z]{3}$/.test(row.currency) ? row.currency : undefined
}

/** Search as you type (debounced); Enter searches at once. */
function SearchBox({ value, onSearch, label }: { value: string; onSearch: (q: string) => void; label: string }) {
  const [text, setText] = useState(value)
  const sent = useRef(value)
  useEffect(() => {
    // The URL changed under us (back button, a chip removed): show what is applied.
    if (value !== sent.current) {
      sent.current = value
      setText(value)
    }
  }, [value])
  const send = (q: string) => {
    const trimmed = q.trim()
    if (trimmed === sent.current) return
    sent.current = trimmed
    onSearch(trimmed)
  }
  useEffect(() => {
    const timer = setTimeout(() => send(text), 400)
    return () => clearTimeout(timer)
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [text])
  return (
    <form
      role="search"
      className="search-box"
      onSubmit={(e) => {
        e.preventDefault()
        send(text)
      }}
    >
      <label className="visually-hidden" htmlFor="table-search">
        {label}
      </label>
      <Input id="table-search" type="search" placeholder="Search…" value={text} onChange={(e) => setText(e.target.value)} />
    </form>
  )
}

/** Comfortable or compact rows: a pair of toggle buttons, the pressed one being the current density. */
function DensityToggle({ value, onChange }: { value: Density; onChange: (d: Density) => void }) {
  return (
    <div className="segmented" role="group" aria-label="Row density">
      {(['comfortable', 'compact'] as const).map((d) => (
        <button key={d} type="button" className="segmented__option" aria-pressed={value === d} onClick={() => onChange(d)}>
          {d === 'comfortable' ? 'Comfortable' : 'Compact'}
        </button>
      ))}
    </div>
  )
}

function ViewSwitcher({
  views,
  current,
  label,
  onChange,
}: {
  views: ReadonlyArray<{ key: string; label: string }>
  current?: string
  label: string
  onChange: (key: string) => void
}) {
  return (
    <DropdownMenu>
      <DropdownMenuTrigger asChild>
        <Button variant="secondary" size="sm" aria-label={`View: ${label}`}>
          <span className="muted">View:</span> {label} <span aria-hidden>▾</span>
        </Button>
      </DropdownMenuTrigger>
      <DropdownMenuContent align="end">
        <DropdownMenuLabel>Views</DropdownMenuLabel>
        <DropdownMenuRadioGroup value={current ?? ''} onValueChange={onChange}>
          {views.map((v) => (
            <DropdownMenuRadioItem key={v.key} value={v.key}>
              {v.label}
            </DropdownMenuRadioItem>
          ))}
        </DropdownMenuRadioGroup>
      </DropdownMenuContent>
    </DropdownMenu>
  )
}
