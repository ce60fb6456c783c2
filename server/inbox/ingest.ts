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
import { assertLiveModel, createRecord, recordWriteModel, StaleModelError } from '../crm/record-service'
import { liveModel, type LiveModel } from '../crm/live-model'
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
  // The usual duplicate, a sender's retry of a message already stored, costs this one read.
  const known = await existingMessage(scope.db, scope.tenantId, input)
  if (known) return known
  const html = input.html ? sanitizeMessageHtml(input.html) : null
  const text = input.text.trim() === '' && html ? textOfHtml(html) : input.text
  let fresh = false
  for (let attempt = 1; ; attempt++) {
    // Read before the transaction: no snapshot load inside it (decision 001). The cached model
    // (no query) unless a try found it stale; the transaction checks it before creating a customer.
    const model = fresh ? await recordWriteModel(scope, deps) : await liveModel(scope, deps.runtimeConfig)
    const afterCommit: (() => Promise<void>)[] = []
    try {
      const outcome = await scope.db.$transaction((tx) => ingestIn(tx, scope, actor, { ...input, text, html }, { model, afterCommit, deps }))
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
 * The one lock of an ingestion: its sender, for the rest of the transaction (PostgreSQL; the
 * embedded database runs one transaction at a time anyway). Two first messages of a new sender
 * queue here, and the second finds the customer the first created. Duplicates of one message come
 * from one sender, so concurrent ones queue here too; the later one then fails the unique index on
 * (tenant, channel, externalId), which rolls back its whole transaction (customer, thread change,
 * outbox event) and is answered with the first one's ids (ingestMessage). A lock on the message key
 * plus a read after it would spare that rolled-back work, but cost two statements on every message
 * to help only concurrent duplicates, which the read before the transaction mostly answers.
 */
async function lockSender(tx: TenantTx, tenantId: string, input: Prepared): Promise<void> {
  const from = input.from
  const senderKey = from.email?.toLowerCase() ?? from.phone?.replace(/\D/g, '') ?? `${input.channel}:${from.handle}`
  await tx.$executeRaw(Prisma.sql`SELECT pg_advisory_xact_lock(hashtextextended(${`inbox-sender:${tenantId}:${senderKey}`}, 0))`)
}

type Prepared = Omit<IngestInput, 'html'> & { html: string | null }
type IngestContext = { model: LiveModel; afterCommit: (() => Promise<void>)[]; deps: CrmDeps }

/** The sender's customer: matched by contact, else created through the crm (validation, activity, record event). */
async function senderCustomer(tx: TenantTx, scope: TenantScope, actor: CrmActor, input: Prepared, ctx: IngestContext): Promise<string> {
  const from = input.from
  const matched = await findCustomerByContact(scope, tx, from)
  if (matched) return matched.id
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
  return created!.id
}

async function ingestIn(tx: TenantTx, scope: TenantScope, actor: CrmActor, input: Prepared, ctx: IngestContext) {
  const tenantId = scope.tenantId
  await lockSender(tx, tenantId, input)
  const customerId = await senderCustomer(tx, scope, actor, input, ctx)
  const label = senderLabel(input.from)
  const receivedAt = input.receivedAt ? new Date(input.receivedAt) : new Date()
  const key = subjectKey(input.subject)
  const thread = await findThread(tx, input, customerId, key, receivedAt)
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
