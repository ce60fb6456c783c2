// A table's server-side state (sort, ad-hoc filters, search, cursor trail) and its URL encoding, so
// list pages are links: the loader reads the state from the search params and asks the list
// procedure for exactly that page. Pure; shared by loaders and components.
import { conditionSchema, FIELD_NAME_PATTERN, type Condition, type FieldCondition, type ViewSort } from '../../../server/config-language'

export type TableViewState = {
  /** Explicit sort; null = the view's own sort. */
  sort: ViewSort[] | null
  /** Ad-hoc filters, ANDed with each other and with the view's own filter. */
  filter: FieldCondition[]
  search: string
  /** Cursors of the pages walked so far; the last one is the current page (empty = first page). */
  cursors: string[]
}

export const EMPTY_TABLE_STATE: TableViewState = { sort: null, filter: [], search: '', cursors: [] }

const MAX_FILTERS = 20

export function parseTableState(params: URLSearchParams): TableViewState {
  return {
    sort: parseSort(params.get('sort')),
    filter: parseFilter(params.get('filter')),
    search: (params.get('q') ?? '').slice(0, 200),
    cursors: params
      .getAll('cursor')
      .filter((c) => c !== '')
      .slice(-100),
  }
}

function parseSort(raw: string | null): ViewSort[] | null {
  if (!raw) return null
  const out: ViewSort[] = []
  for (const part of raw.split(',').slice(0, 5)) {
    const [field, direction] = part.split(':')
    if (field && FIELD_NAME_PATTERN.test(field) && (direction === 'asc' || direction === 'desc')) out.push({ field, direction })
  }
  return out.length ? out : null
}

function parseFilter(raw: string | null): FieldCondition[] {
  if (!raw) return []
  try {
    const parsed: unknown = JSON.parse(raw)
    if (!Array.isArray(parsed)) return []
    return parsed
      .slice(0, MAX_FILTERS)
      .filter((c): c is FieldCondition => conditionSchema.safeParse(c).success && typeof c === 'object' && c !== null && 'field' in c)
  } catch {
    return []
  }
}

/** The search params of a list page (view key first, then the state). */
export function tableStateToParams(viewKey: string | undefined, state: TableViewState): URLSearchParams {
  const p = new URLSearchParams()
  if (viewKey) p.set('view', viewKey)
  if (state.sort?.length) p.set('sort', state.sort.map((s) => `${s.field}:${s.direction}`).join(','))
  if (state.search) p.set('q', state.search)
  if (state.filter.length) p.set('filter', JSON.stringify(state.filter))
  for (const c of state.cursors) p.append('cursor', c)
  return p
}

/** The list procedure's input for a view and a state. */
export function listInput(viewKey: string | undefined, state: TableViewState) {
  const filter: Condition | undefined = state.filter.length ? { all: state.filter } : undefined
  return {
    ...(viewKey ? { view: viewKey } : {}),
    ...(filter ? { filter } : {}),
    ...(state.sort?.length ? { sort: state.sort } : {}),
    ...(state.search ? { search: state.search } : {}),
    ...(state.cursors.length ? { cursor: state.cursors[state.cursors.length - 1] } : {}),
  }
}
