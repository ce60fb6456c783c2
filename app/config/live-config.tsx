// The live (published) configuration in the browser: one store per page session, read through
// React's useSyncExternalStore so every form and table re-renders when a publish swaps it.
// Seeded by the CRM/Studio layout loaders (runtime.config); kept live by the config subscription
// (app/config/live-config-sync, the real-time layer). Components never fetch config themselves.
//
// Contract for forms: a swap re-renders, it does not remount. A react-hook-form form keeps the
// values of fields that are still registered after the swap, so typed input survives a publish.
import type { RouterOutputs } from '../../server/app-router'
import { createContext, useContext, useEffect, useMemo, useState, useSyncExternalStore, type ReactNode } from 'react'
import { buildConfigIndex, slaPolicyFor, type ConfigIndex, type Entity, type FormContent, type ViewContent } from '../../server/config-language'

/** The live config as `runtime.config` answers it (the parts the browser keeps). */
export type LiveConfig = Pick<RouterOutputs['runtime']['config'], 'version' | 'checksum' | 'items'>

export type ConfigStore = {
  get(): LiveConfig
  /** Replaces the config when `next` is newer; returns whether it did. */
  set(next: LiveConfig): boolean
  subscribe(listener: () => void): () => void
}

export function createConfigStore(initial: LiveConfig): ConfigStore {
  let current = initial
  const listeners = new Set<() => void>()
  return {
    get: () => current,
    set(next) {
      if (next.version <= current.version && next.checksum === current.checksum) return false
      if (next.version < current.version) return false
      current = next
      for (const l of listeners) l()
      return true
    },
    subscribe(listener) {
      listeners.add(listener)
      return () => listeners.delete(listener)
    },
  }
}

const StoreContext = createContext<ConfigStore | null>(null)

export function LiveConfigProvider({ initial, children }: { initial: LiveConfig; children: ReactNode }) {
  const [store] = useState(() => createConfigStore(initial))
  // A loader revalidation may bring a newer config than the store has (e.g. after navigation).
  useEffect(() => {
    store.set(initial)
  }, [store, initial])
  return <StoreContext.Provider value={store}>{children}</StoreContext.Provider>
}

export function useConfigStore(): ConfigStore {
  const store = useContext(StoreContext)
  if (!store) throw new Error('useConfigStore: no LiveConfigProvider above this component')
  return store
}

export function useLiveConfig(): LiveConfig {
  const store = useConfigStore()
  return useSyncExternalStore(store.subscribe, store.get, store.get)
}

export function useConfigVersion(): number {
  return useLiveConfig().version
}

export function useConfigIndex(): ConfigIndex {
  const live = useLiveConfig()
  return useMemo(() => buildConfigIndex(live.items), [live])
}

export function useFormConfig(entity: Entity, key = 'default'): FormContent | undefined {
  return useConfigIndex().content('forms', entity, key)
}

export function useViewConfig(entity: Entity, key: string): ViewContent | undefined {
  return useConfigIndex().content('views', entity, key)
}

export function useSlaPolicy(caseRecord: Parameters<typeof slaPolicyFor>[1] | null | undefined) {
  const index = useConfigIndex()
  return caseRecord ? slaPolicyFor(index, caseRecord) : undefined
}
