// The draft set as the browser sees it: the loader's working copies with the editor's unsaved local
// edits laid over them, for live previews and inline validation (validateItem in the context of
// every other draft, against the live set for "removed but still used").
import { useDeferredValue, useMemo } from 'react'
import { addressOf, validateItem, type ConfigItem, type ValidationResult } from '../../../server/config-language'

export type Override = { item: Pick<ConfigItem, 'namespace' | 'entity' | 'key'>; content: unknown | null }

export function withOverrides(drafts: readonly ConfigItem[], overrides: readonly Override[]): ConfigItem[] {
  const byAddress = new Map(drafts.map((i) => [addressOf(i), i]))
  for (const o of overrides) {
    const address = addressOf(o.item)
    if (o.content === null || o.content === undefined) byAddress.delete(address)
    else byAddress.set(address, { namespace: o.item.namespace, entity: o.item.entity, key: o.item.key, content: o.content })
  }
  return [...byAddress.values()]
}

const NO_ISSUES: ValidationResult = { errors: [], warnings: [] }

/** validateItem for each target, deferred so typing stays responsive. */
export function useItemValidation(
  drafts: readonly ConfigItem[],
  live: readonly ConfigItem[],
  overrides: readonly Override[],
): { set: ConfigItem[]; issues: Map<string, ValidationResult> } {
  const deferred = useDeferredValue(overrides)
  const set = useMemo(() => withOverrides(drafts, deferred), [drafts, deferred])
  const issues = useMemo(() => {
    const out = new Map<string, ValidationResult>()
    for (const o of deferred) {
      const address = addressOf(o.item)
      const item = set.find((i) => addressOf(i) === address)
      out.set(address, item ? validateItem(item, set, { previous: [...live] }) : NO_ISSUES)
    }
    return out
  }, [set, deferred, live])
  return { set, issues }
}
