// Message ingestion (POST /api/inbox/messages → inbox.ingest): one transaction stores the message,
// matches or creates its customer (through the crm's record service, so validation, activity and
// the record event happen), threads it, and writes its `message.received` outbox event; the
// announcements go out after commit. Idempotent on (tenant, channel, externalId): duplicates,
// concurrent ones included, answer the first message's ids with `created: false` (decision 021).
import { Prisma } from '../db/client'
import { limitIngestion, type RateLimiter } from '../auth/rate-limit'
import { appendOutboxEvent } from '../automation/outbox'
import { findCustomerByContact } from '../crm/customer-contacts'
import type { CrmActor, CrmDeps } from '../crm/deps'
import { createRecord, recordWriteModel } from '../crm/record-service'
import type { TenantScope, TenantTx } from '../kernel'
import { announceInboxMessage, announceThreadChange } from './inbox-events'
import type { IngestInput } from './inbox-schemas'
import { previewOf, senderLabel, subjectKey, textOfHtml, THREAD_WINDOW_MS } from './message-text'
import { sanitizeMessageHtml } from './sanitize'

export type IngestDeps = CrmDeps & { rateLimiter: RateLimiter }
export type IngestResult = { messageId: string; threadId: string; customerId: string; created: boolean }

/** Tries of the transaction when a concurrent one created the same thread first (unique key). */
const ATTEMPTS = 3

export async function ingestMessage(scope: TenantScope, actor: CrmActor, input: IngestInput, deps: IngestDeps): Promise<IngestResult> {
  // Per token (the endpoint accepts tokens only; a person calling the procedure counts as themself).
  await limitIngestion(deps.rateLimiter, scope.tenantId, actor.tokenId ? `token:${actor.tokenId}` : `user:${actor.userId ?? actor.label}`)
  const known = await existingMessage(scope.db, scope.tenantId, input)
  if (known) return known
  const html = input.html ? sanitizeMessageHtml(input.html) : null
  const text = input.text.trim() === '' && html ? textOfHtml(html) : input.text
  for (let attempt = 1; ; attempt++) {
    // Read before the transaction: no config read inside it (decision 001).
    const model = await recordWriteModel(scope, deps)
    const afterCommit: (() => Promise<void>)[] = []
    try {
      const outcome = await scope.db.$transaction((tx) => ingestIn(tx, scope, actor, { ...input, text, html }, { model, afterCommit, deps }))
      if (outcome.created) {
        for (const announce of afterCommit) await announce()
        await announceInboxMessage(deps.bus, scope.tenantId, outcome.event)
        await announceThreadChange(deps.bus, scope.tenantId, outcome.threadEvent)
      }
      return outcome.result
    } catch (err) {
      if (!isUniqueViolation(err)) throw err
      // A concurrent duplicate committed first (or created the same new thread): answer its ids.
      const first = await existingMessage(scope.db, scope.tenantId, input)
      if (first) return first
      if (attempt >= ATTEMPTS) throw err
    }
  }
}

type Db = Pick<TenantTx, 'inboxMessage'>

async function existingMessage(db: Db, tenantId: string, input: Pick<IngestInput, 'channel' | 'externalId'>): Promise<IngestResult | null> {
  const row = await db.inboxMessage.findUnique({
    where: { tenantId_channel_externalId: { tenantId, channel: input.channel, externalId: input.externalId } },
    select: { id: true, threadId: true, customerId: true },
  })
  return row ? { messageId: row.id, threadId: row.threadId, customerId: row.customerId, created: false } : null
}

const isUniqueViolation = (err: unknown) => (err as { code?: string } | null)?.code === 'P2002' || /23505|unique constraint/i.test(String(err))

/**
 * Serialises the writers of one key for the rest of the transaction (PostgreSQL; the embedded
 * database runs one transaction at a time anyway). Duplicates of a message wait for the first and
 * then find it; two first messages of a new sender create one customer, not two.
 */
async function lockKey(tx: TenantTx, key: string): Promise<void> {
  await tx.$executeRaw(Prisma.sql`SELECT pg_advisory_xact_lock(hashtextextended(${key}, 0))`)
}

type Prepared = Omit<IngestInput, 'html'> & { html: string | null }

async function ingestIn(
  tx: TenantTx,
  scope: TenantScope,
  actor: CrmActor,
  input: Prepared,
  ctx: { model: Awaited<ReturnType<typeof recordWriteModel>>; afterCommit: (() => Promise<void>)[]; deps: CrmDeps },
) {
  const tenantId = scope.tenantId
  await lockKey(tx, `inbox:${tenantId}:${input.channel}:${input.externalId}`)
  const known = await existingMessage(tx, tenantId, input)
  if (known) return { created: false as const, result: known }

  const from = input.from
  const senderKey = from.email?.toLowerCase() ?? from.phone?.replace(/\D/g, '') ?? `${input.channel}:${from.handle}`
  await lockKey(tx, `inbox-sender:${tenantId}:${senderKey}`)
  const label = senderLabel(from)
  const matched = await findCustomerByContact(scope, tx, from)
  const customerId =
    matched?.id ??
    (await createRecord(
      scope,
      actor,
      {
        entity: 'customer',
        values: { name: label.slice(0, 200), ...(from.email ? { email: from.email } : {}), ...(from.phone ? { phone: from.phone } : {}), tags: ['inbox'] },
        inTransaction: { tx, model: ctx.model, afterCommit: (a) => ctx.afterCommit.push(a) },
      },
      ctx.deps,
    ))!.id

  const receivedAt = input.receivedAt ? new Date(input.receivedAt) : new Date()
  const key = subjectKey(input.subject)
  const thread = await findThread(tx, input, customerId, key, receivedAt)
  const preview = previewOf(input.text)
  const threadId =
    thread?.id ??
    (
      await tx.inboxThread.create({
        data: {
          tenantId,
          customerId,
          channel: input.channel,
          subject: input.subject ?? '',
          subjectKey: key,
          externalThreadId: input.externalThreadId ?? null,
          lastMessageAt: receivedAt,
        },
        select: { id: true },
      })
    ).id

  const message = await tx.inboxMessage.create({
    data: {
      tenantId,
      threadId,
      customerId,
      channel: input.channel,
      direction: 'inbound',
      externalId: input.externalId,
      inReplyTo: input.inReplyTo ?? null,
      sender: from,
      fromLabel: label,
      recipients: input.to === undefined ? Prisma.DbNull : input.to,
      subject: input.subject ?? null,
      text: input.text,
      html: input.html,
      attachments: input.attachments ?? [],
      receivedAt,
    },
    select: { id: true, createdAt: true },
  })
  // A message from the customer reopens a pending or closed conversation; the newest message
  // decides what the list shows (an older message delivered late does not).
  const latest = !thread || receivedAt >= thread.lastMessageAt
  const updated = await tx.inboxThread.update({
    where: { tenantId_id: { tenantId, id: threadId } },
    data: {
      messageCount: { increment: 1 },
      status: 'open',
      version: { increment: 1 },
      ...(latest ? { lastMessageAt: receivedAt, lastPreview: preview, lastFrom: label } : {}),
      ...(!thread?.lastInboundAt || receivedAt > thread.lastInboundAt ? { lastInboundAt: receivedAt } : {}),
    },
    select: { id: true, status: true, assigneeId: true, caseId: true, version: true },
  })
  await appendOutboxEvent(tx, scope, actor, {
    type: 'message.received',
    entity: 'customer',
    recordId: customerId,
    configVersion: ctx.model.version,
    payload: { messageId: message.id, threadId, channel: input.channel, subject: input.subject ?? null, from, caseId: updated.caseId },
  })
  const at = message.createdAt.toISOString()
  return {
    created: true as const,
    result: { messageId: message.id, threadId, customerId, created: true },
    event: { messageId: message.id, threadId, direction: 'inbound' as const, from: label, preview, caseId: updated.caseId, at },
    threadEvent: {
      threadId,
      change: thread ? ('message' as const) : ('created' as const),
      status: updated.status,
      assigneeId: updated.assigneeId,
      caseId: updated.caseId,
      version: updated.version,
      by: label,
      at,
    },
  }
}

/**
 * Threading: the sender's thread id, else the thread of the message it answers, else the same
 * customer's open conversation on this channel with the same subject within the window.
 */
async function findThread(tx: TenantTx, input: Prepared, customerId: string, key: string, receivedAt: Date) {
  const select = { id: true, lastMessageAt: true, lastInboundAt: true } as const
  if (input.externalThreadId) {
    return tx.inboxThread.findFirst({ where: { channel: input.channel, externalThreadId: input.externalThreadId }, select })
  }
  if (input.inReplyTo) {
    const answered = await tx.inboxMessage.findFirst({ where: { channel: input.channel, externalId: input.inReplyTo }, select: { thread: { select } } })
    if (answered) return answered.thread
  }
  return tx.inboxThread.findFirst({
    where: {
      customerId,
      channel: input.channel,
      subjectKey: key,
      status: { not: 'closed' },
      lastMessageAt: { gte: new Date(receivedAt.getTime() - THREAD_WINDOW_MS) },
    },
    orderBy: { lastMessageAt: 'desc' },
    select,
  })
}
