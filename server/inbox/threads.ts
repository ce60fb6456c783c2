// Reading the inbox: the thread list (unread first, filters, search, keyset pages), one thread's
// conversation, the caller's unread count, and marking a thread read. Read state is per reader
// (a person, or a token): a thread is unread for them when a message came in after they last read it.
import { Prisma } from '../db/client'
import { customerCards } from '../crm/customer-contacts'
import { getRecord } from '../crm/record-service'
import { invalidInput, NotFoundError, type Actor, type TenantScope } from '../kernel'
import { memberNames } from '../members/member-directory'
import type { ListThreadsInput } from './inbox-schemas'

/** Whose read state: a person's user id, or `token:<id>` for a token. */
export const readerOf = (actor: Pick<Actor, 'userId' | 'tokenId' | 'label'>) =>
  actor.userId ?? (actor.tokenId ? `token:${actor.tokenId}` : `system:${actor.label}`)

type ThreadRow = {
  id: string
  customerId: string
  channel: string
  subject: string
  status: string
  assigneeId: string | null
  caseId: string | null
  messageCount: number
  lastMessageAt: Date
  lastInboundAt: Date | null
  lastPreview: string
  lastFrom: string
  firstOutboundAt: Date | null
  version: number
  createdAt: Date
  unread: number
}

const THREAD_COLUMNS = Prisma.sql`t.id, t."customerId", t.channel, t.subject, t.status, t."assigneeId", t."caseId", t."messageCount", t."lastMessageAt",
  t."lastInboundAt", t."lastPreview", t."lastFrom", t."firstOutboundAt", t.version, t."createdAt"`

/** 1 when a message came in after the reader last read the thread (or never did). */
const unreadExpr = Prisma.sql`CASE WHEN t."lastInboundAt" IS NOT NULL AND (r."readAt" IS NULL OR r."readAt" < t."lastInboundAt") THEN 1 ELSE 0 END`

function readJoin(reader: string) {
  return Prisma.sql`LEFT JOIN "InboxRead" r ON r."tenantId" = t."tenantId" AND r."threadId" = t.id AND r."userId" = ${reader}`
}

const encodeCursor = (r: Pick<ThreadRow, 'unread' | 'lastMessageAt' | 'id'>) =>
  Buffer.from(JSON.stringify([r.unread, r.lastMessageAt.toISOString(), r.id])).toString('base64url')

function decodeCursor(cursor: string): [number, Date, string] {
  try {
    const [unread, at, id] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as [unknown, unknown, unknown]
    const date = new Date(String(at))
    if ((unread === 0 || unread === 1) && !Number.isNaN(date.getTime()) && typeof id === 'string') return [unread, date, id]
  } catch {
    // falls through to the error below
  }
  throw invalidInput([{ path: ['cursor'], message: 'Not a cursor of this list' }])
}

/** A page of threads, unread first, then newest; with the customer's name and the assignee's. */
export async function listThreads(scope: TenantScope, actor: Actor, input: ListThreadsInput) {
  const limit = input.limit ?? 25
  const where: Prisma.Sql[] = [scope.sql.scope('t')]
  if (input.status) where.push(Prisma.sql`t.status = ${input.status}`)
  if (input.channel) where.push(Prisma.sql`t.channel = ${input.channel}`)
  if (input.customerId) where.push(Prisma.sql`t."customerId" = ${input.customerId}`)
  if (input.caseId) where.push(Prisma.sql`t."caseId" = ${input.caseId}`)
  if (input.assignee === 'unassigned') where.push(Prisma.sql`t."assigneeId" IS NULL`)
  else if (input.assignee) where.push(Prisma.sql`t."assigneeId" = ${input.assignee === 'me' ? (actor.userId ?? '') : input.assignee}`)
  const search = input.search?.trim()
  if (search) {
    const like = `%${search.replace(/[\\%_]/g, (c) => `\\${c}`)}%`
    where.push(
      Prisma.sql`(t.subject ILIKE ${like} OR t."lastFrom" ILIKE ${like} OR t."lastPreview" ILIKE ${like}
        OR EXISTS (SELECT 1 FROM "InboxMessage" m WHERE m."tenantId" = t."tenantId" AND m."threadId" = t.id AND m.text ILIKE ${like}))`,
    )
  }
  const after = input.cursor ? decodeCursor(input.cursor) : null
  const page = Prisma.sql`SELECT * FROM (
      SELECT ${THREAD_COLUMNS}, ${unreadExpr} AS unread FROM "InboxThread" t ${readJoin(readerOf(actor))}
      WHERE ${Prisma.join(where, ' AND ')}
    ) s
    ${after ? Prisma.sql`WHERE (s.unread, s."lastMessageAt", s.id) < (${after[0]}, ${after[1]}, ${after[2]})` : Prisma.empty}
    ORDER BY s.unread DESC, s."lastMessageAt" DESC, s.id DESC LIMIT ${limit + 1}`
  const rows = await scope.sql.query<ThreadRow>(scope.db, page)
  const more = rows.length > limit
  const threads = await decorate(scope, more ? rows.slice(0, limit) : rows)
  return { threads, nextCursor: more ? encodeCursor(rows[limit - 1]!) : null }
}

/** Threads with a message the reader has not read: the side nav's badge. */
export async function unreadCount(scope: TenantScope, actor: Actor): Promise<{ unread: number }> {
  const [row] = await scope.sql.query<{ n: number }>(
    scope.db,
    Prisma.sql`SELECT count(*)::int AS n FROM "InboxThread" t ${readJoin(readerOf(actor))} WHERE ${scope.sql.scope('t')} AND ${unreadExpr} = 1`,
  )
  return { unread: row?.n ?? 0 }
}

async function decorate(scope: TenantScope, rows: ThreadRow[]) {
  const [customers, assignees] = await Promise.all([
    customerCards(
      scope,
      rows.map((r) => r.customerId),
    ),
    memberNames(
      scope,
      rows.map((r) => r.assigneeId).filter((id): id is string => id !== null),
    ),
  ])
  return rows.map(({ unread, ...r }) => ({
    ...r,
    unread: Number(unread) === 1,
    customer: customers.get(r.customerId) ?? null,
    assignee: r.assigneeId ? { userId: r.assigneeId, name: assignees.get(r.assigneeId) ?? 'Former member' } : null,
  }))
}

export type ThreadSummary = Awaited<ReturnType<typeof decorate>>[number]

/** One thread (by id) as the list shows it, for the reader; NotFoundError when missing or foreign. */
export async function threadSummary(scope: TenantScope, actor: Actor, threadId: string): Promise<ThreadSummary> {
  const rows = await scope.sql.query<ThreadRow>(
    scope.db,
    Prisma.sql`SELECT ${THREAD_COLUMNS}, ${unreadExpr} AS unread FROM "InboxThread" t ${readJoin(readerOf(actor))} WHERE ${scope.sql.scope('t')} AND t.id = ${threadId}`,
  )
  if (!rows[0]) throw new NotFoundError('Thread not found')
  return (await decorate(scope, rows))[0]!
}

const MESSAGE_PAGE = 100
export const MESSAGE_SELECT = {
  id: true,
  direction: true,
  channel: true,
  fromLabel: true,
  sender: true,
  subject: true,
  text: true,
  html: true,
  attachments: true,
  authorUserId: true,
  authorTokenId: true,
  receivedAt: true,
  createdAt: true,
} as const

/**
 * The conversation: the thread, its customer and case, and its newest 100 messages in order
 * (older ones with `cursor` = the previous `olderCursor`).
 */
export async function readThread(scope: TenantScope, actor: Actor, input: { threadId: string; cursor?: string }) {
  const thread = await threadSummary(scope, actor, input.threadId)
  let before: { createdAt: Date; id: string } | null = null
  if (input.cursor) {
    before = await scope.db.inboxMessage.findFirst({ where: { id: input.cursor, threadId: thread.id }, select: { createdAt: true, id: true } })
    if (!before) throw invalidInput([{ path: ['cursor'], message: 'Not a message of this thread' }])
  }
  const newestFirst = await scope.db.inboxMessage.findMany({
    where: {
      threadId: thread.id,
      ...(before ? { OR: [{ createdAt: { lt: before.createdAt } }, { createdAt: before.createdAt, id: { lt: before.id } }] } : {}),
    },
    orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
    take: MESSAGE_PAGE + 1,
    select: MESSAGE_SELECT,
  })
  const more = newestFirst.length > MESSAGE_PAGE
  const messages = (more ? newestFirst.slice(0, MESSAGE_PAGE) : newestFirst).reverse()
  const caseRecord = thread.caseId ? await getRecord(scope, null, { entity: 'case', id: thread.caseId }).catch(() => null) : null
  return {
    thread,
    case: caseRecord ? { id: caseRecord.id, subject: String(caseRecord.subject ?? ''), status: String(caseRecord.status ?? '') } : null,
    messages,
    olderCursor: more ? messages[0]!.id : null,
  }
}

/** Marks the thread read for the caller, up to now. */
export async function markRead(scope: TenantScope, actor: Actor, input: { threadId: string }): Promise<{ ok: true }> {
  const exists = await scope.db.inboxThread.count({ where: { id: input.threadId } })
  if (!exists) throw new NotFoundError('Thread not found')
  const userId = readerOf(actor)
  const readAt = new Date()
  await scope.db.inboxRead.upsert({
    where: { tenantId_threadId_userId: { tenantId: scope.tenantId, threadId: input.threadId, userId } },
    create: { tenantId: scope.tenantId, threadId: input.threadId, userId, readAt },
    update: { readAt },
  })
  return { ok: true }
}
