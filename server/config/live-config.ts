// The config domain's answer to "what is live for this tenant?": the service other domains call
// (the CRM's live model, automations) instead of reading config tables. Served from the
// process's runtime cache (runtime-config.ts), which a publish invalidates at once.
import type { TenantScope } from '../kernel'
import { headVersion } from './config-store'
import type { LiveConfig, RuntimeConfigCache } from './runtime-config'

export type { LiveConfig }

/**
 * The tenant's published configuration: version, checksum and items. Reads take the cache, which
 * on another instance may trail a publish by its max age; writes pass `fresh`, so the version the
 * database holds right now is the one enforced (the cache reloads when it is older); a caller that
 * heard of a version passes `minVersion` and never gets an older one.
 */
export async function liveSnapshot(
  cache: RuntimeConfigCache,
  scope: Pick<TenantScope, 'tenantId' | 'db'>,
  opts: { fresh?: boolean; minVersion?: number } = {},
): Promise<LiveConfig> {
  const minVersion = opts.fresh ? await headVersion(scope.db) : opts.minVersion
  return cache.get(scope.tenantId, minVersion === undefined ? undefined : { minVersion })
}
