// The one server process: express 4 serving Remix, tRPC over HTTP at /api/trpc, tRPC over
// WebSocket on the same port (upgrade at /api/trpc) and GET /healthz.
import http from 'node:http'
import type { Socket } from 'node:net'
import express from 'express'
import { WebSocketServer } from 'ws'
import { createExpressMiddleware } from '@trpc/server/adapters/express'
import { applyWSSHandler } from '@trpc/server/adapters/ws'
import { asProcedureError, sendProcedureError } from './procedure-error'
import { createRequestHandler } from '@remix-run/express'
import type { ServerBuild } from '@remix-run/node'
import { appRouter } from '../app-router'
import { createCallerFactory } from '../trpc/init'
import { createRequestContext, type InnerContext, type Services } from '../trpc/context'
import { passesCsrfCheck } from './csrf'
import { requestLog } from './request-log'
import { crmExportRoutes } from './crm-export'

const TRPC_PATH = '/api/trpc'
export const createCaller = createCallerFactory(appRouter)
export type AppCaller = ReturnType<typeof createCaller>

/** What Remix loaders and actions receive as `context`: the same API, called in-process. */
export type RemixLoadContext = { trpc: AppCaller; resHeaders: Headers; ctx: InnerContext }

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
      const live = await createCaller(await createRequestContext(services, req)).runtime.config()
      const etag = `"${live.checksum}"`
      res.setHeader('ETag', etag)
      res.setHeader('Cache-Control', 'private, no-cache')
      if (req.headers['if-none-match'] === etag) return void res.status(304).end()
      res.json({ version: live.version, checksum: live.checksum, publishedAt: live.createdAt, items: live.items })
    } catch (err) {
      sendProcedureError(res, asProcedureError(err, logger, 'runtime config failed'))
    }
  })

  // CSV export of a view, streamed; each page goes through `<entity>.exportPage` like the call above.
  app.use(crmExportRoutes(services))

  app.use(
    TRPC_PATH,
    createExpressMiddleware({
      router: appRouter,
      maxBodySize: opts.maxBodyBytes,
      createContext: ({ req }) => createRequestContext(services, req),
      responseMeta: ({ ctx }) => ({ headers: ctx?.resHeaders }),
      onError: ({ error, path }) => {
        if (error.code === 'INTERNAL_SERVER_ERROR') logger.error('trpc error', { path, error: String(error.cause ?? error) })
      },
    }),
  )

  if (opts.remixBuild) {
    const publicDir = opts.publicDir ?? 'public'
    app.use('/build', express.static(`${publicDir}/build`, { immutable: true, maxAge: '1y' }))
    app.use(express.static(publicDir, { maxAge: '1h' }))
    app.all(
      '*',
      createRequestHandler({
        build: opts.remixBuild,
        mode: opts.mode,
        getLoadContext: async (req): Promise<RemixLoadContext> => {
          const resHeaders = new Headers()
          const ctx = await createRequestContext(services, req, { resHeaders })
          return { trpc: createCaller(ctx), resHeaders, ctx }
        },
      }),
    )
  }

  const server = http.createServer(app)
  const wss = new WebSocketServer({ noServer: true, maxPayload: opts.maxBodyBytes })
  const wsHandler = applyWSSHandler({
    wss,
    router: appRouter,
    createContext: ({ req, info }) => createRequestContext(services, req, { connectionParams: info.connectionParams }),
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
    },
  }
}

export type AppServer = ReturnType<typeof createAppServer>
