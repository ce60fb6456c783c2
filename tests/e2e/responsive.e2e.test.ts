// The app from a phone to a laptop, through a real browser: no page scrolls sideways at 800 px and
// at 390 px (tables scroll inside their card instead), the side navigation folds into a menu button
// that opens and navigates, the customers table at 1280 px never breaks a word in two (long values
// end in an ellipsis and carry the full text in their tooltip), and the row density a person picks
// sticks after a reload. Screenshots of every main page at 1280 and 390 px land in tests/e2e/artifacts.
import type { Page } from 'playwright-core'
import { describe, expect, test } from 'vitest'
import { login, screenshot as fullScreenshot, useE2E, open } from './fixtures'

const e2e = useE2E()

/** A full-page screenshot from the top (a scrolled page would draw its sticky top bar mid-page). */
async function screenshot(page: Page, name: string) {
  await page.evaluate(() => window.scrollTo(0, 0))
  await fullScreenshot(page, name)
}

async function pageOverflow(page: Page) {
  return page.evaluate(() => ({ scrollWidth: document.documentElement.scrollWidth, innerWidth: window.innerWidth }))
}

/** The first customer's record page, from the customers table. */
async function firstCustomerPath(page: Page): Promise<string> {
  await open(page, '/customers')
  const href = await page.locator('table tbody tr a.row-link').first().getAttribute('href')
  expect(href).toMatch(/^\/customers\/[^/]+$/)
  return href!
}

const rowHeight = (page: Page) =>
  page
    .locator('table tbody tr')
    .first()
    .evaluate((tr) => tr.getBoundingClientRect().height)

describe('narrow screens', () => {
  for (const width of [800, 390]) {
    test(`no page scrolls sideways at ${width} px`, async () => {
      const { page } = e2e
      await page.setViewportSize({ width, height: 800 })
      await login(page, 'admin@acme.test')
      const customer = await firstCustomerPath(page)
      for (const path of ['/customers', customer, '/settings/members', '/studio/forms']) {
        await open(page, path)
        const { scrollWidth, innerWidth } = await pageOverflow(page)
        expect(scrollWidth, `${path} scrolls sideways at ${width} px`).toBeLessThanOrEqual(innerWidth)
      }

      // The members table scrolls inside its card, its first column staying in view.
      await open(page, '/settings/members')
      const members = page.getByRole('table', { name: 'Members' })
      const sticky = await members
        .locator('tbody tr td')
        .first()
        .evaluate((td) => getComputedStyle(td).position)
      expect(sticky).toBe('sticky')
      // Every role select and Remove button can be reached inside the page.
      await expect.poll(() => page.getByRole('button', { name: /^Remove / }).count()).toBeGreaterThan(0)
    })
  }

  test('at 390 px the side navigation is a menu button that opens, navigates and closes', async () => {
    const { page } = e2e
    await page.setViewportSize({ width: 390, height: 800 })
    await login(page, 'admin@acme.test')
    await open(page, '/customers')

    const nav = page.getByRole('navigation', { name: 'CRM' })
    const toggle = page.getByRole('button', { name: 'Menu' })
    expect(await nav.isVisible()).toBe(false)
    expect(await toggle.getAttribute('aria-expanded')).toBe('false')
    expect(await toggle.getAttribute('aria-controls')).toBeTruthy()

    await toggle.click()
    await nav.waitFor({ state: 'visible' })
    expect(await toggle.getAttribute('aria-expanded')).toBe('true')
    // Escape closes it and gives focus back to the button.
    await page.keyboard.press('Escape')
    await nav.waitFor({ state: 'hidden' })
    expect(await toggle.evaluate((el) => el === document.activeElement)).toBe(true)

    // Opened from the keyboard, it navigates and folds away again.
    await page.keyboard.press('Enter')
    await nav.waitFor({ state: 'visible' })
    await nav.getByRole('link', { name: 'Deals' }).click()
    await page.waitForURL((url) => url.pathname === '/deals')
    await page.getByRole('heading', { name: 'Deals', level: 1 }).waitFor()
    await nav.waitFor({ state: 'hidden' })
    expect(await toggle.getAttribute('aria-expanded')).toBe('false')

    // The Studio's shell folds the same way.
    await open(page, '/studio/forms')
    const studioNav = page.getByRole('navigation', { name: 'Automation Studio' })
    expect(await studioNav.isVisible()).toBe(false)
    await page.getByRole('button', { name: 'Menu' }).click()
    await studioNav.getByRole('link', { name: 'Publish' }).click()
    await page.waitForURL((url) => url.pathname === '/studio/publish')
    await studioNav.waitFor({ state: 'hidden' })
  })
})

describe('the customers table at 1280 px', () => {
  test('no cell breaks a word in two; cut-off values end in an ellipsis and show the full text in a tooltip', async () => {
    const { page } = e2e
    await login(page, 'admin@acme.test')
    await open(page, '/customers')
    const cells = await page.locator('table tbody td').evaluateAll((tds) =>
      tds.map((td) => {
        // A word drawn over two lines has two boxes: measure every word of every text in the cell.
        const broken: string[] = []
        const walker = document.createTreeWalker(td, NodeFilter.SHOW_TEXT)
        for (let node = walker.nextNode(); node; node = walker.nextNode()) {
          const text = node.textContent ?? ''
          for (const m of text.matchAll(/\S+/g)) {
            const range = document.createRange()
            range.setStart(node, m.index)
            range.setEnd(node, m.index + m[0].length)
            const lines = new Set([...range.getClientRects()].map((r) => Math.round(r.top)))
            if (lines.size > 1) broken.push(m[0])
          }
        }
        // The element that clips the value (the cell or the box inside it).
        const clip = [td, ...td.querySelectorAll<HTMLElement>('*')].find(
          (el) => el.scrollWidth > el.clientWidth + 1 && getComputedStyle(el).overflow !== 'visible',
        )
        const tooltip = clip?.closest('[title]')?.getAttribute('title') ?? null
        const text = (td.textContent ?? '').replace(/\s+/g, ' ').trim()
        return { text, broken, truncated: !!clip, tooltip, ellipsis: clip ? getComputedStyle(clip).textOverflow : null }
      }),
    )
    expect(cells.length).toBeGreaterThan(10)
    // The demo emails are longer than their column: the tooltip path below is exercised.
    expect(cells.some((c) => c.truncated)).toBe(true)
    for (const cell of cells) {
      expect(cell.broken, `"${cell.text}" is broken mid-word`).toEqual([])
      if (cell.truncated) {
        expect(cell.ellipsis, `"${cell.text}" is cut without an ellipsis`).toBe('ellipsis')
        expect(cell.tooltip, `"${cell.text}" is cut without a tooltip`).toBe(cell.text)
      }
    }
    // Columns keep a readable width by type: an email is never squeezed below a useful width.
    const emailWidth = await page.getByRole('columnheader', { name: 'Email' }).evaluate((th) => th.getBoundingClientRect().width)
    expect(emailWidth).toBeGreaterThanOrEqual(180)
  })

  test('the row density chosen in the toolbar changes the rows and is remembered after a reload', async () => {
    const { page } = e2e
    await login(page, 'admin@acme.test')
    await open(page, '/customers')
    const density = page.getByRole('group', { name: 'Row density' })
    const compact = density.getByRole('button', { name: 'Compact' })
    const comfortable = density.getByRole('button', { name: 'Comfortable' })
    expect(await comfortable.getAttribute('aria-pressed')).toBe('true')
    const tall = await rowHeight(page)

    await compact.click()
    await expect.poll(() => compact.getAttribute('aria-pressed')).toBe('true')
    await expect.poll(() => rowHeight(page)).toBeLessThan(tall)
    const short = await rowHeight(page)

    await open(page, '/customers')
    await expect.poll(() => compact.getAttribute('aria-pressed')).toBe('true')
    await expect.poll(() => rowHeight(page)).toBe(short)

    // And back.
    await comfortable.click()
    await expect.poll(() => rowHeight(page)).toBe(tall)
  })
})

describe('screenshots', () => {
  test('every main page at 1280 and at 390 px', async () => {
    const { page } = e2e
    await login(page, 'admin@acme.test')
    const customer = await firstCustomerPath(page)
    const pages: Array<[string, string]> = [
      ['dashboard', '/'],
      ['customers', '/customers'],
      ['customer', customer],
      ['deals', '/deals'],
      ['cases', '/cases'],
      ['inbox', '/inbox'],
      ['settings-members', '/settings/members'],
      ['studio-forms', '/studio/forms'],
      ['studio-publish', '/studio/publish'],
    ]
    for (const width of [1280, 390]) {
      await page.setViewportSize({ width, height: 800 })
      for (const [name, path] of pages) {
        await open(page, path)
        await screenshot(page, `responsive-${name}-${width}`)
        const { scrollWidth, innerWidth } = await pageOverflow(page)
        expect(scrollWidth, `${path} scrolls sideways at ${width} px`).toBeLessThanOrEqual(innerWidth)
      }
    }
  }, 240_000)
})
