// The CRM's record pages through a real browser: a customer created through the form the config
// renders (custom field included), found again through a view filter and the search, its customer
// 360 page; the config-built schema stopping an empty required field before any request; and a
// publish changing the form under someone's hands without losing what they typed.
import type { Page } from 'playwright-core'
import { describe, expect, test } from 'vitest'
import { login, screenshot, settle, useE2E } from './fixtures'

const e2e = useE2E()

/** Calls a tRPC procedure over HTTP from inside the page (same origin, the page's session). */
async function trpc<T>(page: Page, type: 'query' | 'mutation', path: string, input: unknown): Promise<T> {
  return page.evaluate(
    async ({ type, path, input }) => {
      const payload = JSON.stringify({ json: input })
      const res =
        type === 'query'
          ? await fetch(`/api/trpc/${path}?input=${encodeURIComponent(payload)}`)
          : await fetch(`/api/trpc/${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: payload })
      const body = (await res.json()) as { result?: { data: { json: unknown } }; error?: unknown }
      if (!res.ok || !body.result) throw new Error(`${path} failed (${res.status}): ${JSON.stringify(body.error)}`)
      return body.result.data.json
    },
    { type, path, input },
  ) as Promise<T>
}

const tableRows = (page: Page) => page.getByRole('table').locator('tbody tr')

/** The page fits the 1280 px viewport: no horizontal scrolling of the document. */
async function expectNoHorizontalOverflow(page: Page): Promise<void> {
  const { scrollWidth, clientWidth } = await page.evaluate(() => ({
    scrollWidth: document.documentElement.scrollWidth,
    clientWidth: document.documentElement.clientWidth,
  }))
  expect(scrollWidth, `${new URL(page.url()).pathname} overflows horizontally`).toBeLessThanOrEqual(clientWidth)
}

describe('customers', () => {
  test('an admin creates a customer through the rendered form, finds it by a view filter and by search, and opens its 360 page', async () => {
    const { page } = e2e
    await login(page, 'admin@acme.test')
    await page.getByRole('navigation', { name: 'CRM' }).getByRole('link', { name: 'Customers' }).click()
    await page.getByRole('heading', { name: 'Customers', level: 1 }).waitFor()
    await settle(page)

    // A bronze customer with a similar name, so the filter has something to leave out (the demo
    // tenant has other customers too, so everything below is narrowed by a search).
    await page.getByRole('link', { name: 'New customer' }).click()
    await page.waitForURL((url) => url.pathname === '/customers/new')
    await settle(page)
    await page.getByLabel('Name').fill('Zephyr Quasar Bakery')
    await page.getByRole('button', { name: 'Create customer' }).click()
    await page.getByRole('heading', { name: 'Zephyr Quasar Bakery', level: 1 }).waitFor()

    await page.goto('/customers/new')
    await settle(page)
    const form = page.getByRole('form', { name: 'Customer' })
    await form.getByLabel('Name').fill('Zephyr Quasar Holdings')
    await form.getByLabel('Company').fill('Zephyr Holdings Ltd')
    await form.getByLabel('Email').fill('ops@zephyr.test')
    await form.getByLabel('Owner').selectOption({ label: 'Ada Admin' })
    // Custom fields (objects/customer/fields): a select, a text and a currency.
    await form.getByLabel('Tier').selectOption('gold')
    await form.getByLabel('Industry').fill('Aerospace')
    await form.getByLabel('Annual revenue').fill('2500000')
    await form.getByLabel('Tags').fill('vip')
    await form.getByLabel('Tags').press('Enter')
    await expectNoHorizontalOverflow(page)
    await screenshot(page, 'crm-customer-form')
    await form.getByRole('button', { name: 'Create customer' }).click()

    // The new customer's 360 page.
    await page.getByRole('heading', { name: 'Zephyr Quasar Holdings', level: 1 }).waitFor()
    const customerUrl = new URL(page.url()).pathname
    expect(customerUrl).toMatch(/^\/customers\/[^/]+$/)
    const profile = page.getByRole('region', { name: 'Profile' })
    expect(await profile.getByText('Gold', { exact: true }).count()).toBe(1)
    expect(await profile.getByText('$2,500,000.00').count()).toBe(1)

    // The list, filtered by the custom field: Tier is Gold. Every row left is gold.
    await page.goto('/customers')
    await settle(page)
    await expectNoHorizontalOverflow(page)
    await screenshot(page, 'crm-customers-list')
    await page.getByRole('button', { name: '+ Filter' }).click()
    const filter = page.getByRole('form', { name: 'Add a filter' })
    await filter.getByLabel('Field').selectOption({ label: 'Tier' })
    await filter.getByLabel('Condition').selectOption('eq')
    await filter.getByLabel('Value').selectOption('gold')
    await filter.getByRole('button', { name: 'Apply filter' }).click()
    await page.waitForURL((url) => url.searchParams.has('filter'))
    await page.getByTestId('filter-chip').filter({ hasText: 'Tier is Gold' }).waitFor()
    await settle(page)
    const tierColumn = (await page.getByRole('columnheader').allInnerTexts()).findIndex((t) => /tier/i.test(t))
    expect(tierColumn).toBeGreaterThanOrEqual(0)
    const tiers = await tableRows(page)
      .locator(`td:nth-child(${tierColumn + 1})`)
      .allInnerTexts()
    expect(tiers.length).toBeGreaterThan(0)
    expect(new Set(tiers)).toEqual(new Set(['Gold']))

    // Filter and search together: only the gold Zephyr Quasar.
    await page.getByRole('searchbox').fill('zephyr quasar')
    await page.waitForURL((url) => url.searchParams.get('q') === 'zephyr quasar')
    await page.waitForFunction(() => document.querySelectorAll('table tbody tr').length === 1)
    expect(await tableRows(page).first().innerText()).toContain('Zephyr Quasar Holdings')
    expect(await page.getByTestId('table-count').textContent()).toBe('1–1 of 1')
    await screenshot(page, 'crm-customers-filtered')

    // Without the filter the search finds both; sorting by name is the server's, in the URL.
    await page.getByRole('button', { name: /^Remove filter/ }).click()
    await page.waitForURL((url) => !url.searchParams.has('filter'))
    await page.waitForFunction(() => document.querySelectorAll('table tbody tr').length === 2)
    expect(await tableRows(page).first().innerText()).toContain('Zephyr Quasar Bakery')
    await page.getByRole('button', { name: /^Name/ }).click()
    await page.waitForURL((url) => url.searchParams.get('sort') === 'name:desc')
    await page.waitForFunction(() => document.querySelector('table tbody tr')?.textContent?.includes('Holdings'))
    await screenshot(page, 'crm-customers-sorted')

    // Another view from the switcher (views/customer/gold), then the row opens the 360 page.
    await page.getByRole('button', { name: /^View:/ }).click()
    await page.getByRole('menuitemradio', { name: 'Gold customers' }).click()
    await page.waitForURL((url) => url.searchParams.get('view') === 'gold')
    // The search stays when the view changes; the gold view leaves out the bronze bakery.
    await page.waitForFunction(() => document.querySelectorAll('table tbody tr').length === 1)
    await tableRows(page).first().getByRole('link', { name: 'Zephyr Quasar Holdings' }).click()
    await page.waitForURL((url) => url.pathname === customerUrl)
    await page.getByRole('heading', { name: 'Zephyr Quasar Holdings', level: 1 }).waitFor()
    for (const section of ['Deals', 'Cases', 'Messages', 'Activity']) {
      await page.getByRole('heading', { name: new RegExp(`^${section}`), level: 2 }).waitFor()
    }
    expect(await page.getByText('Created customer "Zephyr Quasar Holdings"').count()).toBe(1)
    expect(await page.getByText(/inbox receives them/).count()).toBe(1)
    await settle(page)
    await expectNoHorizontalOverflow(page)
    await screenshot(page, 'crm-customer-360')
  })

  test('submitting the form with a required field empty shows the error before any request', async () => {
    const { page } = e2e
    await login(page, 'admin@acme.test')
    await page.goto('/customers/new')
    await settle(page)
    const posts: string[] = []
    page.on('request', (req) => {
      if (req.method() !== 'GET') posts.push(req.url())
    })
    const form = page.getByRole('form', { name: 'Customer' })
    await form.getByLabel('Company').fill('Nameless Inc.')
    await form.getByRole('button', { name: 'Create customer' }).click()

    const name = form.getByLabel('Name')
    await page.locator('[data-field="name"] .field__error').filter({ hasText: 'Required' }).waitFor()
    expect(await name.getAttribute('aria-invalid')).toBe('true')
    // The message is tied to the input for screen readers, and focus went to the field.
    const describedBy = (await name.getAttribute('aria-describedby')) ?? ''
    expect(await page.locator(`[id="${describedBy.split(' ').pop()}"]`).textContent()).toBe('Required')
    expect(await name.evaluate((el) => el === document.activeElement)).toBe(true)
    expect(posts).toEqual([])
    expect(new URL(page.url()).pathname).toBe('/customers/new')
    await screenshot(page, 'crm-customer-form-required')

    // Typing a name clears the error as you go.
    await name.fill('Now named')
    await page.locator('[data-field="name"] .field__error').waitFor({ state: 'detached' })
  })

  test('a publish changes the form in place and keeps what the person typed', async () => {
    const { page } = e2e
    await login(page, 'admin@acme.test')
    await page.goto('/customers/new')
    await settle(page)
    const form = page.getByRole('form', { name: 'Customer' })
    await form.getByLabel('Name').fill('Typed before the publish')
    await form.getByLabel('Industry').fill('Shipping')

    // An admin elsewhere adds a custom field and places it on the form, then publishes.
    type Item = { content: { fields?: unknown[]; sections?: Array<{ fields: unknown[] }> }; draftRevision: number }
    const objects = await trpc<Item>(page, 'query', 'config.get', { namespace: 'objects', entity: 'customer', key: 'fields' })
    await trpc(page, 'mutation', 'config.saveDraft', {
      namespace: 'objects',
      entity: 'customer',
      key: 'fields',
      expectedRevision: objects.draftRevision,
      content: { fields: [...objects.content.fields!, { name: 'segment', label: 'Segment', type: 'text', helpText: 'Market segment' }] },
    })
    const formItem = await trpc<Item>(page, 'query', 'config.get', { namespace: 'forms', entity: 'customer', key: 'default' })
    const sections = formItem.content.sections!
    sections[0]!.fields.push({ field: 'segment' })
    await trpc(page, 'mutation', 'config.saveDraft', {
      namespace: 'forms',
      entity: 'customer',
      key: 'default',
      expectedRevision: formItem.draftRevision,
      content: { ...formItem.content, sections },
    })
    const { version } = await trpc<{ version: number }>(page, 'query', 'config.list', {})
    await trpc(page, 'mutation', 'config.publish', { expectedVersion: version, message: 'Add a segment field' })

    // The new field appears without a reload; what was typed is still there.
    await form.getByLabel('Segment').waitFor({ timeout: 15_000 })
    expect(await form.getByLabel('Name').inputValue()).toBe('Typed before the publish')
    expect(await form.getByLabel('Industry').inputValue()).toBe('Shipping')
    await form.getByLabel('Segment').fill('Enterprise')
    await form.getByRole('button', { name: 'Create customer' }).click()
    await page.getByRole('heading', { name: 'Typed before the publish', level: 1 }).waitFor()
    expect(await page.getByRole('region', { name: 'Profile' }).getByText('Enterprise').count()).toBe(1)
  })

  test('a CSV import maps columns by label, dry-runs, imports with progress and reports the rejected rows', async () => {
    const { page } = e2e
    await login(page, 'admin@acme.test')
    await page.goto('/customers')
    await settle(page)
    await page.getByRole('link', { name: 'Import CSV' }).click()
    await page.getByRole('heading', { name: 'Import customers', level: 1 }).waitFor()
    await settle(page)
    const csv = [
      'Name;Company;E-mail;Tier;Annual Revenue;Notes',
      '"Csv Import One";"One; Inc.";one@import.test;gold;1200;first',
      'Csv Import Two;Two Ltd;not-an-email;silver;50;',
      ';Nameless Co;;bronze;;',
    ].join('\r\n')
    await page.getByLabel('CSV file', { exact: true }).setInputFiles({ name: 'customers.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) })
    await page.getByText('customers.csv: 3 rows, 6 columns.').waitFor()
    // Columns were matched to fields by label (E-mail → Email); Notes has no field.
    expect(await page.getByLabel('Field for column E-mail').inputValue()).toBe('email')
    expect(await page.getByLabel('Field for column Notes').inputValue()).toBe('')

    await page.getByRole('button', { name: 'Check rows (dry run)' }).click()
    const summary = page.getByTestId('import-summary')
    await summary.getByText('Dry run: 1 row would be imported, 2 would be rejected. Nothing was saved.').waitFor()

    await page.getByRole('button', { name: 'Import 3 rows' }).click()
    await summary.getByText('Imported 1 customer; 2 rows were rejected.').waitFor()
    expect(await page.getByRole('progressbar').getAttribute('aria-valuenow')).toBe('100')
    expect(await summary.getByText('Row 3: E-mail: must be an email address, like name@example.com').count()).toBe(1)
    expect(await summary.getByText('Row 4: Name: Required').count()).toBe(1)
    await page.evaluate(() => window.scrollTo(0, 0))
    await screenshot(page, 'crm-customers-import')

    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: /Download report/ }).click()])
    expect(download.suggestedFilename()).toBe('customers-rejected.csv')
    const { readFile } = await import('node:fs/promises')
    const report = await readFile((await download.path())!, 'utf8')
    expect(report.split('\r\n')[0]).toBe('Row,Name,Company,E-mail,Tier,Annual Revenue,Notes,Errors')
    expect(report).toContain('3,Csv Import Two,Two Ltd,not-an-email,silver,50,,"E-mail: must be an email address, like name@example.com"')

    // The imported customer is there; the import shows on its timeline.
    await page.goto('/customers?q=Csv%20Import')
    await page.waitForFunction(() => document.querySelectorAll('table tbody tr').length === 1)
    await tableRows(page).first().getByRole('link').first().click()
    await page.getByRole('heading', { name: 'Csv Import One', level: 1 }).waitFor()
    expect(await page.getByText('One; Inc.').count()).toBe(1)
    expect(await page.getByText('Imported customer "Csv Import One"').count()).toBe(1)
  })
})
