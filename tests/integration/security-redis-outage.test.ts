// Issue 9, finding 4: with Redis gone, people still sign in (and register, sign out, call the
// API, load pages), and rate limits still apply, per process. The test runs its own redis-server
// on a free port and kills it; it runs whenever REDIS_URL is set (CI's Redis mode), which says a
// redis-server is installed.
import { spawn, type ChildProcess } from 'node:child_process'
import { randomUUID } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { Redis } from 'ioredis'
import { loadEnv } from '../../server/env'
import { silentLogger } from '../../server/logger'
import { createServices, type ServiceHandle } from '../../server/services'
import { seedDemo, DEMO_PASSWORD } from '../../server/seed/demo'
import { createAppServer, type AppServer } from '../../server/http/app-server'
import { LIMITS } from '../../server/auth/rate-limit'
import { createTestDatabase, type TestDatabase } from '../support/test-db'
import { freePort } from '../support/app-process'
import { waitFor } from '../support/wait'
import { remixStubBuild } from '../support/remix-stub-build'
import { connectWs, record, wsUrlOf } from '../support/ws'

const REDIS_URL = process.env.REDIS_URL
if (!REDIS_URL) console.log('security-redis-outage.test.ts skipped: set REDIS_URL to run it (it starts and kills a redis-server of its own)')

const until = (check: () => Promise<boolean> | boolean, ms: number, what: string) =>
  waitFor(check, { timeoutMs: ms, intervalMs: 50, message: () => `timed out waiting for ${what}` })

/** One PING on a client of its own that neither retries nor outlives the answer. */
async function pings(url: string): Promise<boolean> {
  const client = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null })
  client.on('error', () => undefined)
  try {
    return (await client.ping()) === 'PONG'
  } catch {
    return false
  } finally {
    client.disconnect()
  }
}

describe.skipIf(!REDIS_URL)('sign-in and rate limits while Redis is down', () => {
  const prefix = `test:${randomUUID()}:`
  let db: TestDatabase
  let redisServer: ChildProcess
  let redisUrl = ''
  let services: ServiceHandle
  let app: AppServer
  let baseUrl = ''

  beforeAll(async () => {
    const port = await freePort()
    redisUrl = `redis://127.0.0.1:${port}`
    redisServer = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' })
    await until(() => pings(redisUrl), 10_000, 'redis-server to start')
    db = await createTestDatabase()
    services = createServices(loadEnv({ NODE_ENV: 'test', REDIS_URL: redisUrl, REDIS_PREFIX: prefix }), db.url, silentLogger)
    await seedDemo(services.db)
    app = createAppServer({ services, maxBodyBytes: 100_000, remixBuild: remixStubBuild(), mode: 'production' })
    baseUrl = `http://127.0.0.1:${await app.listen(0, '127.0.0.1')}`
  })

  afterAll(async () => {
    await app?.close(1_000)
    // Closing must not wait for the dead Redis either (SIGTERM during an outage).
    await services?.close()
    redisServer?.kill('SIGKILL')
    await db?.drop()
  })

  const login = (email: string, password: string, headers: Record<string, string> = {}) =>
    fetch(`${baseUrl}/api/trpc/auth.login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify({ json: { email, password } }),
    })
  const cookieOf = (res: Response) =>
    res.headers
      .getSetCookie()
      .find((c) => c.startsWith('pulse8_session='))!
      .split(';')[0]!

  it('counts in Redis while it is up, then keeps every request path working once it is killed', async () => {
    expect((await login('viewer@acme.test', 'wrong-pass')).status).toBe(401)
    const probe = new Redis(redisUrl, { maxRetriesPerRequest: 0, retryStrategy: () => null })
    probe.on('error', () => undefined)
    expect(await probe.keys(`${prefix}rl:*`)).not.toHaveLength(0) // the limits were shared through Redis
    probe.disconnect()

    redisServer.kill('SIGKILL')
    await until(() => redisServer.exitCode !== null || redisServer.signalCode !== null, 10_000, 'redis-server to exit')

    // Sign in (the request that used to fail with "Reached the max retries per request").
    const res = await login('admin@acme.test', DEMO_PASSWORD)
    expect(res.status).toBe(200)
    const cookie = cookieOf(res)
    // An authenticated tRPC call and a page load.
    const me = await fetch(`${baseUrl}/api/trpc/auth.me`, { headers: { cookie } })
    expect((await me.json()).result.data.json).toMatchObject({ kind: 'user', user: { email: 'admin@acme.test' } })
    const customers = await fetch(`${baseUrl}/api/trpc/customers.list?input=${encodeURIComponent(JSON.stringify({ json: {} }))}`, { headers: { cookie } })
    expect(customers.status).toBe(200)
    const page = await fetch(`${baseUrl}/login`, { headers: { cookie }, redirect: 'manual' })
    expect(page.status).toBe(302)
    expect((await fetch(`${baseUrl}/login`)).status).toBe(200)
    // A record write (its change goes to the bus, which queues it for the reconnect) and a
    // subscription over WebSocket (replay buffer and live events come from the bus) still work.
    const created = await fetch(`${baseUrl}/api/trpc/customers.create`, {
      method: 'POST',
      headers: { cookie, origin: baseUrl, 'content-type': 'application/json' },
      body: JSON.stringify({ json: { values: { name: 'Written during the outage' } } }),
    })
    expect(created.status).toBe(200)
    const ws = connectWs(wsUrlOf(baseUrl), { cookie, origin: baseUrl })
    const sub = record(ws.client, 'customers.onChanged')
    try {
      expect((await sub.waitStarted()).error).toBeNull()
    } finally {
      sub.unsubscribe()
      ws.close()
    }
    // Register, and sign out through the page.
    const registered = await fetch(`${baseUrl}/api/trpc/auth.register`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ json: { email: 'outage@signup.test', password: 'long-enough-pw', name: 'O', tenantName: 'Outage Co' } }),
    })
    expect(registered.status).toBe(200)
    const logout = await fetch(`${baseUrl}/logout`, { method: 'POST', headers: { cookie, origin: baseUrl }, redirect: 'manual' })
    expect(logout.status).toBe(302)
    const after = await fetch(`${baseUrl}/api/trpc/auth.me`, { headers: { cookie } })
    expect((await after.json()).result.data.json).toEqual({ kind: 'anonymous' })
  })

  it('still rate-limits, in this process, while Redis is down', async () => {
    const statuses: number[] = []
    for (let i = 0; i <= LIMITS.loginPair.points; i++) statuses.push((await login('agent@acme.test', 'wrong-pass')).status)
    expect(statuses.slice(0, LIMITS.loginPair.points).every((s) => s === 401)).toBe(true)
    expect(statuses.at(-1)).toBe(429)
  })
})
