// The `inbox` router: ingestion (the HTTP endpoint calls `ingest`), the thread list and
// conversation, the work on a thread, and the live feeds. One service call each (server/inbox/).
import { permissionProcedure, router } from '../trpc/init'
import { resumeInput } from '../realtime/buffered-stream'
import { trackedStream } from '../trpc/tracked-stream'
import { crmCall } from '../crm/record-router'
import { inboxMessages, inboxThreadChanges } from './inbox-events'
import {
  assignInput,
  ingestInput,
  linkToCaseInput,
  listThreadsInput,
  markReadInput,
  noteInput,
  openCaseInput,
  replyInput,
  setStatusInput,
  threadInput,
} from './inbox-schemas'
import { ingestMessage } from './ingest'
import { listThreads, markRead, readThread, unreadCount } from './threads'
import { addNote, assignThread, linkThreadToCase, openCaseFromThread, replyToThread, setThreadStatus } from './thread-actions'

export const inboxRouter = router({
  /** Stores a message from outside (idempotent on channel + externalId): `{messageId, threadId, customerId, created}`. */
  // REST: POST /api/v1/inbox/messages. The seed's /api/inbox/messages and /api/crm/inbox/messages
  // are the plain endpoint (server/http/inbox-ingest.ts: 201 for a new message, 200 for a repeat).
  ingest: permissionProcedure('inbox:ingest', {
    method: 'POST',
    path: '/inbox/messages',
    summary: 'Ingest a message (idempotent on channel + externalId)',
    tags: ['Inbox'],
  })
    .input(ingestInput)
    .mutation(({ ctx, input }) => {
      const { scope, actor, deps } = crmCall(ctx)
      return ingestMessage(scope, actor, input, { ...deps, rateLimiter: ctx.services.rateLimiter })
    }),

  /** Threads, unread (for the caller) first, then newest; filters and a keyset cursor. */
  list: permissionProcedure('crm:read')
    .input(listThreadsInput)
    .query(({ ctx, input }) => listThreads(ctx.scope, ctx.actor, input ?? {})),

  /** How many threads have messages the caller has not read (the side nav's badge). */
  unreadCount: permissionProcedure('crm:read').query(({ ctx }) => unreadCount(ctx.scope, ctx.actor)),

  /** The conversation: thread, customer, case and the newest 100 messages in order. */
  thread: permissionProcedure('crm:read')
    .input(threadInput)
    .query(({ ctx, input }) => readThread(ctx.scope, ctx.actor, input)),

  reply: permissionProcedure('inbox:reply')
    .input(replyInput)
    .mutation(({ ctx, input }) => replyToThread(ctx.scope, ctx.actor, input, crmCall(ctx).deps)),

  note: permissionProcedure('inbox:reply')
    .input(noteInput)
    .mutation(({ ctx, input }) => addNote(ctx.scope, ctx.actor, input, ctx.services)),

  assign: permissionProcedure('inbox:reply')
    .input(assignInput)
    .mutation(({ ctx, input }) => assignThread(ctx.scope, ctx.actor, input, ctx.services)),

  setStatus: permissionProcedure('inbox:reply')
    .input(setStatusInput)
    .mutation(({ ctx, input }) => setThreadStatus(ctx.scope, ctx.actor, input, ctx.services)),

  openCase: permissionProcedure('crm:write')
    .input(openCaseInput)
    .mutation(({ ctx, input }) => {
      const { scope, actor, deps } = crmCall(ctx)
      return openCaseFromThread(scope, actor, input, deps)
    }),

  linkToCase: permissionProcedure('crm:write')
    .input(linkToCaseInput)
    .mutation(({ ctx, input }) => linkThreadToCase(ctx.scope, ctx.actor, input, ctx.services)),

  /** Reading is per person: marks the thread read for the caller only. */
  markRead: permissionProcedure('crm:read')
    .input(markReadInput)
    .mutation(({ ctx, input }) => markRead(ctx.scope, ctx.actor, input)),

  /** Every new message of the tenant's inbox (inbound, replies and notes), for anyone who may read the CRM. */
  onMessage: permissionProcedure('crm:read')
    .input(resumeInput)
    .subscription(({ ctx, input, signal }) => trackedStream(inboxMessages(ctx.scope, { lastEventId: input?.lastEventId, signal }, ctx.services))),

  /** Thread changes (new, message, assigned, status, case), so open inboxes stay current. */
  onThreadChanged: permissionProcedure('crm:read')
    .input(resumeInput)
    .subscription(({ ctx, input, signal }) => trackedStream(inboxThreadChanges(ctx.scope, { lastEventId: input?.lastEventId, signal }, ctx.services))),
})
