// The config domain's answer to "what is live for this tenant?": the service other domains call
// (the CRM's live model, automations) instead of reading config tables. Served from the
// process's runtime cache (runtime-config.ts), which a publish invalidates at once.
import type { TenantScope } from '../kernel'
import type { LiveConfig, RuntimeConfigCache } from './runtime-config'

export type { LiveConfig }

/** The tenant's published configuration: version, checksum and items. */
export function liveSnapshot(cache: RuntimeConfigCache, scope: Pick<TenantScope, 'tenantId'>): Promise<LiveConfig> {
  return cache.get(scope.tenantId)
}
