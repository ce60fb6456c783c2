// The run log as the Studio's pages read it: the filters the URL carries (automation, record,
// status, a range of whole UTC days), one page of `automations.runs` filtered server-side, and the
// titles of the records those runs touched (a deleted record keeps its id).
import type { AppLoadContext } from '@remix-run/node'
import { ENTITY_INFO, isEntity, KEY_PATTERN, type Entity } from '../../server/config-language'
import { recordTitle } from '~/components/crm/entities'
import { RUN_STATUS_LABELS, type RunStatus } from '~/components/studio/run-words'
import { callForPage } from './api-errors.server'

export const DEFAULT_RUNS_PAGE = 25
const DAY = /^\d{4}-\d{2}-\d{2}$/
const ID = /^[\w-]{1,100}$/

export type RunFilters = { automation: string; record: string; status: RunStatus | ''; from: string; to: string; limit: string }

/** The filters of the run log, as the URL carries them; anything malformed is left out. */
export function runFiltersOf(params: URLSearchParams): RunFilters {
  const day = (name: string) => {
    const v = params.get(name)?.trim() ?? ''
    return DAY.test(v) && !Number.isNaN(Date.parse(v)) ? v : ''
  }
  const automation = params.get('automation')?.trim() ?? ''
  const record = params.get('record')?.trim() ?? ''
  const status = params.get('status') ?? ''
  const limit = Number(params.get('limit'))
  return {
    automation: KEY_PATTERN.test(automation) ? automation : '',
    record: ID.test(record) ? record : '',
    status: Object.hasOwn(RUN_STATUS_LABELS, status) ? (status as RunStatus) : '',
    from: day('from'),
    to: day('to'),
    limit: Number.isInteger(limit) && limit >= 1 && limit <= 100 ? String(limit) : '',
  }
}

/** One page of runs, newest first, with the titles of their records (`entity:id` → title). */
export async function loadRuns(request: Request, context: AppLoadContext, filter: RunFilters, cursor?: string) {
  const page = await callForPage(request, context, (trpc) =>
    trpc.automations.runs({
      automationKey: filter.automation || undefined,
      recordId: filter.record || undefined,
      status: filter.status || undefined,
      from: filter.from ? new Date(`${filter.from}T00:00:00.000Z`) : undefined,
      to: filter.to ? new Date(`${filter.to}T23:59:59.999Z`) : undefined,
      cursor,
      limit: Number(filter.limit) || DEFAULT_RUNS_PAGE,
    }),
  )
  const titles = await recordTitles(
    context,
    page.items.map((r) => ({ entity: r.entity, id: r.recordId })),
  )
  return { ...page, titles }
}

/** Titles of records by `entity:id`; a record that is gone (or not readable) is left out. */
export async function recordTitles(context: AppLoadContext, refs: Array<{ entity: string | null; id: string | null }>): Promise<Record<string, string>> {
  const wanted = new Map<string, { entity: Entity; id: string }>()
  for (const r of refs) if (r.id && isEntity(r.entity)) wanted.set(`${r.entity}:${r.id}`, { entity: r.entity, id: r.id })
  const found = await Promise.all(
    [...wanted.entries()].map(async ([ref, { entity, id }]) => {
      const record = await context.trpc[ENTITY_INFO[entity].path].get({ id }).catch(() => null)
      return record ? ([ref, recordTitle(entity, record as { id: string })] as const) : null
    }),
  )
  return Object.fromEntries(found.filter((x) => x !== null))
}

/** The automations a filter can pick: the live ones, by label. */
export async function liveAutomations(request: Request, context: AppLoadContext): Promise<Array<{ key: string; label: string }>> {
  const config = await callForPage(request, context, (trpc) => trpc.runtime.config())
  return config.items
    .filter((i) => i.namespace === 'automations')
    .map((i) => ({ key: i.key, label: (i.content as { label?: string }).label ?? i.key }))
    .sort((a, b) => a.label.localeCompare(b.label))
}
