// Where each config item is edited in the Studio, so validation issues and diffs can link there.
import { ENTITY_INFO, parseAddress, type ConfigIssuePath, type Entity } from '../../../server/config-language'

export function formatPath(path: readonly (string | number)[]): string {
  return path.length === 0 ? '(whole item)' : path.map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? p : `.${p}`)).join('')
}

/** The dotted form used in URLs and data-config-path attributes: `filter.any.0.value`. */
export const pathKey = (path: readonly (string | number)[]) => path.join('.')

export function builderHref(address: string, path?: ConfigIssuePath): string {
  const parts = parseAddress(address)
  const focus: Record<string, string> = path && path.length ? { focus: pathKey(path) } : {}
  if (!parts) return '/studio'
  const { namespace, entity, key } = parts
  const q = (params: Record<string, string>) => `?${new URLSearchParams({ ...params, ...focus })}`
  switch (namespace) {
    case 'objects':
      return `/studio/forms${q({ entity, tab: 'fields' })}`
    case 'forms':
      return `/studio/forms${q({ entity, tab: 'layout', form: key })}`
    case 'views':
      return `/studio/views${q({ entity, view: key })}`
    case 'triggers':
    case 'conditions':
    case 'actions':
    case 'automations':
      return `/studio/automations${q({ ns: namespace, item: address })}`
    case 'approvals':
      return `/studio/approvals${q({ item: address })}`
    case 'sla':
      return `/studio/sla${q({ item: address })}`
  }
}

/** Tab labels of the entities (their plural names, from the config language). */
export const ENTITY_LABELS = Object.fromEntries(Object.values(ENTITY_INFO).map((i) => [i.entity, i.plural])) as Record<Entity, string>
export const NAMESPACE_LABELS = {
  objects: 'Fields',
  forms: 'Forms',
  views: 'Views',
  triggers: 'Triggers',
  conditions: 'Conditions',
  actions: 'Actions',
  automations: 'Automations',
  approvals: 'Approvals',
  sla: 'SLA policies',
} as const

/** One item of a namespace, in words ("New SLA policy"). */
export const ITEM_LABELS = {
  objects: 'field catalogue',
  forms: 'form',
  views: 'view',
  triggers: 'trigger',
  conditions: 'condition',
  actions: 'action',
  automations: 'automation',
  approvals: 'approval rule',
  sla: 'SLA policy',
} as const

/** A query string: `base` with `patch` laid over it (an undefined value drops the parameter). */
export function patchedQuery(base: Record<string, string>, patch: Record<string, string | undefined>): string {
  const p = new URLSearchParams(base)
  for (const [k, v] of Object.entries(patch)) {
    if (v === undefined) p.delete(k)
    else p.set(k, v)
  }
  return `?${p}`
}
