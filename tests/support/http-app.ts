// Starts the real HTTP server (express + tRPC over HTTP and WebSocket) on a free port, over the
// harness's database and services. Remix is not mounted here: the browser tests cover it.
import { afterAll, beforeAll } from 'vitest'
import { createAppServer, type AppServer } from '../../server/http/app-server'
import type { Services } from '../../server/trpc/context'
import type { Harness } from './harness'

export function useHttpApp(h: Harness, opts: { production?: boolean; maxBodyBytes?: number } = {}) {
  let app: AppServer
  const state = { baseUrl: '' }
  beforeAll(async () => {
    const services: Services = opts.production ? { ...h.services, env: { NODE_ENV: 'production' } } : h.services
    app = createAppServer({ services, maxBodyBytes: opts.maxBodyBytes ?? 100_000 })
    const port = await app.listen(0, '127.0.0.1')
    state.baseUrl = `http://127.0.0.1:${port}`
  })
  afterAll(async () => {
    await app?.close(1_000)
  })
  return state
}
