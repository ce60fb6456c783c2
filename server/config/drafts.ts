// The config domain's editing service: items with their draft/published state, saving and
// discarding drafts under an optimistic revision, validating the draft set. Plain functions of
// `(scope, actor, input)` that throw kernel errors: a procedure, a script or a worker call them
// alike (docs/decisions/016-domain-core.md).
import { addressText, validateConfigSet, validateItem, type Namespace } from '../config-language'
import { Prisma } from '../db/client'
import { recordAudit } from '../audit/audit-log'
import { ConflictError, InvalidError, NotFoundError, type Actor, type TenantScope } from '../kernel'
import { draftContentOf, draftSetOf, headVersion, liveSetOf, listItemOf, loadRows, stateOf } from './config-store'

export type ItemAddress = { namespace: Namespace; entity: string; key: string }

/** Drafts are small documents: a larger one is refused, not stored. */
export const MAX_CONTENT_BYTES = 256_000

/** A save or discard that started from another revision than the stored one: what the client needs to reload. */
function staleRevision(address: ItemAddress, expectedRevision: number, currentRevision: number, message: string): ConflictError {
  return new ConflictError(message, { address: addressText(address), expectedRevision, currentRevision })
}

/** Every item with its draft/published state, plus the live version. */
export async function listItems(scope: TenantScope, filter?: { namespace?: string; entity?: string }) {
  const rows = await loadRows(scope.db)
  const items = rows
    .filter((r) => (!filter?.namespace || r.namespace === filter.namespace) && (!filter?.entity || r.entity === filter.entity))
    .map(listItemOf)
    .sort((a, b) => a.address.localeCompare(b.address))
  return { version: await headVersion(scope.db), items }
}

/** One item: its working copy (draft, or published when there is no draft) and its published content. */
export async function getItem(scope: TenantScope, address: ItemAddress) {
  const { namespace, entity, key } = address
  const row = await scope.db.configItem.findFirst({ where: { namespace, entity, key } })
  if (!row) throw new NotFoundError(`${addressText(address)} not found`)
  return {
    address: addressText(row),
    namespace,
    entity,
    key,
    state: stateOf(row),
    content: draftContentOf(row),
    published: row.published,
    draftRevision: row.draftRevision,
    publishedVersion: row.publishedVersion,
    updatedAt: row.updatedAt,
  }
}

export type SaveDraftInput = ItemAddress & { expectedRevision: number; content?: unknown; delete?: true }

/**
 * Saves a draft (or, with `delete: true`, marks the item for removal). `expectedRevision` is the
 * revision the editor started from (0 for a new item); a stale one is a conflict, never an
 * overwrite. Returns the new revision and this item's validation issues in context.
 */
export async function saveDraft(scope: TenantScope, actor: Actor, input: SaveDraftInput) {
  const { namespace, entity, key } = input
  const address = { namespace, entity, key }
  if (!input.delete && (input.content === undefined || input.content === null || typeof input.content !== 'object')) {
    throw new InvalidError('content must be a JSON object (or pass delete: true)')
  }
  const json = JSON.stringify(input.content ?? null)
  if (json.length > MAX_CONTENT_BYTES) throw new InvalidError(`content is larger than ${MAX_CONTENT_BYTES} bytes`)
  // Stored (and audited) as JSON makes it: undefined properties, which Prisma refuses, are left out.
  const content = input.delete ? undefined : (JSON.parse(json) as Prisma.InputJsonValue)
  const saved = await scope.db.$transaction(async (tx) => {
    const row = await tx.configItem.findFirst({ where: address })
    const stale = (current = row?.draftRevision ?? 0) =>
      staleRevision(
        address,
        input.expectedRevision,
        current,
        `${addressText(address)} changed meanwhile (revision ${current}, you edited ${input.expectedRevision}); reload it`,
      )
    if (!row) {
      if (input.delete) throw new NotFoundError(`${addressText(address)} not found`)
      if (input.expectedRevision !== 0) throw stale()
      await tx.configItem.create({ data: { tenantId: scope.tenantId, namespace, entity, key, draft: content, draftRevision: 1, updatedById: actor.userId } })
    } else {
      // Removing an item that was never published simply forgets it.
      if (input.delete && row.published == null) {
        const res = await tx.configItem.deleteMany({ where: { ...address, draftRevision: input.expectedRevision } })
        if (res.count === 0) throw stale()
      } else {
        const res = await tx.configItem.updateMany({
          where: { ...address, draftRevision: input.expectedRevision },
          data: input.delete
            ? { deletedInDraft: true, draft: Prisma.DbNull, draftRevision: { increment: 1 }, updatedById: actor.userId }
            : { draft: content, deletedInDraft: false, draftRevision: { increment: 1 }, updatedById: actor.userId },
        })
        if (res.count === 0) throw stale()
      }
    }
    await recordAudit(tx, actor, {
      action: input.delete ? 'config.draft.delete' : 'config.draft.save',
      target: addressText(address),
      before: row ? draftContentOf(row) : null,
      after: input.delete ? null : content,
    })
    return { draftRevision: input.delete && row?.published == null ? 0 : input.expectedRevision + 1 }
  })
  const rows = await loadRows(scope.db)
  const set = draftSetOf(rows)
  const item = set.find((i) => i.namespace === namespace && i.entity === entity && i.key === key)
  const issues = item ? validateItem(item, set, { previous: liveSetOf(rows) }) : { errors: [], warnings: [] }
  return { ...saved, ...issues }
}

/**
 * Drops an item's draft (a never-published item goes altogether). With `expectedRevision`, only
 * the draft the admin saw: one another admin saved since is a conflict, not silently thrown away.
 */
export async function discardDraft(scope: TenantScope, actor: Actor, input: ItemAddress & { expectedRevision?: number }) {
  const { expectedRevision, ...rest } = input
  const address = { namespace: rest.namespace, entity: rest.entity, key: rest.key }
  await scope.db.$transaction(async (tx) => {
    const row = await tx.configItem.findFirst({ where: address })
    if (!row) throw new NotFoundError(`${addressText(address)} not found`)
    const revision = expectedRevision ?? row.draftRevision
    const stale = () =>
      staleRevision(
        address,
        revision,
        row.draftRevision,
        `${addressText(address)} was changed meanwhile (revision ${row.draftRevision}, not ${revision}); reload it first`,
      )
    if (revision !== row.draftRevision) throw stale()
    if (row.draft == null && !row.deletedInDraft) return
    const guarded = { ...address, draftRevision: revision }
    const res =
      row.published == null
        ? await tx.configItem.deleteMany({ where: guarded })
        : await tx.configItem.updateMany({ where: guarded, data: { draft: Prisma.DbNull, deletedInDraft: false, draftRevision: { increment: 1 } } })
    if (res.count === 0) throw stale()
    await recordAudit(tx, actor, { action: 'config.draft.discard', target: addressText(address), before: draftContentOf(row), after: row.published })
  })
  return { ok: true }
}

/** Validates the whole draft set, or one item in the context of the rest. */
export async function validateDrafts(scope: TenantScope, input?: { item?: ItemAddress }) {
  const rows = await loadRows(scope.db)
  const set = draftSetOf(rows)
  const previous = liveSetOf(rows)
  if (!input?.item) return validateConfigSet(set, { previous })
  const target = input.item
  const item = set.find((i) => i.namespace === target.namespace && i.entity === target.entity && i.key === target.key)
  if (!item) throw new NotFoundError(`${addressText(target)} not found in the drafts`)
  return validateItem(item, set, { previous })
}
