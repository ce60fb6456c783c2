// GET /api/crm/:entity/export.csv?view=<key>&search=<text>&filter=<json>&sort=<json>
// Streams a view as CSV. Authentication, tenancy and the permission check are the procedures'
// own: each page is `<entity>.exportPage` through a caller of the request's context (like
// /api/runtime/config), 1000 rows at a time along the keyset cursor, written with backpressure,
// so 100,000 rows stream with flat memory.
import { once } from 'node:events'
import type { Request, Response, Router } from 'express'
import express from 'express'
import { TRPCError } from '@trpc/server'
import { asProcedureError, sendProcedureError } from './procedure-error'
import { createCallerFactory } from '../trpc/init'
import { createRequestContext, type Services } from '../trpc/context'
import { appRouter } from '../app-router'
import { csvLine, exportText } from '../config-language/csv'
import type { RecordRow } from '../crm/record-tables'
import { ENTITY_INFO, entityOfPath } from '../config-language'

const createCaller = createCallerFactory(appRouter)

function jsonParam(value: unknown): unknown {
  if (typeof value !== 'string' || value === '') return undefined
  try {
    return JSON.parse(value)
  } catch {
    throw new TRPCError({ code: 'BAD_REQUEST', message: 'filter and sort are JSON' })
  }
}

const str = (v: unknown) => (typeof v === 'string' && v !== '' ? v : undefined)

/** A cell's text; a user-type column holds member ids, written as the member's name (or email). */
function cellOf(row: RecordRow, column: { field: string; builtIn: boolean; type: string }, userLabels: Record<string, string>): string {
  const value = column.builtIn ? row[column.field] : row.data[column.field]
  if (column.type === 'user' && typeof value === 'string') return exportText(Object.hasOwn(userLabels, value) ? userLabels[value] : value)
  return exportText(value)
}

export function crmExportRoutes(services: Services): Router {
  const routes = express.Router()
  routes.get('/api/crm/:entity/export.csv', async (req: Request, res: Response) => {
    const known = entityOfPath(req.params.entity)
    if (!known) return void res.status(404).json({ error: { code: 'NOT_FOUND', message: 'Unknown entity' } })
    const entity = ENTITY_INFO[known].path
    let started = false
    try {
      const caller = createCaller(await createRequestContext(services, req))
      const procedures = caller[entity]
      const base = {
        view: str(req.query.view),
        search: str(req.query.search),
        filter: jsonParam(req.query.filter),
        sort: jsonParam(req.query.sort) as { field: string; direction: 'asc' | 'desc' }[] | undefined,
      }
      let page = await procedures.exportPage(base)
      res.status(200)
      res.setHeader('Content-Type', 'text/csv; charset=utf-8')
      res.setHeader('Content-Disposition', `attachment; filename="${entity}${base.view ? `-${base.view.replace(/[^a-z0-9-]/gi, '')}` : ''}.csv"`)
      res.setHeader('Cache-Control', 'private, no-store')
      started = true
      // A byte-order mark, so spreadsheet programs read UTF-8. Labels are tenant config: csvLine
      // formula-guards them like every value.
      res.write(`\uFEFF${csvLine(page.columns.map((c) => c.label))}`)
      for (;;) {
        let chunk = ''
        for (const row of page.rows) chunk += csvLine(page.columns.map((c) => cellOf(row, c, page.userLabels)))
        if (chunk && !res.write(chunk)) await once(res, 'drain')
        if (!page.nextCursor || res.destroyed) break
        page = await procedures.exportPage({ ...base, cursor: page.nextCursor })
      }
      res.end()
    } catch (err) {
      const e = asProcedureError(err, services.logger, 'csv export failed', { entity, req })
      // Once rows are on the wire the status is sent; cutting the stream tells the client it failed.
      if (started) return void res.destroy(e)
      sendProcedureError(res, e)
    }
  })
  return routes
}
