// The words an admin reads for the automation config's keys: trigger events, action types, and a
// one-line description of a trigger, condition or action as the composer's pickers show it.
import type { ActionContent, ActionType, ConfigIndex, Entity, TriggerContent, TriggerEvent } from '../../../server/config-language'
import { ROLE_LABELS } from '~/utils/viewer'

export const TRIGGER_EVENT_LABELS: Record<TriggerEvent, string> = {
  'record.created': 'A record is created',
  'record.updated': 'A record is updated',
  'record.deleted': 'A record is deleted',
  'message.received': 'A message arrives',
  'sla.warning': 'SLA warning',
  'sla.breached': 'SLA breached',
  'approval.decided': 'Approval decided',
  schedule: 'On a schedule',
}

export const ACTION_TYPE_LABELS: Record<ActionType, string> = {
  setField: 'Set a field',
  assign: 'Assign',
  addTag: 'Add a tag',
  createRecord: 'Create a record',
  notify: 'Notify',
  webhook: 'Call a webhook',
  requestApproval: 'Request an approval',
}

const fieldLabel = (index: ConfigIndex, entity: Entity, name: string) => index.field(entity, name)?.label ?? name
const list = (parts: string[]) => (parts.length <= 1 ? parts.join('') : `${parts.slice(0, -1).join(', ')} or ${parts.at(-1)}`)

export function describeTrigger(t: TriggerContent | undefined, entity: Entity, index: ConfigIndex): string {
  if (!t) return 'Unfinished trigger'
  const base = TRIGGER_EVENT_LABELS[t.event]
  if (t.event === 'record.updated' && t.fields?.length) return `${base}: ${list(t.fields.map((f) => fieldLabel(index, entity, f)))} changes`
  if (t.event === 'schedule') return `${base}: ${t.cron ?? '?'}${t.timeZone ? ` (${t.timeZone})` : ' (UTC)'}`
  return base
}

export function describeAction(a: ActionContent | undefined, entity: Entity, index: ConfigIndex): string {
  if (!a) return 'Unfinished action'
  const label = ACTION_TYPE_LABELS[a.type]
  switch (a.type) {
    case 'setField':
      return `${label}: ${fieldLabel(index, entity, a.field)} to ${a.value === null ? 'empty' : JSON.stringify(a.value)}`
    case 'assign':
      return 'userId' in a.to ? `${label} to a person` : `${label} round-robin to ${ROLE_LABELS[a.to.roundRobinRole]}s`
    case 'addTag':
      return `${label}: ${a.tag}`
    case 'createRecord':
      return `${label}: a new ${a.entity}`
    case 'notify': {
      const who = [
        ...(a.roles ?? []).map((r) => `${ROLE_LABELS[r]}s`),
        ...(a.userFields ?? []).map((f) => `the ${fieldLabel(index, entity, f).toLowerCase()}`),
        ...(a.users?.length ? [`${a.users.length} ${a.users.length === 1 ? 'person' : 'people'}`] : []),
      ]
      return `${label} ${list(who) || 'nobody yet'}: “${a.message}”`
    }
    case 'webhook':
      return `${label}: ${a.url}`
    case 'requestApproval':
      return `${label}: ${index.content('approvals', entity, a.approval)?.label ?? a.approval}`
  }
}
