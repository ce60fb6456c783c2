// Issue 17, items 5 and 6 in the Studio: a published change reads as a sentence in the history (the
// JSON paths only behind a disclosure), the audit log says what happened in words, and dates on
// the CRM lists share one format.
import type { Page } from 'playwright-core'
import { describe, expect, test } from 'vitest'
import { adminApi, publish, saveDraft } from './admin-api'
import { login, screenshot, settle, useE2E } from './fixtures'

const e2e = useE2E()

/** A date's shape ("Nov 30, 2026" → "A 9, 9"), so two pages can be compared without fixing a locale. */
const shape = (text: string) =>
  text
    .trim()
    .replace(/\d+/g, '9')
    .replace(/\p{L}+/gu, 'A')

async function dateShapes(page: Page, path: string): Promise<string[]> {
  await page.goto(path)
  await settle(page)
  const table = page.getByRole('table').first()
  await table.locator('time').first().waitFor()
  return (await table.locator('time').allInnerTexts()).map(shape)
}

describe('the Studio in words', () => {
  test('a published form change reads “added field <Label>” in the history; the audit log summarises', async () => {
    const { page } = e2e
    const api = await adminApi(e2e.baseUrl)
    await saveDraft(api, { namespace: 'objects', entity: 'customer', key: 'fields' }, (c) => ({
      ...c,
      fields: [...c.fields, { name: 'loyaltyId', label: 'Loyalty ID', type: 'text' }],
    }))
    await saveDraft(api, { namespace: 'forms', entity: 'customer', key: 'default' }, (c) => {
      c.sections[0].fields.push({ field: 'loyaltyId' })
      return c
    })
    const version = await publish(api, 'Add loyalty id')

    await login(page, 'admin@acme.test')
    await page.goto(`/studio/history?from=${version - 1}&to=${version}`)
    await settle(page)
    const item = page.getByTestId('diff-forms/customer/default')
    await item.waitFor()
    expect(await item.getByRole('listitem').allInnerTexts()).toEqual(['Form Customer › Profile: added field Loyalty ID'])
    // The JSON paths are there for whoever asks, not before.
    const paths = item.getByRole('table', { name: 'Changes to forms/customer/default' })
    expect(await paths.isVisible()).toBe(false)
    expect(
      await item
        .getByText(/sections\[/)
        .first()
        .isVisible(),
    ).toBe(false)
    await item.getByText('Show the JSON changes').click()
    await paths.waitFor()
    expect(await paths.innerText()).toMatch(/sections\[0\]\.fields\[\d+\]/)
    await screenshot(page, 'studio-history-in-words')

    await page.goto('/studio/audit')
    await settle(page)
    const log = page.getByRole('table', { name: 'Audit log' })
    await log.waitFor()
    await log.getByText(`Ada Admin published version ${version}: “Add loyalty id” (2 items)`).waitFor()
    await log.getByText('Ada Admin saved a draft of forms/customer/default').first().waitFor()
    // The stored JSON only behind "Details".
    const entry = log.locator('tr', { hasText: `published version ${version}` })
    expect(await entry.locator('pre').first().isVisible()).toBe(false)
    await entry.getByText('Details').click()
    await entry.locator('pre').first().waitFor()
    await screenshot(page, 'studio-audit-in-words')
  })

  test('dates on /deals and /customers share one format', async () => {
    const { page } = e2e
    await login(page, 'admin@acme.test')
    const deals = await dateShapes(page, '/deals')
    const customers = await dateShapes(page, '/customers')
    expect(deals.length).toBeGreaterThan(0)
    expect(customers.length).toBeGreaterThan(0)
    expect(new Set([...deals, ...customers]).size, `${deals} / ${customers}`).toBe(1)
  })
})
