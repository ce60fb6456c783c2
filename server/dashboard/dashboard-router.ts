// The `dashboard` router: the metrics of one period (docs/api.md). GET /api/crm/dashboard/metrics
// answers the same through this procedure (server/http/dashboard-metrics.ts).
import { z } from 'zod'
import { isValidTimeZone } from '../config-language'
import { callerMay } from '../auth/permissions'
import { permissionProcedure, router } from '../trpc/init'
import { dashboardMetrics } from './dashboard'

const instant = z.iso.datetime({ offset: true }).max(40)

export const metricsInput = z.strictObject({
  from: instant,
  to: instant,
  ownerId: z.string().min(1).max(100).optional(),
  timeZone: z.string().min(1).max(64).refine(isValidTimeZone, 'expected an IANA time zone, e.g. Europe/Berlin'),
})

export const dashboardRouter = router({
  /** Cases, pipeline, SLA, inbox and automation metrics for [from, to), days in `timeZone`. */
  // REST: GET /api/v1/crm/dashboard/metrics; the seed's /api/crm/dashboard/metrics is the plain
  // endpoint in server/http/dashboard-metrics.ts (same procedure, same JSON).
  metrics: permissionProcedure('dashboard:read', {
    method: 'GET',
    path: '/crm/dashboard/metrics',
    summary: 'Dashboard metrics for a period',
    tags: ['Dashboard'],
  })
    .input(metricsInput)
    .query(({ ctx, input }) => {
      // The automations group only for those who may read the run log (role and token scope).
      const tokenScope = ctx.principal.kind === 'token' ? ctx.principal.token.scope : null
      return dashboardMetrics(ctx.scope, input, { mayReadAutomations: callerMay(ctx.role, tokenScope, 'automations:read') })
    }),
})
