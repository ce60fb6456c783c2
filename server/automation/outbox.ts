// The durable outbox (decision 018): every event an automation may react to is written as a row in
// the same transaction as the change it describes, so a committed change always has its event and
// a rolled-back one never does. The automation worker (server/automation/worker.ts) claims rows
// with `FOR UPDATE SKIP LOCKED` and runs the matching automations of `configVersion`.
//
// Producers call `appendOutboxEvent` inside their transaction: the crm's record writes, the inbox's
// ingestion, the SLA timers, approval decisions and the scheduler; and `outboxCommitted` after it
// commits, so that workers start at once rather than at their next poll.
import type { Entity, TriggerEvent } from '../config-language'
import type { Actor, TenantScope, TenantTx } from '../kernel'
import type { EventBus } from '../realtime/event-bus'
import { Prisma } from '../db/client'
import { rowId } from '../db/row-id'
import { TenantSql } from '../db/tenant-sql'

/** The bus signal that wakes idle automation workers on every instance (decision 018). */
export const OUTBOX_SIGNAL = 'automation.outbox'

/**
 * After the transaction that appended events committed: wakes the automation workers now instead
 * of at their next poll. Best effort (a lost signal waits for the poll); coalesced per event-loop turn.
 */
export function outboxCommitted(bus: Pick<EventBus, 'signal'>): void {
  bus.signal(OUTBOX_SIGNAL)
}

export type OutboxEventType = TriggerEvent

/** A record event's facts: the fields that changed with their values before and after. */
export type RecordEventPayload = {
  /** Changed fields (custom ones as `data.<name>`); all written fields for a create. */
  fields: string[]
  /** The record as it was (null for a create). */
  before: Record<string, unknown> | null
  /** The record as it is now (null for a delete). */
  after: Record<string, unknown> | null
  /** Who made the change, as the timeline names them. */
  by: string
}

export type OutboxEventInput = {
  type: OutboxEventType
  entity?: Entity | null
  recordId?: string | null
  payload: Record<string, unknown>
  /** The config snapshot version live when the event happened. */
  configVersion: number
}

/** The row's values, as both appends write them. */
function rowOf(scope: Pick<TenantScope, 'tenantId'>, actor: Actor | null, event: OutboxEventInput) {
  return {
    tenantId: scope.tenantId,
    type: event.type,
    entity: event.entity ?? null,
    recordId: event.recordId ?? null,
    payload: JSON.parse(JSON.stringify(event.payload)) as Prisma.InputJsonValue,
    configVersion: event.configVersion,
    causedByRunId: actor?.cause?.runId ?? null,
    chain: actor?.cause?.chain ?? [],
  }
}

/**
 * Writes one event into the outbox, inside the caller's transaction. When the actor is an
 * automation run (`actor.cause`), the event carries the run's causal chain on, so the engine can
 * stop loops (decision 018).
 */
export async function appendOutboxEvent(
  tx: TenantTx,
  scope: Pick<TenantScope, 'tenantId'>,
  actor: Actor | null,
  event: OutboxEventInput,
): Promise<{ id: string }> {
  return tx.outboxEvent.create({ data: rowOf(scope, actor, event), select: { id: true } })
}

/**
 * `appendOutboxEvent` for a write that used a cached config model: the event is written only if
 * `event.configVersion` is still the tenant's published head (0 before a first publish), checked in the same statement (one
 * round trip where a separate head read took two). False when a newer version is live: the
 * caller's transaction must not commit (record-service.ts throws StaleModelError and retries).
 */
export async function appendOutboxEventIfLive(
  tx: TenantTx,
  scope: Pick<TenantScope, 'tenantId'>,
  actor: Actor | null,
  event: OutboxEventInput,
): Promise<boolean> {
  const row = rowOf(scope, actor, event)
  const sql = new TenantSql(scope.tenantId)
  const inserted = await sql.query<{ id: string }>(
    tx,
    Prisma.sql`
      INSERT INTO "OutboxEvent" ("tenantId", id, type, entity, "recordId", payload, "configVersion", "causedByRunId", chain)
      SELECT ${row.tenantId}, ${rowId()}, ${row.type}, ${row.entity}, ${row.recordId}, ${JSON.stringify(row.payload)}::jsonb,
             ${row.configVersion}, ${row.causedByRunId}, ${JSON.stringify(row.chain)}::jsonb
        FROM (SELECT coalesce(max(t.version), 0) AS version FROM "ConfigHead" t WHERE ${sql.scope('t')}) AS head
       WHERE head.version <= ${row.configVersion}
      RETURNING id`,
  )
  return inserted.length === 1
}
