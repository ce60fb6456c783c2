// The `inbox` router. For now only the live feed of new messages; list, thread, reply, assign and
// the case links come with the inbox issue.
import { permissionProcedure, router } from '../trpc/init'
import { resumeInput } from '../realtime/buffered-stream'
import { trackedStream } from '../trpc/tracked-stream'
import { inboxMessages } from './inbox-events'

export const inboxRouter = router({
  /** Every new message of the tenant's inbox (inbound and replies), for anyone who may read the CRM. */
  onMessage: permissionProcedure('crm:read')
    .input(resumeInput)
    .subscription(({ ctx, input, signal }) => trackedStream(inboxMessages(ctx.scope, { lastEventId: input?.lastEventId, signal }, ctx.services))),
})
