// POST /api/inbox/messages through the real HTTP app: authentication, idempotency (sequential and
// 20 concurrent duplicates), customer matching and creation, threading, sanitising, the outbox
// event in the same transaction, and every error status the endpoint promises.
import { describe, expect, it } from 'vitest'
import { useHarness } from '../support/harness'
import { useHttpApp } from '../support/http-app'
import { limitIngestion, LIMITS } from '../../server/auth/rate-limit'

const h = useHarness()
const app = useHttpApp(h, { maxBodyBytes: 100_000 })

let seq = 0
const uid = (p: string) => `${p}-${Date.now().toString(36)}-${(seq++).toString(36)}`

async function post(token: string | null, body: unknown, path = '/api/inbox/messages', raw?: string) {
  const res = await fetch(`${app.baseUrl}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: raw ?? JSON.stringify(body),
  })
  return { status: res.status, headers: res.headers, body: (await res.json()) as Record<string, any> }
}

const message = (over: Record<string, unknown> = {}) => ({
  externalId: uid('ext'),
  channel: 'email',
  from: { email: `${uid('sender')}@example.test`, name: 'Ada Sender' },
  subject: 'Where is my order?',
  text: 'Hello, my order has not arrived.',
  ...over,
})

describe('POST /api/inbox/messages', () => {
  it('a new sender becomes a customer with a thread; the same externalId again is created:false and one row', async () => {
    const { token } = await h.issueToken('acme', 'AGENT')
    const body = message()
    const first = await post(token, body)
    expect(first.status).toBe(201)
    expect(first.body).toMatchObject({ created: true, messageId: expect.any(String), threadId: expect.any(String), customerId: expect.any(String) })
    const scope = { db: h.services.db }
    const customer = await scope.db.customer.findFirstOrThrow({ where: { id: first.body.customerId } })
    expect(customer).toMatchObject({ name: 'Ada Sender', email: body.from.email })
    const again = await post(token, body, '/api/crm/inbox/messages')
    expect(again.status).toBe(200)
    expect(again.body).toEqual({ ...first.body, created: false })
    expect(await scope.db.inboxMessage.count({ where: { externalId: body.externalId } })).toBe(1)
  })

  it('matches a known customer by email case-insensitively, and by phone digits', async () => {
    const { token } = await h.issueToken('acme', 'AGENT')
    const admin = await h.asUser('admin@acme.test', 'acme')
    const known = await admin.customers.create({ values: { name: 'Known Person', email: `${uid('known')}@Example.test`, phone: '+1 555 010 2000' } })
    const byEmail = await post(token, message({ from: { email: String(known.email).toUpperCase() } }))
    expect(byEmail.body.customerId).toBe(known.id)
    const byPhone = await post(token, message({ channel: 'sms', from: { phone: '15550102000' }, subject: undefined }))
    expect(byPhone.body.customerId).toBe(known.id)
  })

  it('20 concurrent duplicates store one message, one customer, one outbox event, and answer the same ids', async () => {
    const { token } = await h.issueToken('acme', 'AGENT')
    const body = message()
    const answers = await Promise.all(Array.from({ length: 20 }, () => post(token, body)))
    const created = answers.filter((a) => a.status === 201)
    expect(created).toHaveLength(1)
    expect(answers.filter((a) => a.status === 200)).toHaveLength(19)
    for (const a of answers) expect({ ...a.body, created: true }).toEqual(created[0]!.body)
    const db = h.services.db
    expect(await db.inboxMessage.count({ where: { externalId: body.externalId } })).toBe(1)
    expect(await db.customer.count({ where: { email: body.from.email } })).toBe(1)
    const events = await db.outboxEvent.findMany({ where: { type: 'message.received', recordId: created[0]!.body.customerId } })
    expect(events).toHaveLength(1)
    expect(events[0]!.payload).toMatchObject({
      messageId: created[0]!.body.messageId,
      threadId: created[0]!.body.threadId,
      channel: 'email',
      subject: body.subject,
    })
  })

  it('threads by externalThreadId, then inReplyTo, then customer + channel + subject', async () => {
    const { token } = await h.issueToken('acme', 'AGENT')
    const from = { email: `${uid('thread')}@example.test` }
    const externalThreadId = uid('conv')
    const a = await post(token, message({ from, externalThreadId, subject: 'Invoice' }))
    const b = await post(token, message({ from: { email: `${uid('other')}@example.test` }, externalThreadId, subject: 'Different words' }))
    expect(b.body.threadId).toBe(a.body.threadId)
    const first = message({ from, subject: 'Broken widget' })
    const c = await post(token, first)
    const d = await post(token, message({ from, subject: 'Something else', inReplyTo: first.externalId }))
    expect(d.body.threadId).toBe(c.body.threadId)
    const e = await post(token, message({ from, subject: 'RE: broken  widget' }))
    expect(e.body.threadId).toBe(c.body.threadId)
    const f = await post(token, message({ from, subject: 'A new question' }))
    expect(f.body.threadId).not.toBe(c.body.threadId)
    const thread = await h.services.db.inboxThread.findFirstOrThrow({ where: { id: c.body.threadId } })
    expect(thread.messageCount).toBe(3)
  })

  it('stores HTML sanitised: no script, no event handler, no javascript: link', async () => {
    const { token } = await h.issueToken('acme', 'AGENT')
    const res = await post(
      token,
      message({ html: '<p onclick="x()">Hi<img src=x onerror="window.pwned=1"><script>window.pwned=1</script><a href="javascript:alert(1)">x</a></p>' }),
    )
    const stored = await h.services.db.inboxMessage.findFirstOrThrow({ where: { id: res.body.messageId } })
    expect(stored.html).toContain('Hi')
    expect(stored.html).not.toMatch(/script|onerror|onclick|javascript:|pwned/i)
  })

  it('401 without or with a bad token, and for a session cookie alone; 403 without inbox:ingest', async () => {
    expect((await post(null, message())).status).toBe(401)
    expect((await post('p8_not-a-token', message())).status).toBe(401)
    const { sessionId } = await h.signIn('agent@acme.test', 'acme')
    const res = await fetch(`${app.baseUrl}/api/inbox/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie: `pulse8_session=${sessionId}`, origin: app.baseUrl },
      body: JSON.stringify(message()),
    })
    expect(res.status).toBe(401)
    const { token } = await h.issueToken('acme', 'VIEWER')
    const refused = await post(token, message())
    expect(refused.status).toBe(403)
    expect(refused.body.error.code).toBe('FORBIDDEN')
  })

  it('400 with zod issues for a bad body and for malformed JSON; 413 over 1 MB', async () => {
    const { token } = await h.issueToken('acme', 'AGENT')
    const bad = await post(token, { externalId: '', channel: 'fax', from: {}, text: 1 })
    expect(bad.status).toBe(400)
    const paths = (bad.body.error.issues as { path: string[] }[]).map((i) => i.path.join('.'))
    expect(paths).toEqual(expect.arrayContaining(['externalId', 'channel', 'text']))
    expect((await post(token, null, undefined, '{"externalId": ')).status).toBe(400)
    const big = await post(token, message({ text: 'x'.repeat(1024 * 1024 + 10) }))
    expect(big.status).toBe(413)
    expect(big.body.error.code).toBe('PAYLOAD_TOO_LARGE')
  })

  it('429 with Retry-After once the token used up its rate', async () => {
    const issued = await h.issueToken('acme', 'AGENT')
    const tokenId = issued.principal.kind === 'token' ? issued.principal.token.id : ''
    for (let i = 0; i < LIMITS.ingest.points; i++) await limitIngestion(h.services.rateLimiter, h.tenantId('acme'), `token:${tokenId}`)
    const res = await post(issued.token, message())
    expect(res.status).toBe(429)
    expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0)
    // Another token of the same tenant is not slowed down.
    expect((await post((await h.issueToken('acme', 'AGENT')).token, message())).status).toBe(201)
  })
})
