// Reading a tenant's config out of the database: the draft set (what a publish would make live),
// the live set, and the head version. Works on the tenant-scoped client or a transaction of it.
import { addressText, sortItems, type ConfigItem, type EntitySegment, type Namespace } from '../config-language'
import type { TenantDb } from '../db/tenant-db'

export type ConfigReader = Pick<TenantDb, 'configItem' | 'configHead' | 'configSnapshot'>

export type ItemState = 'live' | 'modified' | 'new' | 'deleted'

export type StoredItem = {
  namespace: string
  entity: string
  key: string
  draft: unknown
  draftRevision: number
  deletedInDraft: boolean
  published: unknown
  publishedVersion: number | null
  updatedAt: Date
}

/** An item as the Studio's lists show it: address, state and revisions, never its content. */
export type ListItem = {
  address: string
  namespace: Namespace
  entity: EntitySegment
  key: string
  state: ItemState
  draftRevision: number
  publishedVersion: number | null
  updatedAt: Date
}

export function listItemOf(r: StoredItem): ListItem {
  return {
    address: addressText(r),
    // Stored rows were accepted by the address schema when their draft was saved.
    namespace: r.namespace as Namespace,
    entity: r.entity as EntitySegment,
    key: r.key,
    state: stateOf(r),
    draftRevision: r.draftRevision,
    publishedVersion: r.publishedVersion,
    updatedAt: r.updatedAt,
  }
}

export function stateOf(row: Pick<StoredItem, 'draft' | 'deletedInDraft' | 'published'>): ItemState {
  if (row.deletedInDraft) return 'deleted'
  if (row.published == null) return 'new'
  return row.draft == null ? 'live' : 'modified'
}

/** The content a publish would make live for this row, or null when the row leaves the set. */
export function draftContentOf(row: Pick<StoredItem, 'draft' | 'deletedInDraft' | 'published'>): unknown {
  if (row.deletedInDraft) return null
  return row.draft ?? row.published
}

export async function loadRows(db: ConfigReader): Promise<StoredItem[]> {
  return db.configItem.findMany({
    select: {
      namespace: true,
      entity: true,
      key: true,
      draft: true,
      draftRevision: true,
      deletedInDraft: true,
      published: true,
      publishedVersion: true,
      updatedAt: true,
    },
  })
}

function toItems(rows: StoredItem[], pick: (r: StoredItem) => unknown): ConfigItem[] {
  const items: ConfigItem[] = []
  for (const r of rows) {
    const content = pick(r)
    if (content != null) items.push({ namespace: r.namespace, entity: r.entity, key: r.key, content } as ConfigItem)
  }
  return sortItems(items)
}

export const draftSetOf = (rows: StoredItem[]) => toItems(rows, draftContentOf)
export const liveSetOf = (rows: StoredItem[]) => toItems(rows, (r) => r.published)

export async function headVersion(db: ConfigReader): Promise<number> {
  const head = await db.configHead.findFirst({ select: { version: true } })
  return head?.version ?? 0
}
