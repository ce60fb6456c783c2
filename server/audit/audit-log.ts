// The audit domain: it owns the AuditEntry table. Other domains write entries through
// `recordAudit`, inside their own transaction, and the audit router reads them through `listAudit`.
import type { Prisma } from '../db/client'
import type { Actor, TenantScope, TenantTx } from '../kernel'

/**
 * The tenant-scoped client or a transaction of it. Its tenant is forced into every create
 * (server/db/tenant-db.ts), so an entry always lands in the caller's tenant, in its transaction.
 */
type AuditWriter = TenantScope['db'] | TenantTx

export type AuditEntryInput = { action: string; target: string; before?: unknown; after?: unknown }

export async function recordAudit(db: AuditWriter, actor: Actor, entry: AuditEntryInput): Promise<void> {
  // The tenant id comes from the scoped client itself; the placeholder only satisfies the types.
  const data: Omit<Prisma.AuditEntryUncheckedCreateInput, 'tenantId'> = {
    actorUserId: actor.userId,
    actorTokenId: actor.tokenId,
    action: entry.action,
    target: entry.target,
    before: (entry.before ?? undefined) as Prisma.InputJsonValue | undefined,
    after: (entry.after ?? undefined) as Prisma.InputJsonValue | undefined,
  }
  await db.auditEntry.create({ data: data as Prisma.AuditEntryUncheckedCreateInput })
}

export type AuditQuery = {
  actorUserId?: string
  action?: string
  target?: string
  from?: Date
  to?: Date
  cursor?: string
  limit: number
}

/** Newest first, filtered by actor, action prefix, target substring and date range; cursor-paginated. */
export async function listAudit(scope: TenantScope, input: AuditQuery) {
  const rows = await scope.db.auditEntry.findMany({
    where: {
      actorUserId: input.actorUserId,
      action: input.action ? { startsWith: input.action } : undefined,
      target: input.target ? { contains: input.target } : undefined,
      createdAt: input.from || input.to ? { gte: input.from, lte: input.to } : undefined,
    },
    orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
    take: input.limit + 1,
    cursor: input.cursor ? { tenantId_id: { tenantId: scope.tenantId, id: input.cursor } } : undefined,
    skip: input.cursor ? 1 : 0,
  })
  const hasMore = rows.length > input.limit
  const items = hasMore ? rows.slice(0, input.limit) : rows
  return { items, nextCursor: hasMore ? items[items.length - 1]!.id : null }
}
