// Every dashboard number opens the list behind it: the entity's list page with ad-hoc filters in
// the URL (the list pages' own encoding, table-state.ts), so the list shows the same total.
import type { FieldCondition } from '../../../server/config-language'
import { ENTITY_META } from '~/components/crm/entities'
import { EMPTY_TABLE_STATE, tableStateToParams } from '~/components/crm/table-state'

export const OPEN_CASE: FieldCondition = { field: 'status', op: 'notIn', value: ['resolved', 'closed'] }
export const RESOLVED_CASE: FieldCondition = { field: 'status', op: 'in', value: ['resolved', 'closed'] }
export const OPEN_DEAL: FieldCondition = { field: 'stage', op: 'notIn', value: ['won', 'lost'] }

export function listHref(entity: 'case' | 'deal', filter: FieldCondition[]): string {
  return `/${ENTITY_META[entity].path}?${tableStateToParams(undefined, { ...EMPTY_TABLE_STATE, filter })}`
}

/** The owner filter of a link: cases by assignee, deals by owner. */
export function ownerFilter(entity: 'case' | 'deal', ownerId: string | null): FieldCondition[] {
  return ownerId ? [{ field: entity === 'case' ? 'assignee' : 'owner', op: 'eq', value: ownerId }] : []
}

/** Instants [start, end) of a timestamp field. */
export function between(field: string, start: string, end: string): FieldCondition[] {
  return [
    { field, op: 'gte', value: start },
    { field, op: 'lt', value: end },
  ]
}

/** Calendar dates [from, to], inclusive, of a date field. */
export function onDates(field: string, from: string, to: string): FieldCondition[] {
  return [
    { field, op: 'gte', value: from },
    { field, op: 'lte', value: to },
  ]
}

/** The inbox with its list filters (routes/_crm.inbox.tsx reads status, channel and assignee). */
export function inboxHref(filter: { status?: 'open'; channel?: string; assignee?: string | null }): string {
  const params = new URLSearchParams()
  if (filter.status) params.set('status', filter.status)
  if (filter.channel) params.set('channel', filter.channel)
  if (filter.assignee) params.set('assignee', filter.assignee)
  const query = params.toString()
  return query ? `/inbox?${query}` : '/inbox'
}

/**
 * The run log for the instants [start, end), optionally only failed runs. The run log filters by
 * whole UTC days, so a local day's link opens the UTC days it touches (for a zone off UTC, a few
 * runs of the neighbouring local days show too).
 */
export function runLogHref(start: string, end: string, status?: 'failed'): string {
  const params = new URLSearchParams()
  if (status) params.set('status', status)
  params.set('from', start.slice(0, 10))
  params.set('to', new Date(Date.parse(end) - 1).toISOString().slice(0, 10))
  return `/studio/runs?${params}`
}
