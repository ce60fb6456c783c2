// The approval rule and SLA policy builders in a real browser, as an admin who never types JSON:
// "deals above 50,000 lock amount and stage until a manager, then Ada, approve" and "high-priority
// cases: first response in 1 h 30 min, resolution in 4 h, business hours Mon–Sat 08:00–18:00 New
// York" are built from scratch, published from the publish centre and found in the snapshot; then
// a matching deal shows the pending approval and its locked field to an agent, and a matching case
// carries the new policy's due times on its page.
import type { Page } from 'playwright-core'
import { describe, expect, test } from 'vitest'
import { addBusinessMinutes } from '../../server/config-language'
import { adminApi } from './admin-api'
import { login, logout, open, saved, screenshot, useE2E } from './fixtures'

const e2e = useE2E()

/** Publishes every pending draft from the publish centre, as an admin does. */
async function publishFromCentre(page: Page, message: string) {
  await open(page, '/studio/publish')
  await page.getByRole('button', { name: 'Validate' }).click()
  await page.getByTestId('validation-summary').filter({ hasText: 'No errors' }).waitFor()
  await page.getByRole('button', { name: 'Publish…' }).click()
  const dialog = page.getByRole('dialog', { name: /^Publish version \d+$/ })
  await dialog.getByLabel('Message').fill(message)
  await dialog.getByRole('button', { name: /^Publish v\d+$/ }).click()
  await page.waitForURL((url) => url.pathname === '/studio/history')
}

async function snapshotContent(baseUrl: string, namespace: string, entity: string, key: string) {
  const api = await adminApi(baseUrl)
  const { version } = await api.config.list.query()
  const snapshot = await api.config.snapshot.query({ version })
  return snapshot.items.find((i) => i.namespace === namespace && i.entity === entity && i.key === key)?.content
}

describe('the approval rule and SLA policy builders', () => {
  test('an admin builds an approval rule for big deals and publishes it; an agent then finds a big deal waiting and its amount locked', async () => {
    const { page } = e2e
    const api = await adminApi(e2e.baseUrl)
    const adminId = (await api.members.list.query()).find((m) => m.email === 'admin@acme.test')!.userId

    await login(page, 'admin@acme.test')
    await open(page, '/studio/approvals')
    await page.getByRole('button', { name: 'New', exact: true }).click()
    const dialog = page.getByRole('dialog', { name: 'New approval rule' })
    await dialog.getByLabel('For').selectOption({ label: 'Deals' })
    await dialog.getByLabel('Key').fill('big-deal')
    await dialog.getByRole('button', { name: 'Create' }).click()
    await page.waitForURL((url) => url.searchParams.get('item') === 'approvals/deal/big-deal')
    const editor = page.getByRole('region', { name: 'Edit approvals/deal/big-deal' })

    await editor.getByLabel('Name', { exact: true }).fill('Big deals')
    // Needs approval when the amount is greater than 50,000.
    await editor.getByLabel('Field', { exact: true }).selectOption({ label: 'Amount' })
    await editor.getByLabel('Operator for Amount').selectOption({ label: 'greater than' })
    await editor.getByLabel('Value for Amount').fill('50000')
    // The matching deals are listed above the locks once the preview answers: wait for it (and the
    // autosave), so the list does not push the checkboxes away under the clicks below.
    await editor.getByText(/^Matches \d+ of \d+ deals now$/).waitFor()
    await page.waitForLoadState('networkidle')

    const locks = editor.getByRole('group', { name: 'Locked while pending' })
    await locks.getByLabel('Amount', { exact: true }).check()
    await locks.getByLabel('Stage', { exact: true }).check()

    // Step 1: any manager (the template's); step 2: Ada herself.
    expect(await editor.getByLabel('Role for step 1').inputValue()).toBe('MANAGER')
    await editor.getByRole('button', { name: 'Add a step' }).click()
    const step2 = editor.getByRole('group', { name: 'Step 2' })
    await step2.getByLabel('Each of these people').check()
    await step2.getByLabel('Ada Admin').check()
    for (const other of ['Max Manager', 'Aggie Agent', 'Vic Viewer']) {
      const box = step2.getByLabel(other)
      if ((await box.count()) && (await box.isChecked())) await box.uncheck()
    }

    // On approve, an existing deal action; nothing extra on reject.
    await editor.getByLabel('When approved, run: add an action').selectOption('notify-discount-approved')
    await editor.getByText('notify-discount-approved', { exact: true }).waitFor()

    await saved(page)
    await editor.getByTestId('item-validation').getByText('No validation issues: this approval rule can be published.').waitFor()
    await screenshot(page, 'studio-approval-rule-builder')
    expect(await page.locator('textarea.code-area').count()).toBe(0)

    await publishFromCentre(page, 'Big deals need two approvals')
    expect(await snapshotContent(e2e.baseUrl, 'approvals', 'deal', 'big-deal')).toEqual({
      label: 'Big deals',
      entity: 'deal',
      when: { field: 'amount', op: 'gt', value: 50000 },
      steps: [{ approverRole: 'MANAGER' }, { approverUserIds: [adminId] }],
      lockedFields: ['amount', 'stage'],
      onApprove: ['notify-discount-approved'],
    })

    // A big deal (no discount, so only the new rule applies) waits for its approvals.
    const customer = await api.customers.create.mutate({ values: { name: 'Harbour Logistics' } })
    const deal = await api.deals.create.mutate({ values: { name: 'Harbour expansion', customerId: customer.id, amount: 80_000, stage: 'qualification' } })
    expect((await api.deals.get.query({ id: deal.id })).approval).toMatchObject({ ruleKey: 'big-deal', status: 'pending', lockedFields: ['amount', 'stage'] })

    await logout(page)
    await login(page, 'agent@acme.test')
    await open(page, `/deals/${deal.id}`)
    const banner = page.locator('.approval-banner')
    await banner.getByText('Approval pending: Big deals').waitFor()
    await banner.getByText(/Step 1 of 2, decided by any manager\./).waitFor()
    await banner.getByText(/Locked until decided: amount, stage\./).waitFor()
    await open(page, `/deals/${deal.id}/edit`)
    await page.locator('[data-field="amount"]').getByText('Locked while an approval is pending.').waitFor()
  })

  test('an admin builds an SLA policy for high-priority cases with business hours and publishes it; a new high case is due by it', async () => {
    const { page } = e2e
    await login(page, 'admin@acme.test')
    await open(page, '/studio/sla')
    await page.getByRole('button', { name: 'New', exact: true }).click()
    const dialog = page.getByRole('dialog', { name: 'New SLA policy' })
    await dialog.getByLabel('Key').fill('vip-high')
    await dialog.getByRole('button', { name: 'Create' }).click()
    await page.waitForURL((url) => url.searchParams.get('item') === 'sla/case/vip-high')
    const editor = page.getByRole('region', { name: 'Edit sla/case/vip-high' })

    await editor.getByLabel('Name', { exact: true }).fill('High priority, faster')
    await editor.getByLabel('Value for Priority').selectOption({ label: 'High' })
    // Change operators are not offered: a policy matches a case as it is.
    expect(await editor.getByLabel('Operator for Priority').locator('option', { hasText: 'changed to' }).count()).toBe(0)

    // Targets as hours and minutes; stored as minutes.
    const first = editor.getByRole('group', { name: 'First response within' })
    await first.getByLabel('hours').fill('1')
    await first.getByLabel('minutes').fill('30')
    await first.getByText('1 h 30 min of business time.').waitFor()
    const resolution = editor.getByRole('group', { name: 'Resolution within' })
    await resolution.getByLabel('hours').fill('4')
    await resolution.getByLabel('minutes').fill('0')
    // An impossible minute count is refused in words and not saved.
    await resolution.getByLabel('minutes').fill('75')
    await resolution.getByText('Minutes are a whole number from 0 to 59 (not saved until it is)').waitFor()
    await resolution.getByLabel('minutes').fill('0')
    await editor.getByLabel('Warn at (% of the target)').fill('75')

    // Business hours: Monday to Saturday, 08:00–18:00 in New York.
    await editor.getByLabel('Business hours only').check()
    const days = editor.getByRole('group', { name: 'Open on' })
    await days.getByLabel('Saturday').check()
    expect(await days.getByLabel('Sunday').isChecked()).toBe(false)
    await editor.getByLabel('Opens at').fill('08:00')
    await editor.getByLabel('Closes at').fill('18:00')
    await editor.getByLabel('Time zone').selectOption('America/New_York')
    await editor.getByText('Counts Mon–Sat, 08:00–18:00 (America/New York)', { exact: false }).waitFor()

    // The preview computes due times in the browser, in the policy's zone.
    const preview = editor.getByTestId('sla-preview')
    await preview.getByText('Times in America/New York.').waitFor()
    await preview.getByText('First response', { exact: true }).waitFor()
    await preview.getByText('Resolution', { exact: true }).waitFor()

    await saved(page)
    await editor.getByTestId('item-validation').getByText('No validation issues: this SLA policy can be published.').waitFor()
    await screenshot(page, 'studio-sla-policy-builder')
    expect(await page.locator('textarea.code-area').count()).toBe(0)

    await publishFromCentre(page, 'Faster promises for high-priority cases')
    const hours = { timeZone: 'America/New_York', days: [1, 2, 3, 4, 5, 6], start: '08:00', end: '18:00' }
    expect(await snapshotContent(e2e.baseUrl, 'sla', 'case', 'vip-high')).toEqual({
      label: 'High priority, faster',
      when: { field: 'priority', op: 'eq', value: 'high' },
      firstResponseMinutes: 90,
      resolutionMinutes: 240,
      businessHours: hours,
      warnAtPercent: 75,
    })

    // A new high-priority case runs on the new policy (the strictest that matches): resolution is
    // 150 business minutes after the first response in New York's business hours.
    const api = await adminApi(e2e.baseUrl)
    const customer = await api.customers.create.mutate({ values: { name: 'Pier Nine Traders' } })
    const kase = await api.cases.create.mutate({ values: { subject: 'Container tracking down', customerId: customer.id, priority: 'high' } })
    const sla = (await api.cases.get.query({ id: kase.id })).sla!
    expect(sla.policyKey).toBe('vip-high')
    expect(sla.resolutionDueAt).toBe(addBusinessMinutes(new Date(sla.firstResponseDueAt), 150, hours).toISOString())

    await logout(page)
    await login(page, 'agent@acme.test')
    await open(page, `/cases/${kase.id}`)
    const badge = page.locator('.record-meta .sla-badge')
    await badge.waitFor()
    const due = await page.evaluate((iso) => new Date(iso).toLocaleString(), sla.firstResponseDueAt)
    // The due time (in the reader's zone) appears once the page has mounted.
    await expect.poll(() => badge.getAttribute('title')).toBe(`SLA vip-high: first response due ${due}`)
  })
})
