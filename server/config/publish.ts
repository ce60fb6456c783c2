// Publishing: the tenant's drafts become snapshot N+1 in one transaction, or nothing happens.
// Rollback is a publish whose content is an old snapshot's, so history stays linear.
import { createHash } from 'node:crypto'
import {
  readSnapshotItems,
  addressText,
  parseAddress,
  addressOf,
  canonicalJson,
  checksumInput,
  diffConfigSets,
  sortItems,
  validateConfigSet,
  type ConfigItem,
} from '../config-language'
import { Prisma } from '../db/client'
import type { EventBus } from '../realtime/event-bus'
import { recordAudit } from '../audit/audit-log'
import { ConflictError, InvalidError, NotFoundError, type Actor, type TenantScope, type TenantTx } from '../kernel'
import { cancelApprovalsOfRemovedRules } from '../approvals/approval-hooks'
import type { ViewIndexes } from '../crm/view-indexes'
import { draftSetOf, headVersion, liveSetOf, loadRows, type StoredItem } from './config-store'

export const CONFIG_PUBLISHED = 'config.published'

export type PublishedEvent = {
  version: number
  checksum: string
  message: string
  kind: 'publish' | 'rollback' | 'initial'
  authorLabel: string
  changedItems: number
  at: string
}

export function checksumOf(items: ConfigItem[]): string {
  return createHash('sha256').update(checksumInput(items)).digest('hex')
}

type Tx = TenantTx

/** A publish or rollback that started from an old version: the client learns which one is live. */
export function staleVersion(current: number, expected: number): ConflictError {
  return new ConflictError(
    `The live configuration is at version ${current}, not ${expected}: someone published meanwhile. Review their changes and validate again.`,
    { expectedVersion: expected, currentVersion: current },
  )
}

/**
 * Locks the tenant's head row for the rest of the transaction and checks it is at
 * `expectedVersion`. Publishes and rollbacks of one tenant run one after another from here on: a
 * second publisher waits for the first to commit, then reads the moved head and gets CONFLICT
 * (without the lock, under READ COMMITTED it could instead find its drafts already published by
 * the first and report "nothing to publish"). writeSnapshot's compare-and-set stays the guarantee.
 */
async function lockHeadAt(tx: Tx, tenantId: string, expectedVersion: number) {
  const rows = await tx.$queryRaw<{ version: number }[]>`
    SELECT "version" FROM "ConfigHead" WHERE "tenantId" = ${tenantId} FOR UPDATE`
  const current = rows[0]?.version ?? 0
  if (current !== expectedVersion) throw staleVersion(current, expectedVersion)
}

type WriteSnapshotInput = {
  tenantId: string
  actor: Actor
  kind: PublishedEvent['kind']
  message: string
  expectedVersion: number
  content: ConfigItem[]
  previous: ConfigItem[]
  rollbackOf?: number
}

/**
 * Writes version expectedVersion+1 inside `tx`: the head's compare-and-set (CONFLICT when stale),
 * the snapshot, the item versions, the publish log and the audit entry.
 */
export async function writeSnapshot(tx: Tx, input: WriteSnapshotInput): Promise<PublishedEvent> {
  const version = input.expectedVersion + 1
  const moved =
    input.expectedVersion === 0
      ? (await tx.configHead.createMany({ data: [{ tenantId: input.tenantId, version }], skipDuplicates: true })).count
      : (await tx.configHead.updateMany({ where: { version: input.expectedVersion }, data: { version } })).count
  if (moved === 0) throw staleVersion(await headVersion(tx), input.expectedVersion)
  const diff = diffConfigSets(input.previous, input.content)
  const checksum = checksumOf(input.content)
  await tx.configSnapshot.create({
    data: {
      tenantId: input.tenantId,
      version,
      content: sortItems(input.content) as unknown as Prisma.InputJsonValue,
      checksum,
      authorId: input.actor.userId,
      authorLabel: input.actor.label,
      message: input.message,
      rollbackOf: input.rollbackOf ?? null,
    },
  })
  const byAddress = new Map(input.content.map((i) => [addressOf(i), i]))
  const changed = [...diff.added, ...diff.changed.map((c) => c.address), ...diff.removed]
  if (changed.length) {
    await tx.configItemVersion.createMany({
      data: changed.map((address) => {
        const { namespace, entity, key } = parseAddress(address)!
        const item = byAddress.get(address)
        return {
          tenantId: input.tenantId,
          namespace,
          entity,
          key,
          version,
          content: item ? (item.content as Prisma.InputJsonValue) : undefined,
        }
      }),
    })
  }
  const kindForLog = input.kind
  await tx.configPublishLog.create({
    data: {
      tenantId: input.tenantId,
      version,
      kind: kindForLog,
      actorUserId: input.actor.userId,
      actorTokenId: input.actor.tokenId,
      message: input.message,
      checksum,
      changedItems: changed.length,
    },
  })
  await recordAudit(tx, input.actor, {
    action: `config.${input.kind}`,
    target: `config/v${version}`,
    before: { version: input.expectedVersion },
    after: { version, checksum, message: input.message, added: diff.added, removed: diff.removed, changed: diff.changed.map((c) => c.address) },
  })
  // A removed approval rule can no longer be decided: its pending requests end with this version.
  await cancelApprovalsOfRemovedRules(tx, input.actor, { removed: diff.removed, version })
  return {
    version,
    checksum,
    message: input.message,
    kind: input.kind,
    authorLabel: input.actor.label,
    changedItems: changed.length,
    at: new Date().toISOString(),
  }
}

/** Makes `content` the published state of every item row (drafts cleared, removed rows deleted). */
async function resetItemsTo(tx: Tx, tenantId: string, rows: StoredItem[], content: ConfigItem[], version: number, actor: Actor) {
  const wanted = new Map(content.map((i) => [addressOf(i), i]))
  for (const row of rows) {
    const address = addressText(row)
    const item = wanted.get(address)
    wanted.delete(address)
    const untouched = item && row.draft == null && !row.deletedInDraft && canonicalJson(item.content) === canonicalJson(row.published)
    if (untouched) continue
    const where = { namespace: row.namespace, entity: row.entity, key: row.key, draftRevision: row.draftRevision }
    // The revision guard: a draft saved after we read the rows must not be silently dropped.
    const res = item
      ? await tx.configItem.updateMany({
          where,
          data: {
            published: item.content as Prisma.InputJsonValue,
            draft: Prisma.DbNull,
            deletedInDraft: false,
            publishedVersion: version,
            draftRevision: { increment: 1 },
            updatedById: actor.userId,
          },
        })
      : await tx.configItem.deleteMany({ where })
    if (res.count === 0) {
      throw new ConflictError(`${address} was edited while publishing; publish again`, { address })
    }
  }
  if (wanted.size) {
    await tx.configItem.createMany({
      data: [...wanted.values()].map((i) => ({
        tenantId,
        namespace: i.namespace,
        entity: i.entity,
        key: i.key,
        published: i.content as Prisma.InputJsonValue,
        publishedVersion: version,
        updatedById: actor.userId,
      })),
    })
  }
}

/**
 * What publishing needs besides the scope: the bus it announces new versions on, and the view
 * indexes it hands the new live config to after commit (built in the background, decision 029).
 */
export type PublishDeps = { bus: EventBus; viewIndexes: Pick<ViewIndexes, 'afterPublish'> }

async function announce(scope: TenantScope, deps: PublishDeps, published: { event: PublishedEvent; content: ConfigItem[] }) {
  deps.viewIndexes.afterPublish(scope, published.content)
  const { event } = published
  await deps.bus.publish({ topic: CONFIG_PUBLISHED, tenantId: scope.tenantId, id: String(event.version), payload: event })
  return event
}

export async function publishConfig(
  scope: TenantScope,
  actor: Actor,
  input: { expectedVersion: number; message: string },
  deps: PublishDeps,
): Promise<PublishedEvent> {
  const published = await scope.db.$transaction(
    async (tx) => {
      // A stale version is the first thing to tell: whatever else is wrong with the drafts, the
      // admin has to look at what was published meanwhile before anything else matters.
      await lockHeadAt(tx, scope.tenantId, input.expectedVersion)
      const rows = await loadRows(tx)
      const previous = liveSetOf(rows)
      const content = draftSetOf(rows)
      if (!rows.some((r) => r.draft != null || r.deletedInDraft)) {
        throw new InvalidError('Nothing to publish: there are no pending drafts')
      }
      const { errors } = validateConfigSet(content, { previous })
      if (errors.length) {
        throw new InvalidError(`The drafts have ${errors.length} validation error(s); fix them before publishing`, [], errors)
      }
      const event = await writeSnapshot(tx, {
        tenantId: scope.tenantId,
        actor,
        kind: 'publish',
        message: input.message,
        expectedVersion: input.expectedVersion,
        content,
        previous,
      })
      await resetItemsTo(tx, scope.tenantId, rows, content, event.version, actor)
      return { event, content }
    },
    { timeout: 30_000 },
  )
  // Only after commit: a subscriber that hears of version N must be able to read it.
  return announce(scope, deps, published)
}

export async function rollbackConfig(
  scope: TenantScope,
  actor: Actor,
  input: { toVersion: number; expectedVersion: number },
  deps: PublishDeps,
): Promise<PublishedEvent> {
  const published = await scope.db.$transaction(
    async (tx) => {
      await lockHeadAt(tx, scope.tenantId, input.expectedVersion)
      const target = await tx.configSnapshot.findFirst({ where: { version: input.toVersion }, select: { content: true } })
      if (!target) throw new NotFoundError(`Version ${input.toVersion} not found`)
      const rows = await loadRows(tx)
      const previous = liveSetOf(rows)
      const content = readSnapshotItems(target.content)
      const event = await writeSnapshot(tx, {
        tenantId: scope.tenantId,
        actor,
        kind: 'rollback',
        message: `Rollback to version ${input.toVersion}`,
        expectedVersion: input.expectedVersion,
        content,
        previous,
        rollbackOf: input.toVersion,
      })
      await resetItemsTo(tx, scope.tenantId, rows, content, event.version, actor)
      return { event, content }
    },
    { timeout: 30_000 },
  )
  return announce(scope, deps, published)
}
