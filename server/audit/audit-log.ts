// Writes audit entries. Takes the tenant-scoped client (or a transaction of it) so an entry is
// always written in the caller's tenant, in the caller's transaction.
import type { Prisma } from '../db/client'
import type { TenantDb } from '../db/tenant-db'
import type { Actor } from '../trpc/init'

type AuditWriter = Pick<TenantDb, 'auditEntry'>

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
