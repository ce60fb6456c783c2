// Every reference one item makes to a field or to another item, with its path. One collector feeds
// unknown_field / unknown_reference (does the target exist?), field_in_use / item_in_use (who
// still uses what was removed?) and the studio's "where used".
import { formatAddress, NAMESPACES, type ConfigAddress, type ConfigItem, type Entity } from './address'
import { walkCondition, type Condition } from './condition'
import { buildConfigIndex, type ConfigIndex } from './snapshot'
import {
  MESSAGE_PLACEHOLDER,
  type ActionContent,
  type ApprovalContent,
  type AutomationContent,
  type ConditionContent,
  type FormContent,
  type SlaContent,
  type TriggerContent,
  type ViewContent,
} from './schemas'

type Path = (string | number)[]

export type ConfigReference =
  { kind: 'field'; from: ConfigAddress; path: Path; entity: Entity; field: string } | { kind: 'item'; from: ConfigAddress; path: Path; target: ConfigAddress }

export function collectReferences(source: readonly ConfigItem[] | ConfigIndex): ConfigReference[] {
  const index = Array.isArray(source) ? buildConfigIndex(source) : (source as ConfigIndex)
  const refs: ConfigReference[] = []
  const field = (from: ConfigAddress, entity: Entity, name: string, path: Path) => refs.push({ kind: 'field', from, path, entity, field: name })
  const item = (from: ConfigAddress, target: ConfigAddress, path: Path) => refs.push({ kind: 'item', from, path, target })
  const tree = (from: ConfigAddress, entity: Entity, cond: Condition, base: Path) =>
    walkCondition(
      cond,
      (node, path) => {
        if ('field' in node) field(from, entity, node.field, [...path, 'field'])
        else item(from, formatAddress('conditions', entity, node.ref), [...path, 'ref'])
      },
      base,
    )

  for (const namespace of NAMESPACES) {
    for (const entry of index.list(namespace)) {
      const from = entry.address
      const entity = entry.entity as Entity
      switch (namespace) {
        case 'forms': {
          const content = entry.content as FormContent
          content.sections.forEach((s, si) =>
            s.fields.forEach((f, fi) => {
              const base: Path = ['sections', si, 'fields', fi]
              field(from, entity, f.field, [...base, 'field'])
              if (f.visibleWhen) tree(from, entity, f.visibleWhen, [...base, 'visibleWhen'])
            }),
          )
          break
        }
        case 'views': {
          const content = entry.content as ViewContent
          content.columns.forEach((c, i) => field(from, entity, c.field, ['columns', i, 'field']))
          content.sort.forEach((s, i) => field(from, entity, s.field, ['sort', i, 'field']))
          if (content.filter) tree(from, entity, content.filter, ['filter'])
          break
        }
        case 'conditions':
          tree(from, entity, (entry.content as ConditionContent).when, ['when'])
          break
        case 'triggers':
          ;(entry.content as TriggerContent).fields?.forEach((f, i) => field(from, entity, f, ['fields', i]))
          break
        case 'actions': {
          const action = entry.content as ActionContent
          if (action.type === 'setField') field(from, entity, action.field, ['field'])
          if (action.type === 'createRecord') {
            for (const [name, value] of Object.entries(action.values)) {
              field(from, action.entity, name, ['values', name])
              if (value !== null && typeof value === 'object' && !Array.isArray(value) && value.copyFrom !== 'id') {
                field(from, entity, value.copyFrom, ['values', name, 'copyFrom'])
              }
            }
          }
          if (action.type === 'notify') {
            action.userFields?.forEach((f, i) => field(from, entity, f, ['userFields', i]))
            for (const m of action.message.matchAll(MESSAGE_PLACEHOLDER)) if (m[1] !== 'id') field(from, entity, m[1]!, ['message'])
          }
          if (action.type === 'requestApproval') item(from, formatAddress('approvals', entity, action.approval), ['approval'])
          break
        }
        case 'automations': {
          const a = entry.content as AutomationContent
          item(from, formatAddress('triggers', a.entity, a.trigger), ['trigger'])
          a.conditions.forEach((k, i) => item(from, formatAddress('conditions', a.entity, k), ['conditions', i]))
          a.actions.forEach((k, i) => item(from, formatAddress('actions', a.entity, k), ['actions', i]))
          break
        }
        case 'approvals': {
          const a = entry.content as ApprovalContent
          tree(from, entity, a.when, ['when'])
          a.lockedFields.forEach((f, i) => field(from, entity, f, ['lockedFields', i]))
          a.onApprove?.forEach((k, i) => item(from, formatAddress('actions', entity, k), ['onApprove', i]))
          a.onReject?.forEach((k, i) => item(from, formatAddress('actions', entity, k), ['onReject', i]))
          break
        }
        case 'sla':
          tree(from, entity, (entry.content as SlaContent).when, ['when'])
          break
        case 'objects':
          break
      }
    }
  }
  return refs
}
