// The HTTP surface as outside tools meet it: /healthz, tRPC over HTTP with cookies and bearer
// tokens, bad input, CSRF, and tRPC over WebSocket with a token in the connection params.
import { describe, expect, it } from 'vitest'
import WebSocket from 'ws'
import { DEMO_PASSWORD } from '../../server/seed/demo'
import { useHarness } from '../support/harness'
import { useHttpApp } from '../support/http-app'
import { connectWs, wsUrlOf } from '../support/ws'
import { waitFor } from '../support/wait'
import { PRINCIPAL_RECHECK_MS } from '../../server/trpc/context'

const h = useHarness()
const app = useHttpApp(h, { maxBodyBytes: 10_000 })

async function post(path: string, body: string, headers: Record<string, string> = {}) {
  const res = await fetch(`${app.baseUrl}/api/trpc/${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body,
  })
  const text = await res.text()
  return { status: res.status, headers: res.headers, text, json: JSON.parse(text) as any }
}

const login = (email: string, password: string, headers?: Record<string, string>) => post('auth.login', JSON.stringify({ json: { email, password } }), headers)

describe('HTTP surface', () => {
  it('GET /healthz reports the database, the bus, event-loop delay and memory', async () => {
    const res = await fetch(`${app.baseUrl}/healthz`)
    expect(res.status).toBe(200)
    expect(await res.json()).toMatchObject({
      ok: true,
      db: 'ok',
      bus: process.env.REDIS_URL ? 'redis' : 'memory',
      eventLoopDelayMs: { p99: expect.any(Number), max: expect.any(Number) },
      memoryMb: { rss: expect.any(Number), heapUsed: expect.any(Number) },
    })
  })

  it('logs in over HTTP and the cookie authenticates the next call', async () => {
    const res = await login('admin@acme.test', DEMO_PASSWORD)
    expect(res.status).toBe(200)
    const cookie = res.headers
      .getSetCookie()
      .find((c) => c.startsWith('pulse8_session='))!
      .split(';')[0]!
    const me = await fetch(`${app.baseUrl}/api/trpc/auth.me`, { headers: { cookie } })
    expect((await me.json()).result.data.json).toMatchObject({ kind: 'user', user: { email: 'admin@acme.test' } })
  })

  it('answers a wrong password with UNAUTHORIZED and no hint', async () => {
    const res = await login('admin@acme.test', 'not-the-password')
    expect(res.status).toBe(401)
    expect(res.json.error.json.message).toBe('Invalid email or password')
  })

  it('answers malformed JSON with BAD_REQUEST', async () => {
    const res = await post('auth.login', '{"json": {"email": ')
    expect(res.status).toBe(400)
    expect(res.json.error.json.data.code).toBe('BAD_REQUEST')
  })

  it('answers wrong types and unknown fields with BAD_REQUEST and zod issues with paths', async () => {
    const wrong = await post('auth.login', JSON.stringify({ json: { email: 42, password: 'x' } }))
    expect(wrong.status).toBe(400)
    expect(wrong.json.error.json.data.zodError.issues[0].path).toEqual(['email'])
    const unknown = await post('auth.login', JSON.stringify({ json: { email: 'a@b.test', password: 'x', role: 'ADMIN' } }))
    expect(unknown.status).toBe(400)
    expect(unknown.json.error.json.data.zodError.issues[0].code).toBe('unrecognized_keys')
  })

  it('answers an oversized body with BAD_REQUEST', async () => {
    const res = await post('auth.login', JSON.stringify({ json: { email: 'a@b.test', password: 'x'.repeat(20_000) } }))
    expect(res.status).toBeGreaterThanOrEqual(400)
    expect(res.status).toBeLessThan(500)
    expect(res.json.error.json.data.code).toBe('BAD_REQUEST')
  })

  it('refuses a cross-site mutation that carries the session cookie', async () => {
    const res = await login('admin@acme.test', DEMO_PASSWORD)
    const cookie = res.headers.getSetCookie()[0]!.split(';')[0]!
    const body = JSON.stringify({ json: { name: 'evil', role: 'ADMIN' } })
    const cross = await post('tokens.create', body, { cookie, origin: 'https://evil.example' })
    expect(cross.status).toBe(403)
    const same = await post('tokens.create', body, { cookie, origin: app.baseUrl })
    expect(same.status).toBe(200)
  })

  it('authenticates a bearer token on HTTP, bound to its tenant and role', async () => {
    const admin = await h.asUser('admin@acme.test', 'acme')
    const { token } = await admin.tokens.create({ name: 'http', role: 'VIEWER' })
    const auth = { authorization: `Bearer ${token}` }
    const me = await fetch(`${app.baseUrl}/api/trpc/auth.me`, { headers: auth })
    expect((await me.json()).result.data.json).toMatchObject({ kind: 'token', activeTenant: { slug: 'acme', role: 'VIEWER' } })
    const forbidden = await fetch(`${app.baseUrl}/api/trpc/tokens.list`, { headers: auth })
    expect(forbidden.status).toBe(403)
    const bad = await fetch(`${app.baseUrl}/api/trpc/members.list`, { headers: { authorization: 'Bearer p8_nope_nope' } })
    expect(bad.status).toBe(401)
  })

  it('serves tRPC over WebSocket with the token in the connection params', async () => {
    const admin = await h.asUser('admin@acme.test', 'acme')
    const { token } = await admin.tokens.create({ name: 'ws', role: 'AGENT' })
    const { client, close } = connectWs(wsUrlOf(app.baseUrl), { token })
    try {
      const me = await client.auth.me.query()
      expect(me).toMatchObject({ kind: 'token', activeTenant: { slug: 'acme', role: 'AGENT' } })
      const members = await client.members.list.query()
      expect(members.length).toBeGreaterThan(0)
    } finally {
      close()
    }
  })

  it('stops honouring a revoked token on an already open WebSocket', async () => {
    const admin = await h.asUser('admin@acme.test', 'acme')
    const { token, id } = await admin.tokens.create({ name: 'ws revoke', role: 'AGENT' })
    const { client, close } = connectWs(wsUrlOf(app.baseUrl), { token })
    try {
      expect((await client.members.list.query()).length).toBeGreaterThan(0)
      await admin.tokens.revoke({ id })
      // The socket re-checks its credentials every PRINCIPAL_RECHECK_MS: ask until it refuses.
      const refusal = () =>
        client.members.list.query().then(
          () => null,
          (e: { data?: { code?: string } }) => e.data?.code ?? String(e),
        )
      await waitFor(async () => (await refusal()) === 'UNAUTHORIZED', {
        timeoutMs: PRINCIPAL_RECHECK_MS * 2 + 2_000,
        intervalMs: 200,
        message: () => 'the revoked token still works',
      })
    } finally {
      close()
    }
  }, 20_000)

  it('ends a subscription over HTTP (server-sent events) once its token is revoked', async () => {
    const admin = await h.asUser('admin@acme.test', 'acme')
    const { token, id } = await admin.tokens.create({ name: 'sse revoke', role: 'AGENT' })
    const abort = new AbortController()
    const res = await fetch(`${app.baseUrl}/api/trpc/config.onPublished`, { headers: { authorization: `Bearer ${token}` }, signal: abort.signal })
    expect(res.status).toBe(200)
    const reader = res.body!.getReader()
    let text = ''
    const reading = (async () => {
      for (;;) {
        const { done, value } = await reader.read()
        if (done) return
        text += new TextDecoder().decode(value)
      }
    })().catch(() => undefined)
    try {
      await admin.tokens.revoke({ id })
      await waitFor(() => text.includes('UNAUTHORIZED'), { timeoutMs: PRINCIPAL_RECHECK_MS * 2 + 2_000, message: () => `no UNAUTHORIZED in: ${text}` })
    } finally {
      abort.abort()
      await reading
    }
  }, 20_000)

  it('refuses a WebSocket upgrade from another origin carrying a cookie', async () => {
    const ws = new WebSocket(wsUrlOf(app.baseUrl), {
      headers: { origin: 'https://evil.example', cookie: 'pulse8_session=whatever' },
    })
    const outcome = await new Promise<string>((resolve) => {
      ws.on('open', () => resolve('open'))
      ws.on('error', (e) => resolve(String(e)))
    })
    expect(outcome).toMatch(/403/)
  })
})

describe('HTTP surface in production mode', () => {
  const prod = useHttpApp(h, { production: true })
  it('never sends a stack trace', async () => {
    const res = await fetch(`${prod.baseUrl}/api/trpc/auth.login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{' })
    const text = await res.text()
    expect(text).not.toMatch(/stack|at .*\.ts:\d+/)
    const res2 = await fetch(`${prod.baseUrl}/api/trpc/members.list`)
    expect(await res2.text()).not.toMatch(/"stack"/)
  })
})
