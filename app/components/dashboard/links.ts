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
