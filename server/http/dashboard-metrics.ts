// GET /api/crm/dashboard/metrics?from=<iso>&to=<iso>&timeZone=<iana>[&ownerId=<id>]
// The dashboard's numbers for tools, with an API token (Authorization: Bearer). Authentication,
// tenancy, the permission and the input checks are the procedure's own: it calls
// `dashboard.metrics` through a caller of the request's context (like /api/runtime/config) and
// answers the procedure's JSON unchanged (the result holds only strings, numbers and nulls).
import express, { type Router } from 'express'
import { asProcedureError, sendProcedureError } from './procedure-error'
import { createCallerFactory } from '../trpc/init'
import { createRequestContext, type Services } from '../trpc/context'
import { appRouter } from '../app-router'

const createCaller = createCallerFactory(appRouter)

export const DASHBOARD_METRICS_PATH = '/api/crm/dashboard/metrics'

export function dashboardMetricsRoute(services: Services): Router {
  const routes = express.Router()
  routes.get(DASHBOARD_METRICS_PATH, async (req, res) => {
    try {
      const { from, to, timeZone, ownerId } = req.query
      // Absent parameters stay absent; anything else (repeated, nested) is the procedure's to refuse.
      const input = Object.fromEntries(Object.entries({ from, to, timeZone, ownerId }).filter(([, v]) => v !== undefined))
      const metrics = await createCaller(await createRequestContext(services, req)).dashboard.metrics(input as never)
      res.setHeader('Cache-Control', 'private, no-store')
      res.json(metrics)
    } catch (err) {
      sendProcedureError(res, asProcedureError(err, services.logger, 'dashboard metrics failed', { req }))
    }
  })
  return routes
}
