// Hot config in the browser: an admin publishes through the API while an agent has the CRM open;
// the agent's page swaps the config in place (no reload), says so in a toast, and a half-typed form
// keeps what was typed in the fields that still exist.
import { describe, expect, test } from 'vitest'
import { adminApi, publish, saveDraft } from './admin-api'
import { login, screenshot, settle, useE2E } from './fixtures'

const e2e = useE2E()

/** Remembers the page instance: a reload would lose this. */
const markPage = (page: typeof e2e.page) => page.evaluate(() => ((window as unknown as { __noReload: string }).__noReload = 'still here'))
const pageMark = (page: typeof e2e.page) => page.evaluate(() => (window as unknown as { __noReload?: string }).__noReload)

describe('live configuration', () => {
  test('a publish reaches an open page at once: toast, no reload, connection shown as live', async () => {
    const { page } = e2e
    await login(page, 'agent@acme.test')
    await page.getByTestId('connection-status').and(page.locator('[data-status="connected"]')).waitFor()
    await markPage(page)

    const api = await adminApi(e2e.baseUrl)
    await saveDraft(api, { namespace: 'views', entity: 'customer', key: 'all' }, (c) => ({ ...c, label: 'Every customer' }))
    // Pushed over the open WebSocket (how fast is bench:realtime's business, not a test's).
    const version = await publish(api, 'Relabel the customer list')
    await page.getByText(`Configuration updated to v${version}`, { exact: true }).waitFor()
    expect(await pageMark(page)).toBe('still here')
    await screenshot(page, 'live-config-toast')
  })

  test('after a publish the page fetches the new config exactly once (no polling), over its socket', async () => {
    const { page } = e2e
    // Every runtime.config call the page makes, over HTTP or over its WebSocket.
    const fetches: string[] = []
    page.on('request', (req) => req.url().includes('runtime.config') && fetches.push(req.url()))
    page.on('websocket', (ws) =>
      ws.on('framesent', ({ payload }) => {
        if (String(payload).includes('"runtime.config"')) fetches.push(String(payload))
      }),
    )
    await login(page, 'agent@acme.test')
    await page.goto('/customers')
    await settle(page)
    await page.getByTestId('connection-status').and(page.locator('[data-status="connected"]')).waitFor()
    await markPage(page)
    expect(fetches).toEqual([])

    const api = await adminApi(e2e.baseUrl)
    await saveDraft(api, { namespace: 'views', entity: 'customer', key: 'all' }, (c) => ({ ...c, label: 'Counted customers' }))
    const version = await publish(api, 'Fetched once')
    await page.getByText(`Configuration updated to v${version}`, { exact: true }).waitFor()
    expect(fetches).toHaveLength(1)
    expect(fetches[0]).toContain(`"minVersion":${version}`)
    // The new config shows, without a reload: the customer list carries the new label.
    await page.getByText('Counted customers').first().waitFor()
    expect(await pageMark(page)).toBe('still here')
    expect(fetches).toHaveLength(1)
  })

  test('an agent typing a new customer keeps the input while an admin adds and relabels fields', async () => {
    const { page } = e2e
    await login(page, 'agent@acme.test')
    await page.goto('/customers')
    await settle(page)
    await page.getByRole('link', { name: 'New customer' }).click()
    await page.waitForURL((url) => url.pathname === '/customers/new')
    await settle(page)
    await page.getByTestId('connection-status').and(page.locator('[data-status="connected"]')).waitFor()
    await page.getByLabel('Name', { exact: false }).first().fill('Half-typed Hannah')
    await page.getByLabel('Industry').fill('Aerospace')
    expect(await page.getByLabel('Loyalty number').count()).toBe(0)
    await markPage(page)

    // The admin adds a field (catalogue + form) and relabels one on the form, then publishes.
    const api = await adminApi(e2e.baseUrl)
    await saveDraft(api, { namespace: 'objects', entity: 'customer', key: 'fields' }, (c) => ({
      ...c,
      fields: [...c.fields, { name: 'loyaltyNumber', label: 'Loyalty number', type: 'text', builtIn: false, required: false, max: 40 }],
    }))
    await saveDraft(api, { namespace: 'forms', entity: 'customer', key: 'default' }, (c) => {
      const business = c.sections.find((s: { title: string }) => s.title === 'Business')
      business.fields = business.fields.map((f: { field: string }) => (f.field === 'industry' ? { ...f, label: 'Sector' } : f))
      business.fields.push({ field: 'loyaltyNumber' })
      return c
    })
    const version = await publish(api, 'Loyalty number; Industry is now Sector')

    // Within a second, without a reload: the new field, the new label, and the typed text.
    await page.getByLabel('Loyalty number').waitFor({ timeout: 1_000 })
    await page.getByLabel('Sector').waitFor({ timeout: 1_000 })
    expect(await page.getByLabel('Industry').count()).toBe(0)
    expect(await page.getByLabel('Sector').inputValue()).toBe('Aerospace')
    expect(await page.getByLabel('Name', { exact: false }).first().inputValue()).toBe('Half-typed Hannah')
    expect(await pageMark(page)).toBe('still here')
    await page.getByText(`Configuration updated to v${version}`, { exact: true }).waitFor()
    await screenshot(page, 'live-config-form-swap')

    // The new field takes input like any other.
    await page.getByLabel('Loyalty number').fill('LN-42')
    expect(await page.getByLabel('Loyalty number').inputValue()).toBe('LN-42')
  })
})
