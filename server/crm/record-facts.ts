// What other domains may ask the crm about records they refer to (approvals: a request names a
// record): its title and responsible member, and a line on its timeline. A service module
// (DOMAIN_SERVICES); it imports no other domain, so domains the crm's writes call can call it back.
import { ASSIGNEE_FIELD, ENTITY_INFO, type Entity } from '../config-language'
import type { Actor, TenantScope, TenantTx } from '../kernel'
import type { TenantDb } from '../db/tenant-db'
import { RECORD_TABLES } from './record-tables'

export type RecordFacts = {
  /** How messages name it: `deal "Big renewal"`. */
  title: string
  /** The member responsible for it (owner, or a case's assignee), if any. */
  responsibleId: string | null
  customerId: string | null
}

type Reader = Pick<TenantScope, 'db'>['db'] | TenantTx
type FindMany = (args: object) => Promise<Array<Record<string, unknown> & { id: string }>>

/** Facts of the records that exist (ids of another tenant or missing are absent). */
export async function recordFacts(db: Reader | TenantDb, entity: Entity, ids: readonly string[]): Promise<Map<string, RecordFacts>> {
  if (ids.length === 0) return new Map()
  const table = RECORD_TABLES[entity]
  const responsible = ASSIGNEE_FIELD[entity]
  const findMany = (db as unknown as Record<string, { findMany: FindMany }>)[table.delegate]!.findMany.bind(
    (db as unknown as Record<string, unknown>)[table.delegate],
  )
  const rows = await findMany({
    where: { id: { in: [...new Set(ids)] } },
    select: { id: true, [table.titleField]: true, [responsible]: true, ...(table.hasCustomer ? { customerId: true } : {}) },
  })
  return new Map(
    rows.map((r) => [
      r.id,
      {
        title: `${ENTITY_INFO[entity].singular.toLowerCase()} "${String(r[table.titleField] ?? r.id)}"`,
        responsibleId: (r[responsible] as string | null) ?? null,
        customerId: entity === 'customer' ? r.id : ((r.customerId as string | null) ?? null),
      },
    ]),
  )
}

/** A line on the record's timeline (and its customer's), inside the caller's transaction. */
export async function addRecordActivity(
  tx: TenantTx,
  scope: Pick<TenantScope, 'tenantId'>,
  actor: Actor,
  input: { entity: Entity; recordId: string; customerId: string | null; kind: string; summary: string; changes?: Record<string, unknown> },
): Promise<void> {
  await tx.activity.create({
    data: {
      tenantId: scope.tenantId,
      entity: input.entity,
      recordId: input.recordId,
      customerId: input.customerId,
      kind: input.kind,
      summary: input.summary,
      actor: actor.label,
      actorUserId: actor.userId,
      actorTokenId: actor.tokenId,
      changes: JSON.parse(JSON.stringify(input.changes ?? {})),
    },
  })
}
