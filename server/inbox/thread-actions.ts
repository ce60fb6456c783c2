// Working a thread: reply (outbound, with author; then the outbound hook), internal note, assign,
// status, open a case from it or link it to an existing case. Each is one transaction that bumps
// the thread's version, announced after commit. Two replies at once are both kept: a reply inserts
// its own message and increments the counters; only a reply that names `expectedVersion` is
// refused when the thread moved on.
import { recordFirstResponse } from '../sla/case-sla'
import type { Logger } from '../logger'
import type { EventBus } from '../realtime/event-bus'
import type { CrmActor, CrmDeps } from '../crm/deps'
import { createRecord, getRecord, recordWriteModel } from '../crm/record-service'
import { ConflictError, invalidInput, NotFoundError, type Actor, type TenantScope, type TenantTx } from '../kernel'
import { memberRole } from '../members/member-directory'
import { announceInboxMessage, announceThreadChange, type InboxThreadEvent } from './inbox-events'
import type { ThreadStatus } from './inbox-schemas'
import { defaultSender, type MessageSender } from './message-sender'
import { previewOf } from './message-text'
import { MESSAGE_SELECT, threadSummary } from './threads'

export type InboxDeps = CrmDeps & { sender?: MessageSender }

const THREAD_STATE = { id: true, customerId: true, channel: true, subject: true, status: true, assigneeId: true, caseId: true, version: true } as const

async function threadIn(tx: TenantTx, threadId: string) {
  const thread = await tx.inboxThread.findFirst({ where: { id: threadId }, select: THREAD_STATE })
  if (!thread) throw new NotFoundError('Thread not found')
  return thread
}

function staleThread(threadId: string, expected: number, current: number) {
  return new ConflictError(`This conversation changed meanwhile (version ${current}, you saw ${expected}); reload it`, {
    entity: 'thread',
    id: threadId,
    expectedVersion: expected,
    currentVersion: current,
  })
}

/** Bumps the version (and applies `data`) only if it is still `version`; else a CONFLICT. */
async function bump(tx: TenantTx, threadId: string, version: number, data: Record<string, unknown>) {
  const res = await tx.inboxThread.updateMany({ where: { id: threadId, version }, data: { ...data, version: { increment: 1 } } })
  if (res.count === 0) throw staleThread(threadId, version, version + 1)
  return version + 1
}

type ThreadState = { id: string; status: string; assigneeId: string | null; caseId: string | null; version: number }

/** After commit: the thread's state as it now is, with what changed and who changed it. */
async function announce(bus: EventBus, scope: TenantScope, actor: Actor, change: InboxThreadEvent['change'], state: ThreadState) {
  const { id: threadId, status, assigneeId, caseId, version } = state
  await announceThreadChange(bus, scope.tenantId, { threadId, change, status, assigneeId, caseId, version, by: actor.label, at: new Date().toISOString() })
}

async function addMessage(
  scope: TenantScope,
  actor: Actor,
  input: { threadId: string; text: string; expectedVersion?: number },
  direction: 'outbound' | 'note',
  deps: { bus: EventBus },
) {
  const preview = previewOf(input.text)
  const { message, thread, state } = await scope.db.$transaction(async (tx) => {
    const current = await threadIn(tx, input.threadId)
    if (input.expectedVersion !== undefined && current.version !== input.expectedVersion) throw staleThread(current.id, input.expectedVersion, current.version)
    const now = new Date()
    const message = await tx.inboxMessage.create({
      data: {
        tenantId: scope.tenantId,
        threadId: current.id,
        customerId: current.customerId,
        channel: current.channel,
        direction,
        fromLabel: actor.label,
        subject: current.subject || null,
        text: input.text,
        authorUserId: actor.userId,
        authorTokenId: actor.tokenId,
        receivedAt: now,
        createdAt: now,
      },
      select: MESSAGE_SELECT,
    })
    // Increments, not a compare-and-set: a concurrent reply is another message, not a conflict.
    const state = await tx.inboxThread.update({
      where: { tenantId_id: { tenantId: scope.tenantId, id: current.id } },
      data: {
        version: { increment: 1 },
        ...(direction === 'outbound' ? { messageCount: { increment: 1 }, lastMessageAt: now, lastPreview: preview, lastFrom: actor.label } : {}),
      },
      select: { id: true, status: true, assigneeId: true, caseId: true, version: true, customerId: true, channel: true, subject: true },
    })
    // The first response (SLAs): the first outbound reply, set once.
    if (direction === 'outbound') {
      await tx.inboxThread.updateMany({ where: { id: current.id, firstOutboundAt: null }, data: { firstOutboundAt: now } })
      // A reply on a case's conversation meets the case's first-response target (set once).
      if (state.caseId) await recordFirstResponse(tx, scope, { caseId: state.caseId, at: now })
    }
    return { message, thread: current, state }
  })
  await announceInboxMessage(deps.bus, scope.tenantId, {
    messageId: message.id,
    threadId: thread.id,
    direction,
    from: actor.label,
    preview,
    caseId: state.caseId,
    at: message.createdAt.toISOString(),
  })
  await announce(deps.bus, scope, actor, 'message', state)
  return { message, state }
}

/**
 * A reply: stored as outbound with its author, then handed to the sender (the `message.sent` hook).
 * Returns the message and the thread (with `caseId` and `firstOutboundAt`, for SLAs).
 */
export async function replyToThread(
  scope: TenantScope,
  actor: Actor,
  input: { threadId: string; text: string; expectedVersion?: number },
  deps: InboxDeps & { logger: Logger },
) {
  const { message, state } = await addMessage(scope, actor, input, 'outbound', deps)
  const lastInbound = await scope.db.inboxMessage.findFirst({
    where: { threadId: state.id, direction: 'inbound' },
    orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
    select: { sender: true },
  })
  const to = (lastInbound?.sender ?? {}) as { email?: string; phone?: string; handle?: string }
  await (deps.sender ?? defaultSender)
    .send({
      tenantId: scope.tenantId,
      messageId: message.id,
      threadId: state.id,
      customerId: state.customerId,
      channel: state.channel,
      to: { email: to.email, phone: to.phone, handle: to.handle },
      subject: state.subject,
      text: message.text,
      author: actor.label,
      at: message.createdAt.toISOString(),
    })
    .catch((error: unknown) => deps.logger.error('inbox: outbound sender failed', { messageId: message.id, error: String(error) }))
  return { message, thread: await threadSummary(scope, actor, state.id) }
}

/** An internal note: in the conversation for agents, never sent, does not count as a response. */
export async function addNote(scope: TenantScope, actor: Actor, input: { threadId: string; text: string }, deps: { bus: EventBus }) {
  const { message } = await addMessage(scope, actor, input, 'note', deps)
  return { message }
}

/** Assigns the thread to a member of the tenant, or to nobody. */
export async function assignThread(scope: TenantScope, actor: Actor, input: { threadId: string; userId: string | null }, deps: { bus: EventBus }) {
  const state = await scope.db.$transaction(async (tx) => {
    const current = await threadIn(tx, input.threadId)
    if (input.userId !== null && (await memberRole(scope, input.userId, tx)) === null) {
      throw invalidInput([{ path: ['userId'], message: 'Not a member of this workspace' }])
    }
    if (current.assigneeId === input.userId) return current
    const version = await bump(tx, current.id, current.version, { assigneeId: input.userId })
    return { ...current, assigneeId: input.userId, version }
  })
  await announce(deps.bus, scope, actor, 'assigned', state)
  return threadSummary(scope, actor, state.id)
}

export async function setThreadStatus(scope: TenantScope, actor: Actor, input: { threadId: string; status: ThreadStatus }, deps: { bus: EventBus }) {
  const state = await scope.db.$transaction(async (tx) => {
    const current = await threadIn(tx, input.threadId)
    if (current.status === input.status) return current
    const version = await bump(tx, current.id, current.version, { status: input.status })
    return { ...current, status: input.status, version }
  })
  await announce(deps.bus, scope, actor, 'status', state)
  return threadSummary(scope, actor, state.id)
}

/**
 * Opens a case from the thread (subject and customer prefilled, the first message as its
 * description; `values` add or override other case fields) through the crm's record service, in
 * the same transaction that links it. A thread with a case already is a CONFLICT.
 */
export async function openCaseFromThread(scope: TenantScope, actor: CrmActor, input: { threadId: string; values?: Record<string, unknown> }, deps: InboxDeps) {
  const model = await recordWriteModel(scope, deps)
  const afterCommit: (() => Promise<void>)[] = []
  const { state, caseId } = await scope.db.$transaction(async (tx) => {
    const current = await threadIn(tx, input.threadId)
    if (current.caseId) throw new ConflictError('This conversation already has a case', { entity: 'thread', id: current.id, caseId: current.caseId })
    const first = await tx.inboxMessage.findFirst({
      where: { threadId: current.id },
      orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
      select: { text: true, fromLabel: true },
    })
    const subject = (current.subject || `Message from ${first?.fromLabel ?? 'customer'}`).slice(0, 300)
    const created = await createRecord(
      scope,
      actor,
      {
        entity: 'case',
        values: { subject, description: first?.text.slice(0, 20_000) || undefined, ...input.values, customerId: current.customerId },
        inTransaction: { tx, model, afterCommit: (a) => afterCommit.push(a) },
      },
      deps,
    )
    const version = await bump(tx, current.id, current.version, { caseId: created!.id })
    return { state: { ...current, caseId: created!.id, version }, caseId: created!.id }
  })
  for (const a of afterCommit) await a()
  await announce(deps.bus, scope, actor, 'case', { ...state, caseId })
  return { caseId, thread: await threadSummary(scope, actor, state.id) }
}

/** Links the thread to an existing case of the tenant (replacing any earlier link). */
export async function linkThreadToCase(scope: TenantScope, actor: Actor, input: { threadId: string; caseId: string }, deps: { bus: EventBus }) {
  const state = await scope.db.$transaction(async (tx) => {
    const current = await threadIn(tx, input.threadId)
    await getRecord({ db: tx as unknown as TenantScope['db'] }, null, { entity: 'case', id: input.caseId })
    if (current.caseId === input.caseId) return current
    const version = await bump(tx, current.id, current.version, { caseId: input.caseId })
    return { ...current, caseId: input.caseId, version }
  })
  await announce(deps.bus, scope, actor, 'case', state)
  return threadSummary(scope, actor, state.id)
}
