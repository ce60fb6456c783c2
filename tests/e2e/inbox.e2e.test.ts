// The inbox in a real browser: an agent has the inbox open, a message posted to the ingestion
// endpoint appears without a reload (with the nav's unread badge); the agent replies, assigns it
// and opens a case; the customer 360 shows the thread and the case. An HTML body with an
// `onerror` image and a script never runs anything.
import { describe, expect, test } from 'vitest'
import { adminApi } from './admin-api'
import { login, open, settle, useE2E } from './fixtures'

const e2e = useE2E()
const uid = (p: string) => `${p}-${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`

async function ingestToken(): Promise<string> {
  const api = await adminApi(e2e.baseUrl)
  return (await api.tokens.create.mutate({ name: uid('e2e ingest'), role: 'AGENT' })).token
}

async function postMessage(token: string, body: Record<string, unknown>) {
  const res = await fetch(`${e2e.baseUrl}/api/inbox/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify(body),
  })
  expect(res.status).toBe(201)
  return (await res.json()) as { messageId: string; threadId: string; customerId: string }
}

describe('inbox', () => {
  test('a posted message appears live; the agent replies, assigns, opens a case; the customer 360 shows both', async () => {
    const { page } = e2e
    const token = await ingestToken()
    await login(page, 'agent@acme.test')
    await open(page, '/inbox')
    // Proof the page is live before the message exists: the connection is up.
    await page.locator('[data-testid="connection-status"][data-status="connected"]').waitFor()

    const subject = uid('Lost parcel')
    const name = uid('Parcel Person')
    const posted = await postMessage(token, {
      externalId: uid('ext'),
      channel: 'email',
      from: { email: `${uid('parcel')}@example.test`, name },
      subject,
      text: 'My parcel never arrived.',
    })
    const row = page.locator(`[data-testid="inbox-thread"][data-thread-id="${posted.threadId}"]`)
    await row.waitFor({ timeout: 10_000 })
    await expect(row.textContent()).resolves.toContain(subject)
    await page.getByTestId('nav-badge-inbox').waitFor()

    await row.click()
    await page.getByTestId('conversation').getByRole('heading', { name: subject }).waitFor()
    await settle(page)
    await page.getByLabel('Reply').fill('We are on it: a new parcel ships today.')
    await page.getByRole('button', { name: 'Send reply' }).click()
    await page.locator('[data-testid="message"][data-direction="outbound"]', { hasText: 'a new parcel ships today' }).waitFor()

    // The demo agent, whatever their name: the option marked "(me)".
    const me = await page.getByLabel('Assign to').locator('option', { hasText: '(me)' }).getAttribute('value')
    await page.getByLabel('Assign to').selectOption(me!)
    await page.getByRole('button', { name: 'Assign' }).click()
    await page.locator(`[data-testid="inbox-thread"][data-thread-id="${posted.threadId}"]`, { hasText: '·' }).waitFor()

    await page.getByRole('button', { name: 'Open a case' }).click()
    await page.getByTestId('conversation-case').waitFor()
    await expect(page.getByTestId('conversation-case').textContent()).resolves.toContain(subject)

    await page.getByTestId('conversation-customer').getByRole('link', { name }).click()
    await page.getByRole('heading', { name, level: 1 }).waitFor()
    const thread = page.getByTestId('c360-thread').filter({ hasText: subject })
    await thread.waitFor()
    await expect(thread.textContent()).resolves.toContain('a new parcel ships today')
    await thread.getByTestId('c360-thread-case').waitFor()
    await expect(page.locator('main').textContent()).resolves.toContain(subject) // the case in the Cases panel too
  })

  test('an HTML body with <img onerror> and <script> never executes', async () => {
    const { page } = e2e
    const token = await ingestToken()
    const subject = uid('Hostile html')
    const posted = await postMessage(token, {
      externalId: uid('ext'),
      channel: 'email',
      from: { email: `${uid('hostile')}@example.test`, name: 'Mallory' },
      subject,
      text: '',
      html: `<p>Visible words</p><img src=x onerror="window.top.__pwned = 1; window.__pwned = 1"><script>window.top.__pwned = 2; window.__pwned = 2</script><svg onload="window.top.__pwned=3"></svg>`,
    })
    await login(page, 'agent@acme.test')
    await open(page, `/inbox?thread=${posted.threadId}`)
    const frame = page.getByTestId('message-html')
    await frame.waitFor()
    // The frame rendered the message (so anything in it had its chance to run) …
    await page.frameLocator('[data-testid="message-html"]').getByText('Visible words').waitFor()
    expect(await frame.getAttribute('sandbox')).toBe('')
    // … and nothing ran, in the page or in the frame.
    expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined()
    const inner = page.frames().find((f) => f !== page.mainFrame())
    expect(await inner?.content()).not.toMatch(/onerror|<script|onload/i)
  })
})
