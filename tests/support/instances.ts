// Several app instances over one database and one Redis, as in production: in-process instances
// (each with its own services, so its own Redis connections and database pool), real child
// processes running server/main.ts (for "instance killed"), and a TCP proxy in front of Redis that
// a test can stop and start to take Redis away from one instance without touching the shared server.
import { freePort, startAppProcess, type AppProcess } from './app-process'
import net from 'node:net'
import superjson from 'superjson'
import { createTRPCClient, httpLink } from '@trpc/client'
import type { AppRouter } from '../../server/app-router'
import { loadEnv } from '../../server/env'
import { silentLogger } from '../../server/logger'
import { createServices, type ServiceHandle } from '../../server/services'
import { createAppServer } from '../../server/http/app-server'
import { insertApiToken } from '../../server/auth/api-tokens'
import type { Db, Role } from '../../server/db/client'

export type Instance = { name: string; baseUrl: string; services: ServiceHandle; close(): Promise<void> }

/** An app instance in this process, with services of its own. */
export async function startInstance(name: string, opts: { databaseUrl: string; redisUrl?: string; prefix: string }): Promise<Instance> {
  const env = loadEnv({ NODE_ENV: 'test', REDIS_URL: opts.redisUrl, REDIS_PREFIX: opts.prefix })
  const services = createServices(env, opts.databaseUrl, silentLogger)
  const app = createAppServer({ services, maxBodyBytes: 1_000_000 })
  const port = await app.listen(0, '127.0.0.1')
  let closed = false
  return {
    name,
    baseUrl: `http://127.0.0.1:${port}`,
    services,
    async close() {
      if (closed) return
      closed = true
      await app.close(1_000)
      await services.close()
    },
  }
}

export { freePort }

export type ChildInstance = AppProcess

/** `node --import tsx server/main.ts` on a free port, over the given database and Redis (`''`: none); `env` adds settings. */
export function startChildInstance(
  opts: { databaseUrl: string; redisUrl: string; prefix: string; timeoutMs?: number },
  env: Record<string, string> = {},
): Promise<ChildInstance> {
  return startAppProcess({ DATABASE_URL: opts.databaseUrl, REDIS_URL: opts.redisUrl, REDIS_PREFIX: opts.prefix, SEED_DEMO: 'false', ...env }, opts.timeoutMs)
}

export type TcpProxy = {
  url: string
  stop(): Promise<void>
  start(): Promise<void>
  /** Holds what clients send (connections stay open: a stalled Redis) until `thaw()` passes it on. */
  freeze(): void
  thaw(): void
}

/** A TCP proxy to `targetUrl`'s host and port; `stop()` drops every connection and refuses new ones. */
export async function startTcpProxy(targetUrl: string): Promise<TcpProxy> {
  const target = new URL(targetUrl)
  const sockets = new Set<net.Socket>()
  const held: Array<() => void> = []
  let frozen = false
  let server: net.Server | null = null
  const port = await freePort()
  const listen = () =>
    new Promise<void>((resolve, reject) => {
      server = net.createServer((client) => {
        const upstream = net.connect(Number(target.port || 6379), target.hostname)
        sockets.add(client).add(upstream)
        const drop = () => {
          client.destroy()
          upstream.destroy()
          sockets.delete(client)
          sockets.delete(upstream)
        }
        client.on('error', drop).on('close', drop)
        upstream.on('error', drop).on('close', drop)
        client.on('data', (chunk: Buffer) => (frozen ? held.push(() => upstream.write(chunk)) : upstream.write(chunk)))
        upstream.pipe(client)
      })
      server.once('error', reject)
      server.listen(port, '127.0.0.1', () => resolve())
    })
  await listen()
  const url = new URL(targetUrl)
  url.hostname = '127.0.0.1'
  url.port = String(port)
  return {
    url: url.toString(),
    async stop() {
      const s = server
      server = null
      for (const socket of sockets) socket.destroy()
      sockets.clear()
      if (s) await new Promise<void>((resolve) => s.close(() => resolve()))
    },
    async start() {
      if (!server) await listen()
    },
    freeze() {
      frozen = true
    },
    thaw() {
      frozen = false
      for (const send of held.splice(0)) send()
    },
  }
}

/** An API token of the tenant with the role, created straight in the database. */
export async function createToken(db: Db, tenantId: string, role: Role): Promise<string> {
  return (await insertApiToken(db, tenantId, role, `test ${role}`)).token
}

/** A typed tRPC client over HTTP with a bearer token. */
export function httpClient(baseUrl: string, token: string) {
  return createTRPCClient<AppRouter>({
    links: [httpLink({ url: `${baseUrl}/api/trpc`, transformer: superjson, headers: { authorization: `Bearer ${token}` } })],
  })
}
