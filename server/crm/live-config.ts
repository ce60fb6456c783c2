// The crm's one way to the tenant's live (published) config. The config domain owns its head and
// snapshots; the crm asks the config service's runtime cache (server/config/runtime-config.ts) and
// reads no config table anywhere else.
import { readSnapshotItems } from '../config-language'
import { headVersion } from '../config/config-store'
import type { RuntimeConfigCache } from '../config/runtime-config'
import type { TenantScope } from '../kernel'

export type LiveConfigView = Pick<Awaited<ReturnType<RuntimeConfigCache['get']>>, 'version' | 'checksum' | 'items'>

/**
 * The tenant's live config. Reads take the runtime cache, which may trail a publish by its max age
 * on another instance; writes pass `fresh` so a just-published version is enforced at once.
 * Merge note: once the cache answers `get(tenantId, { minVersion })` (issue 10), the fresh branch
 * becomes `runtimeConfig.get(tenantId, { minVersion: await headVersion(scope.db) })`.
 */
export async function liveConfig(scope: TenantScope, runtimeConfig: RuntimeConfigCache, opts: { fresh?: boolean } = {}): Promise<LiveConfigView> {
  const cached = await runtimeConfig.get(scope.tenantId)
  if (!opts.fresh) return cached
  const head = await headVersion(scope.db)
  if (head === cached.version) return cached
  const snap = await scope.db.configSnapshot.findFirst({ where: { version: head }, select: { version: true, checksum: true, content: true } })
  return snap ? { version: snap.version, checksum: snap.checksum, items: readSnapshotItems(snap.content) } : cached
}
