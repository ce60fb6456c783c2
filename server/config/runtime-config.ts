// The live config as the CRM reads it: a per-tenant in-memory cache keyed by version. A
// `config.published` event drops the tenant's entry at once; a cheap head-version check every few
// seconds catches a missed event, so a stale entry cannot outlive `maxAgeMs` by much.
import { readSnapshotItems } from '../config-language'
import type { ConfigItem } from '../config-language'
import type { Db } from '../db/client'
import { forTenant } from '../db/tenant-db'
import type { EventBus } from '../realtime/event-bus'
import { NotFoundError } from '../kernel'
import { headVersion } from './config-store'
import { CONFIG_PUBLISHED } from './publish'

export type LiveConfig = { version: number; checksum: string; createdAt: Date; items: ConfigItem[] }

export interface RuntimeConfigCache {
  /**
   * The tenant's live config. With `minVersion` (a version the caller heard was published), never
   * an older one: the cache is bypassed and the database read again; only a database that really
   * is older (it cannot be, once the publish committed) answers what it has.
   */
  get(tenantId: string, options?: { minVersion?: number }): Promise<LiveConfig>
  close(): void
}

export function createRuntimeConfigCache(deps: { db: Db; bus: EventBus; maxAgeMs?: number }): RuntimeConfigCache {
  const maxAgeMs = deps.maxAgeMs ?? 2_000
  const entries = new Map<string, { config: LiveConfig; checkedAt: number }>()
  const loading = new Map<string, Promise<LiveConfig>>()
  const unsubscribers = new Map<string, () => void>()

  async function load(tenantId: string): Promise<LiveConfig> {
    const db = forTenant(deps.db, tenantId)
    const cached = entries.get(tenantId)
    const version = await headVersion(db)
    if (cached && cached.config.version === version) {
      cached.checkedAt = Date.now()
      return cached.config
    }
    // A tenant's config is created with the tenant (initialize.ts): a read never writes.
    if (version === 0) throw new NotFoundError('This tenant has no configuration')
    const snap = await db.configSnapshot.findFirstOrThrow({
      where: { version },
      select: { version: true, checksum: true, content: true, createdAt: true },
    })
    const config: LiveConfig = { version: snap.version, checksum: snap.checksum, createdAt: snap.createdAt, items: readSnapshotItems(snap.content) }
    entries.set(tenantId, { config, checkedAt: Date.now() })
    if (!unsubscribers.has(tenantId)) {
      unsubscribers.set(
        tenantId,
        deps.bus.subscribe(tenantId, CONFIG_PUBLISHED, () => entries.get(tenantId) && (entries.get(tenantId)!.checkedAt = 0)),
      )
    }
    return config
  }

  // One load per tenant at a time, however many requests arrive together.
  function loadOnce(tenantId: string): Promise<LiveConfig> {
    let pending = loading.get(tenantId)
    if (!pending) {
      pending = load(tenantId).finally(() => loading.delete(tenantId))
      loading.set(tenantId, pending)
    }
    return pending
  }

  return {
    async get(tenantId, options) {
      const minVersion = options?.minVersion ?? 0
      const entry = entries.get(tenantId)
      if (entry && Date.now() - entry.checkedAt < maxAgeMs && entry.config.version >= minVersion) return entry.config
      const loaded = await loadOnce(tenantId)
      if (loaded.version >= minVersion) return loaded
      // The load we joined may have started before that version committed; the next one starts
      // after ours ended (so after the caller heard of the version) and sees it.
      return loadOnce(tenantId)
    },
    close() {
      for (const off of unsubscribers.values()) off()
      unsubscribers.clear()
      entries.clear()
    },
  }
}
