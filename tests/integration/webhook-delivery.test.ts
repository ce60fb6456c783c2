// Webhook delivery against a real local HTTP receiver: signature, delivery id, the retry rules,
// Retry-After, the SSRF guard and timeouts. Retries use a 1 ms backoff base (no sleeping).
import { createHmac } from 'node:crypto'
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { waitFor } from '../support/wait'
import { deliverWebhook, verifyPulse8Signature, type WebhookOptions, type WebhookRequest } from '../../server/automation/webhook-delivery'

type Received = { at: number; headers: http.IncomingHttpHeaders; body: string }
type Reply = (res: http.ServerResponse, n: number) => void

let server: http.Server
let port: number
let received: Received[] = []
let reply: Reply = (res) => res.writeHead(200).end('ok')

beforeAll(async () => {
  server = http.createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => {
      received.push({ at: Date.now(), headers: req.headers, body: Buffer.concat(chunks).toString('utf8') })
      reply(res, received.length)
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  port = (server.address() as AddressInfo).port
})
afterAll(async () => {
  server.closeAllConnections()
  await new Promise((resolve) => server.close(resolve))
})
afterEach(() => {
  received = []
  reply = (res) => res.writeHead(200).end('ok')
})

const local: WebhookOptions = { allowPrivate: true, retryBaseMs: 1 }
const request = (over: Partial<WebhookRequest> = {}): WebhookRequest => ({
  url: `http://127.0.0.1:${port}/hook`,
  body: { event: 'record.created', record: { id: 'c1', subject: 'Printer on fire ✓' } },
  secret: 'whsec_test',
  deliveryId: 'run1:step0',
  retries: 3,
  ...over,
})

describe('deliverWebhook', () => {
  it('POSTs the JSON body with a valid Stripe-style signature and the delivery headers', async () => {
    const result = await deliverWebhook(request(), local)
    expect(result).toEqual({ ok: true, status: 200, attempts: 1 })
    expect(received).toHaveLength(1)
    const [r] = received
    expect(JSON.parse(r!.body)).toEqual(request().body)
    expect(r!.headers['content-type']).toBe('application/json')
    expect(r!.headers['user-agent']).toBe('Pulse8-Webhooks/1')
    expect(r!.headers['pulse8-delivery']).toBe('run1:step0')
    const header = r!.headers['pulse8-signature'] as string
    expect(verifyPulse8Signature(header, r!.body, 'whsec_test')).toBe(true)
    expect(verifyPulse8Signature(header, r!.body, 'whsec_other')).toBe(false)
    // Independently of the helper: t=<seconds>,v1=<hex HMAC-SHA256(secret, "t.body")>.
    const match = /^t=(\d+),v1=([0-9a-f]{64})$/.exec(header)
    expect(match).not.toBeNull()
    expect(Math.abs(Number(match![1]) - Date.now() / 1000)).toBeLessThan(60)
    expect(match![2]).toBe(createHmac('sha256', 'whsec_test').update(`${match![1]}.${r!.body}`).digest('hex'))
  })

  it('sends no signature without a secret', async () => {
    expect((await deliverWebhook(request({ secret: null }), local)).ok).toBe(true)
    expect(received[0]!.headers['pulse8-signature']).toBeUndefined()
  })

  it('a receiver failing twice (500) then answering 200: one success, 3 attempts, the same delivery id', async () => {
    reply = (res, n) => res.writeHead(n <= 2 ? 500 : 200).end()
    const result = await deliverWebhook(request(), local)
    expect(result).toEqual({ ok: true, status: 200, attempts: 3 })
    expect(received.map((r) => r.headers['pulse8-delivery'])).toEqual(['run1:step0', 'run1:step0', 'run1:step0'])
    for (const r of received) expect(verifyPulse8Signature(r.headers['pulse8-signature'] as string, r.body, 'whsec_test')).toBe(true)
  })

  it('always 500: failed after the retries', async () => {
    reply = (res) => res.writeHead(503).end()
    const result = await deliverWebhook(request({ retries: 2 }), local)
    expect(result).toEqual({ ok: false, status: 503, attempts: 3, error: 'HTTP 503' })
    expect(received).toHaveLength(3)
  })

  it('408 is retried; 400, 404 and a redirect are not', async () => {
    reply = (res, n) => res.writeHead(n === 1 ? 408 : 200).end()
    expect(await deliverWebhook(request(), local)).toEqual({ ok: true, status: 200, attempts: 2 })
    for (const [status, extra] of [
      [400, {}],
      [404, {}],
      [302, { Location: 'http://169.254.169.254/' }],
    ] as const) {
      received = []
      reply = (res) => res.writeHead(status, extra).end()
      const result = await deliverWebhook(request(), local)
      expect(result).toMatchObject({ ok: false, status, attempts: 1 })
      expect(received).toHaveLength(1)
    }
  })

  it('429 with Retry-After: the next attempt waits that long, not the (1 ms) backoff', async () => {
    reply = (res, n) => (n === 1 ? res.writeHead(429, { 'Retry-After': '1' }).end() : res.writeHead(204).end())
    const result = await deliverWebhook(request(), local)
    expect(result).toEqual({ ok: true, status: 204, attempts: 2 })
    expect(received[1]!.at - received[0]!.at).toBeGreaterThanOrEqual(950)
  })

  it('refuses private destinations without WEBHOOK_ALLOW_PRIVATE, and sends nothing', async () => {
    // The same request reaches the receiver when private addresses are allowed (the guard is what stops it).
    expect((await deliverWebhook(request({ url: `http://localhost:${port}/hook` }), local)).ok).toBe(true)
    received = []
    for (const url of [
      `http://127.0.0.1:${port}/hook`,
      `http://localhost:${port}/hook`,
      `http://[::1]:${port}/hook`,
      `http://[::ffff:127.0.0.1]:${port}/hook`,
      'http://10.0.0.1/hook',
      'http://169.254.169.254/latest/meta-data/',
    ]) {
      const result = await deliverWebhook(request({ url }), { retryBaseMs: 1 })
      expect(result, url).toMatchObject({ ok: false, status: null, attempts: 1 })
      expect(result.ok ? '' : result.error, url).toMatch(/private address/)
    }
    expect(received).toHaveLength(0)
  })

  it('a slow receiver times out (and is retried like a network error)', async () => {
    reply = (res, n) => {
      if (n === 1) setTimeout(() => res.writeHead(200).end(), 2_000).unref()
      else res.writeHead(200).end()
    }
    const result = await deliverWebhook(request({ retries: 0 }), { ...local, responseTimeoutMs: 200 })
    expect(result).toEqual({ ok: false, status: null, attempts: 1, error: 'Response timeout' })
    expect(await deliverWebhook(request({ retries: 1 }), { ...local, responseTimeoutMs: 200 })).toMatchObject({ ok: true, attempts: 1 })
  })

  it('a closed port is a network error, retried, then failed', async () => {
    const closed = http.createServer()
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve))
    const closedPort = (closed.address() as AddressInfo).port
    await new Promise((resolve) => closed.close(resolve))
    const result = await deliverWebhook(request({ url: `http://127.0.0.1:${closedPort}/`, retries: 2 }), local)
    expect(result).toEqual({ ok: false, status: null, attempts: 3, error: 'ECONNREFUSED' })
  })

  it('stops retrying when its signal aborts', async () => {
    reply = (res) => res.writeHead(500).end()
    const controller = new AbortController()
    const pending = deliverWebhook(request({ retries: 5, signal: controller.signal }), { ...local, retryBaseMs: 60_000 })
    // Wait for the first attempt, then cancel the long backoff.
    await waitFor(() => received.length > 0)
    controller.abort()
    expect(await pending).toMatchObject({ ok: false, attempts: 1, error: 'Cancelled' })
  })

  it('refuses bad URLs as failures and a bad retries count as a programmer error', async () => {
    expect(await deliverWebhook(request({ url: 'ftp://example.com/' }), local)).toMatchObject({ ok: false, attempts: 0 })
    expect(await deliverWebhook(request({ url: 'not a url' }), local)).toMatchObject({ ok: false, attempts: 0 })
    await expect(deliverWebhook(request({ retries: -1 }), local)).rejects.toThrow(RangeError)
  })
})
