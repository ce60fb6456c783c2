// The Studio's workspace: everything a Studio page shows, read in one consistent go. Before it the
// Studio stitched this together from `config.list`, a `config.get` per drafted item, the runtime
// cache or a snapshot, `config.diff`, `config.validate`, `config.impact` and `config.history`
// (up to five calls on the publish page), each of which could see a different moment.
import { diffConfigSets, validateConfigSet, type ConfigDiff, type ConfigItem, type ValidationResult } from '../config-language'
import type { Actor, TenantScope } from '../kernel'
import { draftSetOf, listItemOf, liveSetOf, loadRows, type ListItem } from './config-store'
import { assessImpact, type Impact } from './impact'

export type WorkspaceItem = ListItem

export type ConfigWorkspace = {
  /** The live version (0 before the tenant has one): the `expectedVersion` of the next publish. */
  version: number
  /** The live snapshot's checksum ('' when there is none). */
  checksum: string
  /** Who published the live version, when and why; null when there is none. */
  last: { version: number; authorLabel: string; message: string; createdAt: Date } | null
  /** Every item of every namespace with its state and revision, in address order. */
  items: WorkspaceItem[]
  /** What a publish would make live: the working copy of every item. */
  drafts: ConfigItem[]
  /** The live version's items. */
  live: ConfigItem[]
  /** The drafts against the live version, item by item and path by path. */
  diff: ConfigDiff
  /** The whole draft set's validation, as a publish would run it. */
  validation: ValidationResult
  /** How many existing records each pending change touches: only when asked (it counts rows). */
  impact?: Impact[]
}

export type WorkspaceInput = { impact?: boolean }

export async function configWorkspace(scope: TenantScope, _actor: Actor, input: WorkspaceInput = {}): Promise<ConfigWorkspace> {
  // One repeatable-read transaction: the items, the head and its snapshot are the same moment, so
  // `version` is exactly the base the shown drafts would be published on.
  const read = await scope.db.$transaction(
    async (tx) => {
      const rows = await loadRows(tx)
      const head = await tx.configHead.findFirst({ select: { version: true } })
      const version = head?.version ?? 0
      // The history's entry (as `config.history` shows it) and the snapshot's author and checksum.
      const [log, snapshot] = await Promise.all([
        tx.configPublishLog.findFirst({ where: { version }, select: { version: true, message: true, createdAt: true } }),
        tx.configSnapshot.findFirst({ where: { version }, select: { checksum: true, authorLabel: true } }),
      ])
      return { rows, version, log, snapshot }
    },
    { isolationLevel: 'RepeatableRead' },
  )
  const { rows, version, log, snapshot } = read
  const drafts = draftSetOf(rows)
  const live = liveSetOf(rows)
  const items = rows.map(listItemOf).sort((a, b) => a.address.localeCompare(b.address))
  return {
    version,
    checksum: snapshot?.checksum ?? '',
    last: log ? { version: log.version, authorLabel: snapshot?.authorLabel ?? '', message: log.message, createdAt: log.createdAt } : null,
    items,
    drafts,
    live,
    diff: diffConfigSets(live, drafts),
    validation: validateConfigSet(drafts, { previous: live }),
    ...(input.impact ? { impact: await assessImpact(scope, live, drafts) } : {}),
  }
}
