// The config domain's answer to "what is live for this tenant?": the service other domains call
// (the CRM's live model, automations) instead of reading config tables. Served from the
// process's runtime cache (runtime-config.ts), which a publish invalidates at once.
import { readSnapshotItems, type ConfigItem } from '../config-language'
import type { Db } from '../db/client'
import { NotFoundError, type TenantScope } from '../kernel'
import { draftSetOf, headVersion, loadRows, type ConfigReader } from './config-store'
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

/**
 * The version published right now, read through `db`: inside a transaction, pass its `tx` (a
 * second connection would deadlock the embedded database, decision 001). One indexed row.
 */
export function liveVersion(db: ConfigReader): Promise<number> {
  return headVersion(db)
}

/**
 * The configuration published as `version` (automations run the snapshot live when their event
 * happened, decision 018). The live one comes from the cache; an older one is read from its snapshot.
 */
export async function snapshotAt(cache: RuntimeConfigCache, scope: Pick<TenantScope, 'tenantId' | 'db'>, version: number): Promise<LiveConfig> {
  const live = await cache.get(scope.tenantId, { minVersion: version })
  if (live.version === version) return live
  const snap = await scope.db.configSnapshot.findFirst({ where: { version }, select: { version: true, checksum: true, content: true, createdAt: true } })
  if (!snap) throw new NotFoundError(`Version ${version} not found`)
  return { version: snap.version, checksum: snap.checksum, createdAt: snap.createdAt, items: readSnapshotItems(snap.content) }
}

/** The working copy the Studio edits: every item's draft, or its published content when it has none. */
export async function draftConfigItems(scope: Pick<TenantScope, 'db'>): Promise<ConfigItem[]> {
  return draftSetOf(await loadRows(scope.db))
}

/** Every tenant that has a configuration (the scheduler's round over tenants; root client, cross-tenant). */
export async function configuredTenants(root: Db): Promise<string[]> {
  const heads = await root.configHead.findMany({ select: { tenantId: true } })
  return heads.map((h) => h.tenantId)
}
