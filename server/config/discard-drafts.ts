// Discarding several drafts at once ("Discard all" in the publish center): all of them in one
// transaction, or none. Each item names the revision the admin was shown; if any of them moved on
// (someone saved, discarded or published it meanwhile) nothing is discarded and the CONFLICT says
// which addresses, so the page can reload exactly those instead of leaving half the drafts gone.
import { parseAddress, addressText } from '../config-language'
import { Prisma } from '../db/client'
import { recordAudit } from '../audit/audit-log'
import { ConflictError, invalidInput, type Actor, type InputIssue, type TenantScope } from '../kernel'
import { draftContentOf } from './config-store'

export type DiscardDraftsInput = { items: ReadonlyArray<{ address: string; expectedRevision: number }> }
export type DiscardConflict = { address: string; expectedRevision: number; currentRevision: number }

export async function discardDrafts(scope: TenantScope, actor: Actor, input: DiscardDraftsInput): Promise<{ discarded: string[] }> {
  const issues: InputIssue[] = []
  const seen = new Set<string>()
  const targets = input.items.map((item, i) => {
    const parts = parseAddress(item.address)
    if (!parts) issues.push({ path: ['items', i, 'address'], message: 'An address namespace/entity/key' })
    else if (seen.has(item.address)) issues.push({ path: ['items', i, 'address'], message: `${item.address} is listed twice` })
    seen.add(item.address)
    return { ...item, where: { namespace: parts?.namespace ?? '', entity: parts?.entity ?? '', key: parts?.key ?? '' } }
  })
  if (issues.length) throw invalidInput(issues)

  return scope.db.$transaction(async (tx) => {
    const rows = await tx.configItem.findMany({ where: { OR: targets.map((t) => t.where) } })
    const byAddress = new Map(rows.map((r) => [addressText(r), r]))
    const conflicts: DiscardConflict[] = []
    const discarded: string[] = []
    for (const t of targets) {
      const row = byAddress.get(t.address)
      // A row that is gone was discarded (or never existed): revision 0, as saveDraft counts it.
      const current = row?.draftRevision ?? 0
      if (!row || current !== t.expectedRevision) {
        conflicts.push({ address: t.address, expectedRevision: t.expectedRevision, currentRevision: current })
        continue
      }
      if (row.draft == null && !row.deletedInDraft) continue // nothing pending: nothing to drop
      // Guarded by the revision again: a save that committed after the read above loses nothing.
      const guarded = { ...t.where, draftRevision: t.expectedRevision }
      const res =
        row.published == null
          ? await tx.configItem.deleteMany({ where: guarded })
          : await tx.configItem.updateMany({ where: guarded, data: { draft: Prisma.DbNull, deletedInDraft: false, draftRevision: { increment: 1 } } })
      if (res.count === 0) {
        const now = await tx.configItem.findFirst({ where: t.where, select: { draftRevision: true } })
        conflicts.push({ address: t.address, expectedRevision: t.expectedRevision, currentRevision: now?.draftRevision ?? 0 })
        continue
      }
      await recordAudit(tx, actor, { action: 'config.draft.discard', target: t.address, before: draftContentOf(row), after: row.published })
      discarded.push(t.address)
    }
    // Throwing rolls the whole transaction back: the drafts discarded above come back too.
    if (conflicts.length) {
      const names = conflicts.map((c) => c.address).join(', ')
      throw new ConflictError(`${names} ${conflicts.length === 1 ? 'was' : 'were'} changed meanwhile, so nothing was discarded; reload and try again`, {
        conflicts,
      })
    }
    return { discarded }
  })
}
