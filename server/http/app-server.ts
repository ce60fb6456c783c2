// The one server process: express 4 serving Remix, tRPC over HTTP at /api/trpc, tRPC over
// WebSocket on the same port (upgrade at /api/trpc) and GET /healthz.
import http from 'node:http'
import type { Socket } from 'node:net'
import express, { type RequestHandler } from 'express'
import { WebSocketServer } from 'ws'
import { createExpressMiddleware } from '@trpc/server/adapters/express'
import { applyWSSHandler } from '@trpc/server/adapters/ws'
import { sharedFrameEncoder } from '../trpc/shared-frames'
import { asProcedureError, sendProcedureError } from './procedure-error'
import { createRequestHandler } from '@remix-run/express'
import type { ServerBuild } from '@remix-run/node'
import { appRouter } from '../app-router'
import { createCallerFactory } from '../trpc/init'
import { createRequestContext, type Services } from '../trpc/context'
import type { Logger } from '../logger'
import { passesCsrfCheck } from './csrf'
import { securityHeaders } from './security-headers'
import { requestIdOf, requestLog } from './request-log'
import { createSocketRegistry, MAX_SUBSCRIPTIONS_PER_SOCKET } from '../trpc/socket-registry'
import { crmExportRoutes } from './crm-export'
import { inboxIngestRoutes } from './inbox-ingest'
import { restRoutes } from './rest-api'
import { dashboardMetricsRoute } from './dashboard-metrics'
import { sendRuntimeConfig } from './runtime-config-response'
import { createProcessMetrics } from './process-metrics'

const TRPC_PATH = '/api/trpc'
/** Calls in one batched HTTP request: beyond it, BAD_REQUEST. */
export const MAX_BATCH_SIZE = 20
/**
 * Calls in one WebSocket message. The browser's wsLink sends everything started in the same tick
 * as one message (a page opening its subscriptions), so this is the per-socket subscription cap.
 */
export const MAX_WS_BATCH_SIZE = MAX_SUBSCRIPTIONS_PER_SOCKET
export const createCaller = createCallerFactory(appRouter)
export type AppCaller = ReturnType<typeof createCaller>

/**
 * What Remix loaders and actions receive as `context`: the same API, called in-process, and the
 * request's id and logger for page errors. No database client: pages reach data only through
 * procedures, which check tenancy and permissions.
 */
export type RemixLoadContext = { trpc: AppCaller; resHeaders: Headers; cspNonce: string; requestId?: string; logger: Logger }

export interface AppServerOptions {
  services: Services
  appOrigin?: string
  maxBodyBytes: number
  /** The Remix build; absent in API-only tests. */
  remixBuild?: ServerBuild
  mode?: string
  publicDir?: string
}

export function createAppServer(opts: AppServerOptions) {
  const { services } = opts
  const { logger } = services
  const app = express()
  app.disable('x-powered-by')
  app.use(requestLog(logger))
  app.use(securityHeaders(opts.appOrigin))

  const metrics = createProcessMetrics()
  metrics.start()
  app.get('/healthz', async (_req, res) => {
    const db = await services.db.$queryRaw`SELECT 1`.then(
      () => 'ok' as const,
      (err: unknown) => {
        logger.error('healthz: database unreachable', { error: String(err) })
        return 'unreachable' as const
      },
    )
    const bus = services.bus.status()
    res.status(db === 'ok' ? 200 : 503).json({
      ok: db === 'ok',
      db,
      bus: bus.kind,
      busConnected: bus.connected,
      busPublishFailures: bus.publishFailures,
      busPendingRetries: bus.pendingRetries,
      // Event-loop delay (p50/p99/max over the last minute) and memory: docs/decisions/025.
      ...metrics.read(),
    })
  })

  app.use((req, res, next) => {
    if (passesCsrfCheck(req, opts.appOrigin)) return next()
    res.status(403).json({ error: { code: 'FORBIDDEN', message: 'Cross-site request refused' } })
  })

  // The live config for tools, with an ETag so a poller re-downloads only after a publish. It goes
  // through the same procedure (and so the same tenancy and role checks) as the tRPC call.
  app.get('/api/runtime/config', async (req, res) => {
    try {
      // `?minVersion=N`: never older than version N (the procedure checks the value).
      const minVersion = req.query.minVersion
      const input =
        minVersion === undefined ? undefined : { minVersion: typeof minVersion === 'string' && /^\d{1,10}$/.test(minVersion) ? Number(minVersion) : minVersion }
      const live = await createCaller(await createRequestContext(services, req)).runtime.config(input as { minVersion?: number } | undefined)
      sendRuntimeConfig(req, res, live)
    } catch (err) {
      sendProcedureError(res, asProcedureError(err, logger, 'runtime config failed', { req }))
    }
  })

  // CSV export of a view, streamed; each page goes through `<entity>.exportPage` like the call above.
  app.use(crmExportRoutes(services))
  // The dashboard's metrics for tools: `dashboard.metrics` through the same kind of caller.
  app.use(dashboardMetricsRoute(services))

  // Message ingestion from outside systems (API tokens only, 1 MB): `inbox.ingest` per request.
  app.use(inboxIngestRoutes(services))

  app.use(
    TRPC_PATH,
    createExpressMiddleware({
      router: appRouter,
      maxBodySize: opts.maxBodyBytes,
      maxBatchSize: MAX_BATCH_SIZE,
      createContext: ({ req }) => createRequestContext(services, req),
      responseMeta: ({ ctx }) => ({ headers: ctx?.resHeaders }),
      onError: ({ error, path, req }) => {
        if (error.code === 'INTERNAL_SERVER_ERROR') logger.error('trpc error', { requestId: requestIdOf(req), path, error: String(error.cause ?? error) })
      },
    }),
  )

  // The REST surface generated from the same procedures (/api/v1, the seed's /api aliases), its
  // OpenAPI document and the API reference page (rest-api.ts).
  app.use(restRoutes(services, appRouter, { maxBodyBytes: opts.maxBodyBytes }))

  // Everything below (Remix actions included) gets no body larger than tRPC's limit.
  app.use(bodyLimit(opts.maxBodyBytes))

  if (opts.remixBuild) {
    const publicDir = opts.publicDir ?? 'public'
    app.use('/build', express.static(`${publicDir}/build`, { immutable: true, maxAge: '1y' }))
    app.use(express.static(publicDir, { maxAge: '1h' }))
    app.all(
      '*',
      createRequestHandler({
        build: opts.remixBuild,
        mode: opts.mode,
        getLoadContext: async (req, res): Promise<RemixLoadContext> => {
          const resHeaders = new Headers()
          const ctx = await createRequestContext(services, req, { resHeaders })
          return { trpc: createCaller(ctx), resHeaders, cspNonce: String(res.locals.cspNonce ?? ''), requestId: ctx.requestId, logger: services.logger }
        },
      }),
    )
  }

  // Anything that escaped a route (a failing load context, a body parser, a bug): express's default
  // handler would print the stack outside production. Answer like every other 500 instead.
  app.use((err: unknown, req: express.Request, res: express.Response, next: express.NextFunction) => {
    if (res.headersSent) return next(err)
    sendProcedureError(res, asProcedureError(err, logger, 'request failed', { req, path: req.path }))
  })

  const server = http.createServer(app)
  const wss = new WebSocketServer({ noServer: true, maxPayload: opts.maxBodyBytes })
  const sockets = createSocketRegistry(services.bus, logger)
  const wsHandler = applyWSSHandler({
    wss,
    router: appRouter,
    maxBatchSize: MAX_WS_BATCH_SIZE,
    // Each event's JSON is made once per process, not once per socket (decision 028).
    experimental_encoder: sharedFrameEncoder,
    createContext: async ({ req, res, info }) => {
      const ctx = await createRequestContext(services, req, { connectionParams: info.connectionParams })
      sockets.track(res, ctx)
      return ctx
    },
    onError: ({ error, path, req }) => {
      if (error.code === 'INTERNAL_SERVER_ERROR') logger.error('trpc error', { requestId: requestIdOf(req), path, error: String(error.cause ?? error) })
    },
    keepAlive: { enabled: true, pingMs: 30_000, pongWaitMs: 5_000 },
  })
  server.on('upgrade', (req, socket: Socket, head) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname
    if (path !== TRPC_PATH || !passesCsrfCheck(req, opts.appOrigin, true)) {
      socket.end('HTTP/1.1 403 Forbidden\r\n\r\n')
      return
    }
    wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req))
  })

  return {
    server,
    listen(port: number, host?: string): Promise<number> {
      return new Promise((resolve, reject) => {
        server.once('error', reject)
        server.listen(port, host, () => {
          const addr = server.address()
          resolve(typeof addr === 'object' && addr ? addr.port : port)
        })
      })
    },
    /**
     * Graceful stop: refuse new connections, tell WebSocket clients to reconnect (to another
     * instance), let in-flight requests finish, then close. Services are closed by the caller.
     */
    async close(graceMs = 10_000): Promise<void> {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()))
      wsHandler.broadcastReconnectNotification()
      server.closeIdleConnections()
      for (const ws of wss.clients) ws.close(1012, 'server restarting')
      const timer = setTimeout(() => server.closeAllConnections(), graceMs)
      await closed
      clearTimeout(timer)
      wss.close()
      sockets.close()
      metrics.stop()
    },
  }
}

export type AppServer = ReturnType<typeof createAppServer>

/**
 * Bodies outside tRPC (which has its own limit) must state their length and stay within
 * `maxBytes`: otherwise Remix would read any size. Node stops reading at the stated length.
 */
function bodyLimit(maxBytes: number): RequestHandler {
  return (req, res, next) => {
    const length = req.headers['content-length']
    const chunked = req.headers['transfer-encoding'] !== undefined
    if (length === undefined && !chunked) return next()
    if (length === undefined) {
      return void res.status(411).json({ error: { code: 'BAD_REQUEST', message: 'A request body must state its Content-Length' } })
    }
    if (Number(length) > maxBytes) {
      res.setHeader('Connection', 'close')
      return void res.status(413).json({ error: { code: 'PAYLOAD_TOO_LARGE', message: `The request body is larger than the limit of ${maxBytes} bytes` } })
    }
    next()
  }
}
