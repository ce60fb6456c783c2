// Issue 9, finding 10 (a–f), over the real HTTP and WebSocket server: security headers with a
// nonce CSP, a body limit in front of Remix, a batch cap, a subscription cap per socket, logout
// closing the session's sockets, and "__proto__" keys answered as BAD_REQUEST.
import { describe, expect, it } from 'vitest'
import WebSocket from 'ws'
import { DEMO_PASSWORD } from '../../server/seed/demo'
import { MAX_BATCH_SIZE } from '../../server/http/app-server'
import { MAX_SUBSCRIPTIONS_PER_SOCKET, SESSION_ENDED_CLOSE_CODE } from '../../server/trpc/socket-registry'
import { useHarness } from '../support/harness'
import { useHttpApp } from '../support/http-app'
import { connectWs, record, until, wsUrlOf } from '../support/ws'

const h = useHarness()
const MAX_BODY = 10_000
const app = useHttpApp(h, { maxBodyBytes: MAX_BODY })

async function signIn(email: string): Promise<string> {
  const res = await fetch(`${app.baseUrl}/api/trpc/auth.login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ json: { email, password: DEMO_PASSWORD } }),
  })
  expect(res.status).toBe(200)
  return res.headers
    .getSetCookie()
    .find((c) => c.startsWith('pulse8_session='))!
    .split(';')[0]!
}

describe('(a) security headers', () => {
  it('sends a nonce CSP, frame-ancestors none, X-Frame-Options DENY, nosniff and a referrer policy', async () => {
    // (Pages are served by Remix, not mounted here; the headers are the same on every response,
    // and the browser tests run the pages under this policy.)
    const first = await fetch(`${app.baseUrl}/healthz`)
    const second = await fetch(`${app.baseUrl}/healthz`)
    const csp = first.headers.get('content-security-policy') ?? ''
    const nonce = /script-src 'self' 'nonce-([A-Za-z0-9+/=]+)'/.exec(csp)?.[1]
    expect(nonce, csp).toBeTruthy()
    expect(csp).not.toMatch(/script-src[^;]*'unsafe-inline'/)
    expect(csp).toMatch(/frame-ancestors 'none'/)
    expect(csp).toMatch(/connect-src 'self' ws:\/\/127\.0\.0\.1:\d+/)
    expect(csp).toMatch(/object-src 'none'/)
    // A fresh nonce per response.
    expect(second.headers.get('content-security-policy')).not.toContain(nonce)
    expect(first.headers.get('x-frame-options')).toBe('DENY')
    expect(first.headers.get('x-content-type-options')).toBe('nosniff')
    expect(first.headers.get('referrer-policy')).toBe('strict-origin-when-cross-origin')
  })

  it('answers the JSON API with a policy that allows nothing, and the same other headers', async () => {
    const res = await fetch(`${app.baseUrl}/api/runtime/config`)
    expect(res.status).toBe(401)
    expect(res.headers.get('content-security-policy')).toBe("default-src 'none';frame-ancestors 'none'")
    expect(res.headers.get('x-frame-options')).toBe('DENY')
    expect(res.headers.get('x-content-type-options')).toBe('nosniff')
    expect(res.headers.get('referrer-policy')).toBe('strict-origin-when-cross-origin')
    expect(res.headers.get('x-powered-by')).toBeNull()
    // The API reference is a page: it keeps the nonce policy.
    expect((await fetch(`${app.baseUrl}/api/docs`)).headers.get('content-security-policy')).toMatch(/script-src 'self' 'nonce-/)
  })
})

describe('(b) body limit before Remix', () => {
  it('answers a body larger than MAX_BODY_BYTES to a page route with 413 and a clear message', async () => {
    const res = await fetch(`${app.baseUrl}/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin: app.baseUrl },
      body: `email=${'a'.repeat(MAX_BODY + 1)}`,
    })
    expect(res.status).toBe(413)
    expect(((await res.json()) as { error: { message: string } }).error.message).toMatch(/larger than the limit of 10000 bytes/)
  })

  it('refuses a page-route body that does not state its length (chunked)', async () => {
    const body = new ReadableStream({
      start(c) {
        c.enqueue(new TextEncoder().encode('email=a'))
        c.close()
      },
    })
    const res = await fetch(`${app.baseUrl}/login`, { method: 'POST', headers: { origin: app.baseUrl }, body, duplex: 'half' } as RequestInit)
    expect(res.status).toBe(411)
  })
})

describe('(c) batch cap', () => {
  it(`refuses an HTTP batch of more than ${MAX_BATCH_SIZE} calls with BAD_REQUEST`, async () => {
    const batch = (n: number) => fetch(`${app.baseUrl}/api/trpc/${Array(n).fill('auth.me').join(',')}?batch=1&input={}`)
    expect((await batch(MAX_BATCH_SIZE)).status).toBe(200)
    const res = await batch(100)
    expect(res.status).toBe(400)
    expect(await res.text()).toMatch(/Batch call exceeds maximum size/)
  })
})

describe('(d) subscriptions per socket', () => {
  it(`refuses subscription ${MAX_SUBSCRIPTIONS_PER_SOCKET + 1} on one socket, which keeps working`, async () => {
    const admin = await h.asUser('admin@acme.test', 'acme')
    const { token } = await admin.tokens.create({ name: 'many subs', role: 'AGENT' })
    const { client, close } = connectWs(wsUrlOf(app.baseUrl), { token })
    try {
      const subs = Array.from({ length: MAX_SUBSCRIPTIONS_PER_SOCKET }, () => record(client, 'config.onPublished'))
      for (const s of subs) expect((await s.waitStarted()).error).toBeNull()
      const extra = record(client, 'config.onPublished')
      const state = await extra.waitStarted()
      expect(state.error?.code).toBe('TOO_MANY_REQUESTS')
      // The socket still answers, and a stopped subscription frees a place.
      expect(await client.auth.me.query()).toMatchObject({ kind: 'token' })
      subs[0]!.unsubscribe()
      let again = record(client, 'config.onPublished')
      const deadline = Date.now() + 5_000
      while ((await again.waitStarted()).error && Date.now() < deadline) {
        again.unsubscribe()
        again = record(client, 'config.onPublished')
      }
      expect(again.state.error).toBeNull()
      expect(again.state.started).toBe(true)
    } finally {
      close()
    }
  }, 30_000)
})

describe('(e) logout ends the session’s sockets', () => {
  it('closes an open WebSocket of the session as soon as it logs out', async () => {
    const cookie = await signIn('agent@acme.test')
    const socket = await openSocket(cookie, 'agent@acme.test')

    const out = await fetch(`${app.baseUrl}/api/trpc/auth.logout`, {
      method: 'POST',
      headers: { cookie, origin: app.baseUrl, 'content-type': 'application/json' },
      body: '{}',
    })
    expect(out.status).toBe(200)
    // Well before the socket's own credential re-check would notice (PRINCIPAL_RECHECK_MS).
    await until(
      () => socket.closedWith !== null,
      3_000,
      () => 'the socket is still open',
    )
    expect(socket.closedWith).toBe(SESSION_ENDED_CLOSE_CODE)
  })
})

describe('(e) a password change ends the other sessions’ sockets', () => {
  it('closes the sockets of the sessions it ends, and keeps the one that changed it', async () => {
    const stolen = await signIn('viewer@acme.test')
    const owner = await signIn('viewer@acme.test')
    const stolenSocket = await openSocket(stolen, 'viewer@acme.test')
    const ownerSocket = await openSocket(owner, 'viewer@acme.test')

    const out = await fetch(`${app.baseUrl}/api/trpc/auth.changePassword`, {
      method: 'POST',
      headers: { cookie: owner, origin: app.baseUrl, 'content-type': 'application/json' },
      body: JSON.stringify({ json: { currentPassword: 'pulse-demo-pass', newPassword: 'a-new-long-password' } }),
    })
    expect(out.status).toBe(200)
    // The session-ended close code, not the credential re-check's error a few seconds later.
    await until(
      () => stolenSocket.closedWith !== null,
      3_000,
      () => 'the other session’s socket is still open',
    )
    expect(stolenSocket.closedWith).toBe(SESSION_ENDED_CLOSE_CODE)
    expect(ownerSocket.closedWith).toBeNull()
    ownerSocket.ws.close()
  })
})

/** An open, answering WebSocket of the session behind `cookie`, and the close code it ends with. */
async function openSocket(cookie: string, email: string) {
  const ws = new WebSocket(wsUrlOf(app.baseUrl), { headers: { cookie, origin: app.baseUrl } })
  const socket = { ws, closedWith: null as number | null }
  ws.on('close', (code) => (socket.closedWith = code))
  const answers: string[] = []
  ws.on('message', (data) => answers.push(String(data)))
  await new Promise((resolve, reject) => {
    ws.once('open', resolve)
    ws.once('error', reject)
  })
  ws.send(JSON.stringify({ id: 1, method: 'query', params: { path: 'auth.me', input: { json: null } } }))
  await until(
    () => answers.some((a) => a.includes(email)),
    5_000,
    () => `no answer: ${answers.join()}`,
  )
  return socket
}

describe('(f) "__proto__" keys', () => {
  it('are BAD_REQUEST with their path in a raw JSON body, not silently dropped', async () => {
    const res = await fetch(`${app.baseUrl}/api/trpc/auth.login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"json":{"email":"agent@acme.test","password":"x","__proto__":{"isAdmin":true}}}',
    })
    expect(res.status).toBe(400)
    const error = ((await res.json()) as { error: { json: { data: { code: string; zodError: { issues: { path: unknown[] }[] } } } } }).error.json
    expect(error.data.code).toBe('BAD_REQUEST')
    expect(error.data.zodError.issues[0]!.path).toEqual(['__proto__'])
  })

  it('are BAD_REQUEST in a GET input and nested inside records', async () => {
    const cookie = await signIn('agent@acme.test')
    const input = encodeURIComponent('{"json":{"filter":{"all":[{"__proto__":{"x":1},"field":"name","op":"eq","value":"a"}]}}}')
    const res = await fetch(`${app.baseUrl}/api/trpc/customers.list?input=${input}`, { headers: { cookie } })
    expect(res.status).toBe(400)
    const text = await res.text()
    expect(text).toContain('"path":["filter","all",0,"__proto__"]')
  })
})
