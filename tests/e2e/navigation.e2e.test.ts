// Speed of use through a real browser (issue 17 item 10): `/` focuses the list search, Ctrl-K
// opens the command palette and a typed customer name + Enter opens that record, `?` lists the
// keyboard shortcuts, and the Studio's 403 page keeps the app's navigation.
import { describe, expect, test } from 'vitest'
import { login, useE2E, open } from './fixtures'

const e2e = useE2E()

describe('keyboard navigation', () => {
  test('`/` focuses the search of a CRM list', async () => {
    const { page } = e2e
    await login(page, 'agent@acme.test')
    await open(page, '/customers')
    await page.getByRole('table').waitFor()
    await page.keyboard.press('/')
    expect(await page.evaluate(() => (document.activeElement as HTMLInputElement | null)?.type)).toBe('search')
    expect(await page.getByRole('searchbox').inputValue()).toBe('')
  })

  test('Ctrl-K opens the command palette; a customer name and Enter open that record', async () => {
    const { page } = e2e
    await login(page, 'agent@acme.test')
    await open(page, '/customers')
    const first = page.getByRole('table').locator('tbody tr').first().locator('td').first()
    const name = (await first.innerText()).trim()
    expect(name.length).toBeGreaterThan(1)

    await page.keyboard.press('Control+k')
    const palette = page.getByRole('dialog', { name: 'Go to' })
    const input = palette.getByRole('combobox', { name: 'Search pages and records' })
    await input.waitFor()
    expect(await page.evaluate(() => document.activeElement?.getAttribute('role'))).toBe('combobox')
    await input.fill(name)
    const option = palette.getByRole('option', { name: new RegExp(`^${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}.*Customer$`) }).first()
    await option.waitFor()
    // The first result is the active one, named by the combobox.
    expect(await option.getAttribute('aria-selected')).toBe('true')
    expect(await input.getAttribute('aria-activedescendant')).toBe(await option.getAttribute('id'))
    await input.press('Enter')
    await page.waitForURL((url) => /^\/customers\/[^/]+$/.test(url.pathname))
    await palette.waitFor({ state: 'detached' })
    await page.getByRole('heading', { level: 1, name }).waitFor()

    // Pages too, with the arrow keys: "Deals".
    await page.keyboard.press('Control+k')
    await input.fill('dea')
    await palette.getByRole('option', { name: /^Deals/ }).waitFor()
    await input.press('End')
    await input.press('Home')
    const options = await palette.getByRole('option').allInnerTexts()
    const deals = options.findIndex((t) => t.startsWith('Deals'))
    for (let i = 0; i < deals; i++) await input.press('ArrowDown')
    expect(await palette.getByRole('option', { name: /^Deals/ }).getAttribute('aria-selected')).toBe('true')
    await input.press('Enter')
    await page.waitForURL((url) => url.pathname === '/deals')
  })

  test('`?` opens the keyboard shortcuts help', async () => {
    const { page } = e2e
    await login(page, 'agent@acme.test')
    await open(page, '/deals')
    await page.keyboard.press('Shift+?')
    const help = page.getByRole('dialog', { name: 'Keyboard shortcuts' })
    await help.waitFor()
    const text = await help.innerText()
    expect(text).toContain('Open the command palette')
    expect(text).toContain('Search the list on this page')
    await page.keyboard.press('Escape')
    await help.waitFor({ state: 'detached' })
  })

  test("the Studio's 403 page keeps the app navigation", async () => {
    const { page } = e2e
    e2e.allowConsoleError(/status of 403/)
    await login(page, 'agent@acme.test')
    const response = await page.goto('/studio/forms')
    expect(response?.status()).toBe(403)
    await page.getByRole('heading', { level: 1, name: 'Access denied' }).waitFor()
    expect(await page.getByRole('alert').innerText()).toContain('may not open the Automation Studio')
    const nav = page.getByRole('navigation', { name: 'CRM' })
    await nav.getByRole('link', { name: 'Customers' }).click()
    await page.waitForURL((url) => url.pathname === '/customers')
  })
})
