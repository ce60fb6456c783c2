// The `sla` router (docs/api.md): the SLA timers' live stream. Due times and states are read with
// the case itself (`cases.get` / `cases.list` carry `sla`); this says when a timer fired.
import { resumeInput } from '../realtime/buffered-stream'
import { permissionProcedure, router } from '../trpc/init'
import { trackedStream } from '../trpc/tracked-stream'
import { slaTimerEvents } from './sla-events'

export const slaRouter = router({
  /** A case's warning or breach fired (by whichever instance's scanner), for anyone who may read the CRM. */
  onTimerFired: permissionProcedure('crm:read')
    .input(resumeInput)
    .subscription(({ ctx, input, signal }) => trackedStream(slaTimerEvents(ctx.scope, { lastEventId: input?.lastEventId, signal }, ctx.services))),
})
