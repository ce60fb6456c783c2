// The API reference at /api/docs renders in a real browser from the app alone: every request the
// page makes goes to the app's origin (no CDN, no validator badge), the CSP lets it run, and it
// shows the REST routes of the OpenAPI document.
import { describe, expect, test } from 'vitest'
import { screenshot, useE2E } from './fixtures'

const e2e = useE2E()

describe('API reference', () => {
  test('renders the REST routes with no request leaving the app', async () => {
    const { page } = e2e
    const origins = new Set<string>()
    page.on('request', (request) => {
      const url = new URL(request.url())
      if (url.protocol.startsWith('http')) origins.add(url.origin)
    })
    await page.goto('/api/docs')
    await page.locator('.swagger-ui .opblock').first().waitFor()
    await page.getByText('/crm/customers/{id}').first().waitFor()
    await page.getByText('/admin/config/publish').first().waitFor()
    expect(await page.locator('.swagger-ui .opblock').count()).toBeGreaterThanOrEqual(15)
    expect([...origins]).toEqual([new URL(page.url()).origin])
    await screenshot(page, 'api-docs')
  })
})
