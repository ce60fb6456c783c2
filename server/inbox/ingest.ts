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
import { assertLiveModel, cachedWriteModel, createRecord, recordWriteModel, StaleModelError } from '../crm/record-service'
import { ConflictError, type TenantScope, type TenantTx } from '../kernel'
import { announceInboxMessage, announceThreadChange } from './inbox-events'
import type { IngestInput } from './inbox-schemas'
import { previewOf, senderLabel, subjectKey, textOfHtml, THREAD_WINDOW_MS } from './message-text'
import { sanitizeMessageHtml } from './sanitize'

export type IngestDeps = CrmDeps & { rateLimiter: RateLimiter }
export type IngestResult = { messageId: string; threadId: string; customerId: string; created: boolean }

/**
 * Tries of the transaction when a concurrent one created the same thread first (unique key) or a
 * publish made the cached model stale.
 */
const ATTEMPTS = 3

export async function ingestMessage(scope: TenantScope, actor: CrmActor, input: IngestInput, deps: IngestDeps): Promise<IngestResult> {
  // Per token (the endpoint accepts tokens only; a person calling the procedure counts as themself).
  await limitIngestion(deps.rateLimiter, scope.tenantId, actor.tokenId ? `token:${actor.tokenId}` : `user:${actor.userId ?? actor.label}`)
  const html = input.html ? sanitizeMessageHtml(input.html) : null
  const text = input.text.trim() === '' && html ? textOfHtml(html) : input.text
  let fresh = false
  for (let attempt = 1; ; attempt++) {
    // Read before the transaction: no snapshot load inside it (decision 001). The cached model
    // (no query) unless a try found it stale; the transaction checks it before creating a customer.
    const model = fresh ? await recordWriteModel(scope, deps) : await cachedWriteModel(scope, deps)
    const afterCommit: (() => Promise<void>)[] = []
    try {
      // Under a burst it queues for a pooled connection (the client's TRANSACTION_OPTIONS, db/client.ts).
      const outcome = await scope.db.$transaction((tx) => ingestIn(tx, scope, actor, { ...input, text, html }, { model, afterCommit, deps }))
      if (!outcome.created) return outcome.result
      for (const announce of afterCommit) await announce()
      await announceInboxMessage(deps.bus, scope.tenantId, outcome.event)
      await announceThreadChange(deps.bus, scope.tenantId, outcome.threadEvent)
      return outcome.result
    } catch (err) {
      if (err instanceof StaleModelError) {
        if (attempt >= ATTEMPTS) throw new ConflictError('The configuration changed meanwhile; send the message again', { reason: 'config' })
        fresh = true
        continue
      }
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
 * The one lock of an ingestion, its sender's (held to the end of the transaction; PostgreSQL only:
 * the embedded database runs one transaction at a time anyway), taken in the same round trip as
 * the read of the message's stored row.
 *
 * The lock makes two first messages of a new sender create one customer (the second finds the
 * first's) and one conversation (the second finds the first's thread). Duplicates of a message
 * come from its sender, so they queue here too. The read answers a retry of a message already
 * stored (the usual duplicate). It sees the database as of the statement's start, so a duplicate
 * that committed while this one waited for the lock is not seen: its insert then fails the unique
 * index on (tenant, channel, externalId), which rolls back the whole transaction (customer, thread
 * change, outbox event) and is answered with the first one's ids (ingestMessage). That wasted
 * work happens only for concurrent duplicates; sparing it (a read before the transaction, a lock on
 * the message key and a read after it, as this was first written) cost three statements on every
 * message.
 */
async function lockSenderAndFindMessage(tx: TenantTx, scope: TenantScope, input: Prepared): Promise<IngestResult | null> {
  const from = input.from
  const senderKey = from.email?.toLowerCase() ?? from.phone?.replace(/\D/g, '') ?? `${input.channel}:${from.handle}`
  const lockKey = `inbox-sender:${scope.tenantId}:${senderKey}`
  const [row] = await scope.sql.query<{ id: string | null; threadId: string | null; customerId: string | null }>(
    tx,
    Prisma.sql`WITH lock AS (SELECT pg_advisory_xact_lock(hashtextextended(${lockKey}, 0)))
      SELECT t.id, t."threadId", t."customerId" FROM lock
      LEFT JOIN "InboxMessage" t ON ${scope.sql.scope('t')} AND t.channel = ${input.channel} AND t."externalId" = ${input.externalId}`,
  )
  return row?.id ? { messageId: row.id, threadId: row.threadId!, customerId: row.customerId!, created: false } : null
}

type Prepared = Omit<IngestInput, 'html'> & { html: string | null }
type IngestContext = { model: Awaited<ReturnType<typeof recordWriteModel>>; afterCommit: (() => Promise<void>)[]; deps: CrmDeps }

/** The sender's customer: matched by contact, else created through the crm (validation, activity, record event). */
async function senderCustomer(tx: TenantTx, scope: TenantScope, actor: CrmActor, input: Prepared, ctx: IngestContext): Promise<{ id: string; isNew: boolean }> {
  const from = input.from
  const matched = await findCustomerByContact(scope, tx, from)
  if (matched) return { id: matched.id, isNew: false }
  // Only this path enforces the config: check the cached model is still the published one.
  await assertLiveModel(tx, ctx.model)
  const created = await createRecord(
    scope,
    actor,
    {
      entity: 'customer',
      values: {
        name: senderLabel(from).slice(0, 200),
        ...(from.email ? { email: from.email } : {}),
        ...(from.phone ? { phone: from.phone } : {}),
        tags: ['inbox'],
      },
      inTransaction: { tx, model: ctx.model, afterCommit: (a) => ctx.afterCommit.push(a) },
    },
    ctx.deps,
  )
  return { id: created!.id, isNew: true }
}

async function ingestIn(tx: TenantTx, scope: TenantScope, actor: CrmActor, input: Prepared, ctx: IngestContext) {
  const tenantId = scope.tenantId
  const known = await lockSenderAndFindMessage(tx, scope, input)
  if (known) return { created: false as const, result: known }
  const customer = await senderCustomer(tx, scope, actor, input, ctx)
  const customerId = customer.id
  const label = senderLabel(input.from)
  const receivedAt = input.receivedAt ? new Date(input.receivedAt) : new Date()
  const key = subjectKey(input.subject)
  const thread = await findThread(tx, input, customer, key, receivedAt)
  const preview = previewOf(input.text)
  const latestState = { lastMessageAt: receivedAt, lastPreview: preview, lastFrom: label }
  const threadSelect = { id: true, status: true, assigneeId: true, caseId: true, version: true } as const
  // A new thread is created as it stands after this message (one statement instead of an insert
  // and an update).
  const updated = thread
    ? await tx.inboxThread.update({
        where: { tenantId_id: { tenantId, id: thread.id } },
        data: {
          messageCount: { increment: 1 },
          status: 'open',
          version: { increment: 1 },
          // A message from the customer reopens a pending or closed conversation; the newest
          // message decides what the list shows (an older message delivered late does not).
          ...(receivedAt >= thread.lastMessageAt ? latestState : {}),
          ...(!thread.lastInboundAt || receivedAt > thread.lastInboundAt ? { lastInboundAt: receivedAt } : {}),
        },
        select: threadSelect,
      })
    : await tx.inboxThread.create({
        data: {
          tenantId,
          customerId,
          channel: input.channel,
          subject: input.subject ?? '',
          subjectKey: key,
          externalThreadId: input.externalThreadId ?? null,
          status: 'open',
          messageCount: 1,
          lastInboundAt: receivedAt,
          ...latestState,
        },
        select: threadSelect,
      })
  const threadId = updated.id

  const message = await tx.inboxMessage.create({
    data: {
      tenantId,
      threadId,
      customerId,
      channel: input.channel,
      direction: 'inbound',
      externalId: input.externalId,
      inReplyTo: input.inReplyTo ?? null,
      sender: input.from,
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
  await appendOutboxEvent(tx, scope, actor, {
    type: 'message.received',
    entity: 'customer',
    recordId: customerId,
    configVersion: ctx.model.version,
    payload: { messageId: message.id, threadId, channel: input.channel, subject: input.subject ?? null, from: input.from, caseId: updated.caseId },
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
async function findThread(tx: TenantTx, input: Prepared, customer: { id: string; isNew: boolean }, key: string, receivedAt: Date) {
  const select = { id: true, lastMessageAt: true, lastInboundAt: true } as const
  if (input.externalThreadId) {
    return tx.inboxThread.findFirst({ where: { channel: input.channel, externalThreadId: input.externalThreadId }, select })
  }
  if (input.inReplyTo) {
    const answered = await tx.inboxMessage.findFirst({ where: { channel: input.channel, externalId: input.inReplyTo }, select: { thread: { select } } })
    if (answered) return answered.thread
  }
  // A customer created in this transaction has no conversations yet.
  if (customer.isNew) return null
  return tx.inboxThread.findFirst({
    where: {
      customerId: customer.id,
      channel: input.channel,
      subjectKey: key,
      status: { not: 'closed' },
      lastMessageAt: { gte: new Date(receivedAt.getTime() - THREAD_WINDOW_MS) },
    },
    orderBy: { lastMessageAt: 'desc' },
    select,
  })
}
