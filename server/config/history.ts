// The config domain's history service: published versions, one snapshot, diffs between any two
// versions or against the drafts, and the impact of the pending drafts on existing records.
import { readSnapshotItems, diffConfigSets, type ConfigItem } from '../config-language'
import { NotFoundError, type TenantScope } from '../kernel'
import type { ConfigReader } from './config-store'
import { draftSetOf, liveSetOf, loadRows } from './config-store'
import { assessImpact } from './impact'

async function loadSnapshot(db: ConfigReader, version: number): Promise<ConfigItem[]> {
  const snap = await db.configSnapshot.findFirst({ where: { version }, select: { content: true } })
  if (!snap) throw new NotFoundError(`Version ${version} not found`)
  return readSnapshotItems(snap.content)
}

/** Published versions, newest first. */
export async function listHistory(scope: TenantScope, input?: { cursor?: number; limit?: number }) {
  const limit = input?.limit ?? 20
  const rows = await scope.db.configPublishLog.findMany({
    where: input?.cursor ? { version: { lt: input.cursor } } : undefined,
    orderBy: { version: 'desc' },
    take: limit + 1,
    select: { version: true, kind: true, message: true, checksum: true, changedItems: true, createdAt: true, actorUserId: true, actorTokenId: true },
  })
  const snaps = await scope.db.configSnapshot.findMany({
    where: { version: { in: rows.map((r) => r.version) } },
    select: { version: true, authorLabel: true, rollbackOf: true },
  })
  const byVersion = new Map(snaps.map((s) => [s.version, s]))
  const items = rows
    .slice(0, limit)
    .map((r) => ({ ...r, authorLabel: byVersion.get(r.version)?.authorLabel ?? '', rollbackOf: byVersion.get(r.version)?.rollbackOf ?? null }))
  return { items, nextCursor: rows.length > limit ? items[items.length - 1]!.version : null }
}

/** One published version with its content. */
export async function getSnapshot(scope: TenantScope, version: number) {
  const snap = await scope.db.configSnapshot.findFirst({ where: { version } })
  if (!snap) throw new NotFoundError(`Version ${version} not found`)
  return {
    version: snap.version,
    checksum: snap.checksum,
    message: snap.message,
    authorLabel: snap.authorLabel,
    createdAt: snap.createdAt,
    rollbackOf: snap.rollbackOf,
    items: readSnapshotItems(snap.content),
  }
}

/** Item-level diff with changed paths: any two versions, or the drafts against the live version. */
export async function diffVersions(scope: TenantScope, input: { from: number | 'live'; to: number | 'draft' }) {
  const rows = input.from === 'live' || input.to === 'draft' ? await loadRows(scope.db) : []
  const before = input.from === 'live' ? liveSetOf(rows) : await loadSnapshot(scope.db, input.from)
  const after = input.to === 'draft' ? draftSetOf(rows) : await loadSnapshot(scope.db, input.to)
  return diffConfigSets(before, after)
}

/** For the pending drafts: how many existing records each change touches. */
export async function draftImpact(scope: TenantScope) {
  const rows = await loadRows(scope.db)
  return assessImpact(scope, liveSetOf(rows), draftSetOf(rows))
}
