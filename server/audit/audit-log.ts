// Writes audit entries. Takes the tenant-scoped client (or a transaction of it) so an entry is
// always written in the caller's tenant, in the caller's transaction.
import type { Prisma } from '../db/client'
import type { Actor } from '../trpc/init'

/** Anything that can create an audit entry: the tenant client, the root client, or a transaction of either. */
type AuditWriter = { auditEntry: { create(args: { data: Prisma.AuditEntryUncheckedCreateInput }): PromiseLike<unknown> } }

export async function recordAudit(
  db: AuditWriter,
  tenantId: string,
  actor: Actor,
  entry: { action: string; target: string; before?: unknown; after?: unknown },
): Promise<void> {
  await db.auditEntry.create({
    data: {
      tenantId,
      actorUserId: actor.userId,
      actorTokenId: actor.tokenId,
      action: entry.action,
      target: entry.target,
      before: (entry.before ?? undefined) as Prisma.InputJsonValue | undefined,
      after: (entry.after ?? undefined) as Prisma.InputJsonValue | undefined,
    },
  })
}
