// The dashboard in a browser: non-empty charts on the seeded tenant (cases, pipeline, and the demo
// activity's SLA, inbox and automation runs), numbers that link to their lists, a case created and
// a message ingested through the API moving the numbers without a reload, a table for screen
// readers, no automations for a viewer, and screenshots at 1280×800 and 800 px wide
// (tests/e2e/artifacts/).
import { describe, expect, it } from 'vitest'
import { adminApi } from './admin-api'
import { login, open, screenshot, useE2E } from './fixtures'

const e2e = useE2E()

const kpi = async (testId: string) => Number((await e2e.page.getByTestId(testId).locator('.dash-kpi__value').innerText()).replace(/\D/g, ''))
const openCases = () => kpi('kpi-open-cases')

describe('dashboard', () => {
  it('draws the seeded tenant as charts, with tables and links behind the numbers', async () => {
    const { page } = e2e
    await login(page, 'admin@acme.test')
    await open(page, '/')
    await expect.poll(() => page.locator('[data-testid="chart-open-by-status"] .recharts-bar-rectangle').count()).toBeGreaterThan(0)
    await expect.poll(() => page.locator('[data-testid="chart-pipeline-by-stage"] .recharts-bar-rectangle').count()).toBeGreaterThan(0)
    await expect.poll(() => page.locator('[data-testid="chart-backlog"] .recharts-line').count()).toBe(1)
    expect(await openCases()).toBeGreaterThan(0)
    // The screen-reader table holds the same numbers, each a link to its list.
    const statusTable = page.getByTestId('table-open-by-status')
    expect(await statusTable.locator('tbody tr').count()).toBeGreaterThan(0)
    const sum = (await statusTable.locator('tbody td').allInnerTexts()).reduce((n, t) => n + Number(t.replace(/\D/g, '')), 0)
    expect(sum).toBe(await openCases())
    // The service groups on the seeded demo activity: SLA compliance, messages per channel, automation runs.
    await expect.poll(() => page.locator('[data-testid="chart-sla-compliance"] .recharts-bar-rectangle').count()).toBeGreaterThan(0)
    await expect.poll(() => page.locator('[data-testid="chart-inbox-received"] .recharts-bar-rectangle').count()).toBeGreaterThan(0)
    await expect.poll(() => page.locator('[data-testid="chart-automation-runs"] .recharts-bar-rectangle').count()).toBeGreaterThan(0)
    expect(await kpi('kpi-automation-runs')).toBeGreaterThan(0)
    // Failed runs open the run log filtered to failures.
    expect(await page.getByTestId('kpi-automation-failed').getByRole('link').getAttribute('href')).toMatch(
      /^\/studio\/runs\?status=failed&from=\d{4}-\d{2}-\d{2}&to=\d{4}-\d{2}-\d{2}$/,
    )

    await screenshot(page, 'dashboard-1280x800')
    await page.setViewportSize({ width: 800, height: 1000 })
    await expect.poll(() => page.locator('[data-testid="chart-open-by-status"] .recharts-bar-rectangle').count()).toBeGreaterThan(0)
    await screenshot(page, 'dashboard-800')
    await page.setViewportSize({ width: 1280, height: 800 })

    // "Show as table" shows the table in place of the chart.
    const card = page.getByTestId('chart-open-by-priority')
    await card.getByRole('button', { name: 'Show as table' }).click()
    await expect.poll(() => card.locator('table.dash-table').isVisible()).toBe(true)

    // "Unassigned threads" opens the inbox with that filter; the list shows as many threads.
    const unassigned = await kpi('kpi-inbox-unassigned')
    expect(unassigned).toBeGreaterThan(0)
    await page.getByTestId('kpi-inbox-unassigned').getByRole('link').click()
    await page.waitForURL((url) => url.pathname === '/inbox' && url.searchParams.get('assignee') === 'unassigned' && url.searchParams.get('status') === 'open')
    await expect.poll(() => page.getByTestId('inbox-thread').count()).toBe(unassigned)
    await open(page, '/')

    // "Open cases" opens the case list with the same filter and total.
    const expected = await openCases()
    await page.getByTestId('kpi-open-cases').getByRole('link').click()
    await page.waitForURL((url) => url.pathname === '/cases' && url.searchParams.has('filter'))
    await expect.poll(() => page.locator('main').innerText()).toMatch(new RegExp(`\\b${expected}\\b`))
  })

  it('a case created elsewhere moves "Open cases" without a reload', async () => {
    const { page } = e2e
    await login(page, 'viewer@acme.test')
    await open(page, '/?period=7d')
    await expect.poll(() => page.locator('[data-testid="chart-open-by-status"] .recharts-bar-rectangle').count()).toBeGreaterThan(0)
    // Listening before the change is made: otherwise the test could not tell a miss from a delay.
    await page.waitForSelector('[data-live="listening"]')
    const before = await openCases()
    // A marker on the document: it survives only if the page is not reloaded.
    await page.evaluate(() => ((window as unknown as { __noReload: boolean }).__noReload = true))
    const api = await adminApi(e2e.baseUrl)
    const customer = (await api.customers.list.query({ limit: 1 })).rows[0]!
    await api.cases.create.mutate({ values: { subject: 'Dashboard live probe', customerId: customer.id } })
    await expect.poll(openCases, { timeout: 10_000 }).toBe(before + 1)
    // A message arriving in the inbox moves "Messages received" the same way.
    const received = await kpi('kpi-inbox-received')
    await api.inbox.ingest.mutate({ externalId: `dash-live-${Date.now()}`, channel: 'chat', from: { handle: 'dashboard-live-probe' }, text: 'Hello?' })
    await expect.poll(() => kpi('kpi-inbox-received'), { timeout: 10_000 }).toBe(received + 1)
    expect(await page.evaluate(() => (window as unknown as { __noReload?: boolean }).__noReload)).toBe(true)
    // A viewer may not read the run log: the automations group says so and shows no numbers.
    await page.getByTestId('automations-not-shown').waitFor()
    expect(await page.getByTestId('kpi-automation-runs').count()).toBe(0)
  })
})
