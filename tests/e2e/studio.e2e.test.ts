// The Automation Studio through a real browser, as admins, managers and agents use it: a custom
// field built, placed on a form and in a view, validated, published and rolled back while an agent
// watches the CRM change under their eyes; a validation error that blocks publishing until fixed;
// an autosave conflict between two admins; who may do what; and every Studio page at 1280×800.
import type { BrowserContext, Page } from 'playwright-core'
import { describe, expect, test } from 'vitest'
import { login, screenshot as fullScreenshot, settle, useE2E, open, saved } from './fixtures'

const e2e = useE2E()

/** A full-page screenshot from the top (a scrolled page would draw its sticky top bar mid-page). */
async function screenshot(page: Page, name: string): Promise<string> {
  await page.evaluate(() => window.scrollTo(0, 0))
  return fullScreenshot(page, name)
}

/** A second person in their own browser context (own cookies), with console errors collected. */
async function otherPerson(email: string): Promise<{ context: BrowserContext; page: Page; errors: string[] }> {
  const browser = e2e.page.context().browser()!
  const context = await browser.newContext({ baseURL: e2e.baseUrl, viewport: { width: 1280, height: 800 } })
  const page = await context.newPage()
  const errors: string[] = []
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text())
  })
  page.on('pageerror', (err) => errors.push(`Uncaught ${err.name}: ${err.message}`))
  await login(page, email)
  return { context, page, errors }
}

/** A page that is reloaded loses this mark. */
const mark = (page: Page) => page.evaluate(() => ((window as unknown as { __studioMark: string }).__studioMark = 'no reload'))
const marked = (page: Page) => page.evaluate(() => (window as unknown as { __studioMark?: string }).__studioMark)

const columnHeaders = async (page: Page) => (await page.getByRole('columnheader').allInnerTexts()).map((t) => t.replace(/[↑↓▲▼↕⇅]/g, '').trim())

async function addSelectField(page: Page, label: string, options: Array<[string, string]>) {
  await open(page, '/studio/forms?entity=customer&tab=fields')
  await page.getByRole('button', { name: 'Add field' }).click()
  const dialog = page.getByRole('dialog', { name: 'Add field' })
  await dialog.getByLabel('Label').fill(label)
  await dialog.getByLabel('Type').selectOption('select')
  for (const [i, [value, optionLabel]] of options.entries()) {
    await dialog.getByRole('button', { name: '+ Option' }).click()
    await dialog.getByLabel(`Option ${i + 1} value`).fill(value)
    await dialog.getByLabel(`Option ${i + 1} label`).fill(optionLabel)
  }
  await dialog.getByRole('button', { name: 'Add field' }).click()
  await dialog.waitFor({ state: 'detached' })
}

describe('the Automation Studio', () => {
  test('an admin adds a Segment field to the form and a view, publishes, and rolls back, while an agent watches the CRM change live', async () => {
    const { page } = e2e
    e2e.allowConsoleError(/status of 4\d\d/)
    // The agent is already working: the customer list in one tab, a new-customer form in another.
    const agent = await otherPerson('agent@acme.test')
    const agentList = agent.page
    await open(agentList, '/customers')
    await agentList.getByRole('table').waitFor()
    const agentForm = await agent.context.newPage()
    agentForm.on('pageerror', (err) => agent.errors.push(`Uncaught ${err.name}: ${err.message}`))
    await open(agentForm, '/customers/new')
    await agentForm.getByLabel('Name', { exact: false }).first().fill('Typed before the publish')
    expect(await columnHeaders(agentList)).not.toContain('Segment')
    expect(await agentForm.getByLabel('Segment').count()).toBe(0)
    await mark(agentList)
    await mark(agentForm)

    await login(page, 'admin@acme.test')

    // 1. The field: a select with three options, in the customer catalogue.
    await addSelectField(page, 'Segment', [
      ['smb', 'SMB'],
      ['mid', 'Mid-market'],
      ['enterprise', 'Enterprise'],
    ])
    const row = page.getByTestId('field-row-segment')
    await row.waitFor()
    expect(await row.innerText()).toContain('smb, mid, enterprise')
    await saved(page)

    // 2. On the default form, in the Profile section, moved up with the keyboard alternative.
    await page.getByRole('link', { name: 'Layout' }).click()
    await page.waitForURL((url) => url.searchParams.get('tab') === 'layout')
    const profile = page.getByRole('region', { name: 'Section Profile' })
    await profile.getByLabel('Add a field to Profile').selectOption('segment')
    await profile.getByRole('button', { name: 'Add field' }).click()
    const profileFields = profile.getByRole('list', { name: 'Fields of section Profile' })
    await profileFields.getByTestId('sortable-item-Segment').waitFor()
    await profile.getByRole('button', { name: 'Move Segment up' }).click()
    const order = await profileFields.locator(':scope > li .layout-field__name').allInnerTexts()
    expect(order.map((t) => t.split(/\s/)[0])).toEqual(['Name', 'Company', 'Email', 'Phone', 'Owner', 'Segment', 'Tier'])
    // The live preview is the CRM's own form, rendered from the drafts.
    await page.getByTestId('form-preview').getByLabel('Segment').waitFor()
    await saved(page)
    await screenshot(page, 'studio-form-builder-segment')

    // 3. In the "All customers" view: a column (dragged next to Company) and an OR filter.
    await page.getByRole('navigation', { name: 'Automation Studio' }).getByRole('link', { name: 'Views' }).click()
    await page.waitForURL((url) => url.pathname === '/studio/views')
    await settle(page)
    await page.getByLabel('Add a column').selectOption('segment')
    await page.getByRole('button', { name: 'Add column' }).click()
    const columns = page.getByRole('list', { name: 'Columns' })
    await columns.getByTestId('drag-Segment').dragTo(columns.getByTestId('sortable-item-Email'), { targetPosition: { x: 20, y: 4 } })
    await page.waitForFunction(() => {
      const names = [...document.querySelectorAll('ol[aria-label="Columns"] > li .column-row__name')].map((el) => el.textContent?.trim())
      return names.indexOf('Segment') === names.indexOf('Email') - 1
    })
    await page.getByRole('button', { name: 'Add filter condition' }).click()
    const filter = page.getByRole('group', { name: /Filter: match/ })
    await filter.getByLabel('Field', { exact: true }).first().selectOption('segment')
    await filter.getByLabel('Operator for Segment').first().selectOption('isEmpty')
    await filter.getByRole('button', { name: '+ Condition' }).click()
    await filter.getByLabel('Field', { exact: true }).nth(1).selectOption('segment')
    await filter.getByLabel('Operator for Segment').nth(1).selectOption('in')
    const values = filter.getByRole('group', { name: 'Values for Segment' })
    await values.getByLabel('SMB').uncheck()
    await values.getByLabel('Mid-market').check()
    await values.getByLabel('Enterprise').check()
    await filter.getByLabel('Filter: match').selectOption('any')
    // The operator menu fits the field's type: no "contains" for a select.
    expect(await filter.getByLabel('Operator for Segment').first().locator('option').allInnerTexts()).not.toContain('contains')
    await saved(page)
    // The preview runs on the real records (the new field is not published yet, so it is not queried).
    await page
      .getByTestId('view-preview')
      .getByRole('columnheader', { name: /Segment/ })
      .waitFor()
    await screenshot(page, 'studio-view-builder-segment')

    // 4. Publish center: the pending changes, a clean validation, the impact, publish with a message.
    await page.getByRole('navigation', { name: 'Automation Studio' }).getByRole('link', { name: 'Publish' }).click()
    await page.waitForURL((url) => url.pathname === '/studio/publish')
    await page.getByRole('button', { name: 'Validate' }).click()
    await page.getByTestId('validation-summary').filter({ hasText: 'No errors' }).waitFor()
    for (const address of ['objects/customer/fields', 'forms/customer/default', 'views/customer/all']) {
      await page.getByTestId(`pending-${address}`).waitFor()
    }
    expect(await jsonChangesText(page, 'views/customer/all')).toContain('filter')
    await page.getByRole('button', { name: 'Publish…' }).click()
    const dialog = page.getByRole('dialog', { name: 'Publish version 2' })
    await dialog.getByText('Impact on existing records').waitFor()
    await dialog.getByLabel('Message').fill('Segment for customers: form, column and filter')
    await dialog.getByRole('button', { name: 'Publish v2' }).click()
    await page.waitForURL((url) => url.pathname === '/studio/history')
    await page.getByText('Version v2 is live').waitFor()
    expect(await page.getByTestId('version-2').innerText()).toContain('Segment for customers: form, column and filter')

    // 5. The agent's open pages change without a reload: a new column, a new form field.
    await agentList.getByRole('columnheader', { name: /Segment/ }).waitFor({ timeout: 20_000 })
    await agentForm.getByLabel('Segment').waitFor({ timeout: 20_000 })
    expect(await agentForm.getByLabel('Name', { exact: false }).first().inputValue()).toBe('Typed before the publish')
    expect(await marked(agentList)).toBe('no reload')
    expect(await marked(agentForm)).toBe('no reload')
    await screenshot(agentList, 'studio-agent-after-publish')

    // 6. History: the diff of v1 → v2 side by side, then roll back to v1.
    await page.getByRole('link', { name: 'Compare v2 with v1' }).click()
    await page.getByTestId('diff-views/customer/all').waitFor()
    expect(await page.locator('[data-testid="diff-views/customer/all"] .json-line--added').count()).toBeGreaterThan(0)
    await screenshot(page, 'studio-history-diff')
    await page.getByRole('button', { name: 'Roll back to v1' }).click()
    await page.getByRole('alertdialog').getByRole('button', { name: 'Roll back to v1' }).click()
    await page.getByText('Version v3 is live, with the content of version v1').waitFor()

    // 7. …and the agent's pages return to the previous shape, still without a reload.
    await agentList.getByRole('columnheader', { name: /Segment/ }).waitFor({ state: 'detached', timeout: 20_000 })
    await agentForm.getByLabel('Segment').waitFor({ state: 'detached', timeout: 20_000 })
    expect(await columnHeaders(agentList)).not.toContain('Segment')
    expect(await marked(agentList)).toBe('no reload')
    expect(await marked(agentForm)).toBe('no reload')
    expect(agent.errors.filter((e) => !/status of 4\d\d/.test(e))).toEqual([])
    await agent.context.close()
  })

  test('a view filtering on a field the draft removes is a validation error that blocks publishing until fixed', async () => {
    const { page } = e2e
    await login(page, 'admin@acme.test')
    // A draft field "Region", used by a filter of the "Gold customers" view…
    await open(page, '/studio/forms?entity=customer&tab=fields')
    await page.getByRole('button', { name: 'Add field' }).click()
    const dialog = page.getByRole('dialog', { name: 'Add field' })
    await dialog.getByLabel('Label').fill('Region')
    await dialog.getByRole('button', { name: 'Add field' }).click()
    await page.getByTestId('field-row-region').waitFor()
    await saved(page)
    await open(page, '/studio/views?entity=customer&view=gold')
    const filter = page.getByRole('group', { name: /Filter: match/ })
    await filter.getByRole('button', { name: '+ Condition' }).click()
    await filter.getByLabel('Field', { exact: true }).nth(1).selectOption('region')
    await filter.getByLabel('Value for Region').fill('EMEA')
    await saved(page)

    // …which the draft then removes from the catalogue.
    await open(page, '/studio/forms?entity=customer&tab=fields')
    await page.getByRole('button', { name: 'Remove Region' }).click()
    const confirm = page.getByRole('alertdialog')
    expect(await confirm.innerText()).toContain('views/customer/gold')
    await confirm.getByRole('button', { name: 'Remove field' }).click()
    await page.getByTestId('field-row-region').waitFor({ state: 'detached' })
    await saved(page)

    // The publish center shows the error at the view and the path it concerns; publishing is blocked.
    await open(page, '/studio/publish')
    await page.getByTestId('validation-summary').filter({ hasText: '1 error' }).waitFor()
    const issue = page.getByTestId('validation-issue').filter({ hasText: 'region' })
    expect(await issue.innerText()).toContain('filter.all[1].field')
    expect(await page.getByRole('button', { name: 'Publish…' }).isDisabled()).toBe(true)
    await screenshot(page, 'studio-publish-validation-error')

    // Clicking the error opens the view builder at that filter row; removing the row fixes it.
    await issue.getByRole('link', { name: 'filter.all[1].field' }).click()
    await page.waitForURL((url) => url.pathname === '/studio/views' && url.searchParams.get('view') === 'gold')
    const focused = page.locator('.cond-row.is-focused')
    await focused.waitFor()
    expect(await focused.getAttribute('data-config-path')).toBe('filter.all.1')
    await focused.getByRole('button', { name: 'Remove condition on region' }).click()
    await saved(page)

    await page.getByRole('navigation', { name: 'Automation Studio' }).getByRole('link', { name: 'Publish' }).click()
    await page.waitForURL((url) => url.pathname === '/studio/publish')
    await page.getByTestId('validation-summary').filter({ hasText: 'No errors' }).waitFor()
    expect(await page.getByRole('button', { name: 'Publish…' }).isDisabled()).toBe(false)

    // Leave the tenant clean for the next test: nothing left pending.
    await page.getByRole('button', { name: 'Discard all drafts' }).click()
    await page.getByRole('alertdialog').getByRole('button', { name: 'Discard all' }).click()
    await page.getByRole('heading', { name: 'No pending drafts' }).waitFor()
  })

  test('two admins edit one item: the second save is a conflict, shown with the unsaved edit kept, and reload takes the other version', async () => {
    const { page } = e2e
    e2e.allowConsoleError(/status of 409/)
    await login(page, 'admin@acme.test')
    await open(page, '/studio/views?entity=deal&view=all')

    // Meanwhile another admin saves the same view.
    const other = await otherPerson('admin@acme.test')
    await open(other.page, '/studio/views?entity=deal&view=all')
    await other.page.getByLabel('Name', { exact: true }).fill('All deals (theirs)')
    await saved(other.page)

    await page.getByLabel('Name', { exact: true }).fill('All deals (mine)')
    const banner = page.locator('.conflict-banner')
    await banner.getByText('Someone else changed the view all while you were editing').waitFor()
    expect(await page.getByTestId('save-status').innerText()).toBe('Not saved: conflict')
    expect(await banner.getByLabel('Your unsaved edit (JSON)').inputValue()).toContain('All deals (mine)')
    await screenshot(page, 'studio-conflict')

    await banner.getByRole('button', { name: 'Reload their version' }).click()
    await page.getByText('Reloaded the latest version of the view all').waitFor()
    expect(await page.getByLabel('Name', { exact: true }).inputValue()).toBe('All deals (theirs)')
    // Their edit is still there to copy from.
    expect(await page.locator('.conflict-banner').getByLabel('Your unsaved edit (JSON)').inputValue()).toContain('All deals (mine)')
    await saved(page)

    // Publishing races too: this admin reviews the drafts while the other one publishes them.
    await open(page, '/studio/publish')
    await page.getByTestId('pending-views/deal/all').waitFor()
    const base = Number((await page.getByTestId('live-version').innerText()).trim().slice(1))
    await open(other.page, '/studio/publish')
    await other.page.getByRole('button', { name: 'Publish…' }).click()
    await other.page.getByRole('dialog').getByLabel('Message').fill('Their deal list label')
    await other.page
      .getByRole('dialog')
      .getByRole('button', { name: `Publish v${base + 1}` })
      .click()
    await other.page.getByText(`Version v${base + 1} is live`).waitFor()
    await other.context.close()

    await page.getByRole('button', { name: 'Publish…' }).click()
    await page.getByRole('dialog').getByLabel('Message').fill('My deal list label')
    await page
      .getByRole('dialog')
      .getByRole('button', { name: `Publish v${base + 1}` })
      .click()
    const panel = page.locator('.conflict-panel')
    await panel.getByText('Someone published while you were reviewing').waitFor()
    expect(await panel.innerText()).toContain(`v${base + 1} by Ada Admin: “Their deal list label”`)
    expect(await panel.getByRole('table', { name: 'Changes to views/deal/all' }).innerText()).toContain('All deals (theirs)')
    expect(await page.getByRole('button', { name: 'Publish…' }).isDisabled()).toBe(true)
    await screenshot(page, 'studio-publish-conflict')
    await panel.getByRole('button', { name: `Re-validate against v${base + 1}` }).click()
    await panel.waitFor({ state: 'detached' })
    await page.getByRole('heading', { name: 'No pending drafts' }).waitFor()
    expect(await page.getByTestId('live-version').innerText()).toBe(`v${base + 1}`)
  })

  test('discarding a draft drops the one the admin was shown; one another admin saved meanwhile is a conflict', async () => {
    const { page } = e2e
    e2e.allowConsoleError(/status of 409/)
    await login(page, 'admin@acme.test')
    await open(page, '/studio/views?entity=case&view=all')
    await page.getByLabel('Name', { exact: true }).fill('All cases (first draft)')
    await saved(page)
    await open(page, '/studio/publish')
    await page.getByTestId('pending-views/case/all').waitFor()

    const other = await otherPerson('admin@acme.test')
    await open(other.page, '/studio/views?entity=case&view=all')
    await other.page.getByLabel('Name', { exact: true }).fill('All cases (their draft)')
    await saved(other.page)
    await other.context.close()

    // Discarding asks first (issue 17); the question names the item.
    const discard = async () => {
      await page.getByRole('button', { name: 'Discard the draft of views/case/all' }).click()
      await page.getByRole('alertdialog', { name: 'Discard the draft of views/case/all?' }).getByRole('button', { name: 'Discard draft' }).click()
    }
    await discard()
    await page.getByText(/views\/case\/all was changed meanwhile/).waitFor()
    await page.getByTestId('pending-views/case/all').waitFor()

    await open(page, '/studio/publish')
    await discard()
    await page.getByText('Discarded the draft of views/case/all.').waitFor()
    await page.getByRole('heading', { name: 'No pending drafts' }).waitFor()
  })

  test('per-field rules on a form: read-only for a role and visible when a condition holds, checked in the live preview', async () => {
    const { page } = e2e
    await login(page, 'admin@acme.test')
    await open(page, '/studio/forms?entity=deal&tab=layout')
    const preview = page.getByTestId('form-preview')

    const deal = page.getByRole('region', { name: 'Section Deal' })
    await deal.getByRole('button', { name: 'Settings of Close date' }).click()
    await deal.getByRole('group', { name: 'Read-only for' }).getByLabel('Agent').check()
    await preview.locator('[data-field="closeDate"]').filter({ hasText: 'Read-only for your role.' }).waitFor()

    const details = page.getByRole('region', { name: 'Section Details' })
    await details.getByRole('button', { name: 'Settings of Source' }).click()
    await details.getByRole('button', { name: 'Add visible when condition' }).click()
    const when = details.getByRole('group', { name: /Visible when: match/ })
    await when.getByLabel('Field', { exact: true }).selectOption('stage')
    await when.getByLabel('Value for Stage').selectOption('won')
    await preview.getByLabel('Source').waitFor({ state: 'detached' })
    await preview.getByLabel('Stage').selectOption('won')
    await preview.getByLabel('Source').waitFor()
    await saved(page)
    await screenshot(page, 'studio-form-field-rules')

    // The preview as a manager: the close date is editable again.
    await page.getByLabel('As', { exact: true }).selectOption('MANAGER')
    await preview.getByLabel('Close date').waitFor()

    await open(page, '/studio/publish')
    expect(await jsonChangesText(page, 'forms/deal/default')).toContain('readOnlyFor')
    await page.getByRole('button', { name: 'Discard all drafts' }).click()
    await page.getByRole('alertdialog').getByRole('button', { name: 'Discard all' }).click()
    await page.getByRole('heading', { name: 'No pending drafts' }).waitFor()
  })

  test('the audit log filters by action, item and actor, and pages through older entries', async () => {
    const { page } = e2e
    await login(page, 'admin@acme.test')
    // Something to find: six saves of a view's name, then the draft discarded.
    await open(page, '/studio/views?entity=customer&view=all')
    for (let i = 1; i <= 6; i++) {
      await page.getByLabel('Name', { exact: true }).fill(`All customers ${i}`)
      await page.getByTestId('save-status').filter({ hasText: 'All changes saved' }).waitFor({ state: 'detached' })
      await saved(page)
    }
    await open(page, '/studio/publish')
    await page.getByRole('button', { name: 'Discard all drafts' }).click()
    await page.getByRole('alertdialog').getByRole('button', { name: 'Discard all' }).click()
    await page.getByRole('heading', { name: 'No pending drafts' }).waitFor()

    await open(page, '/studio/audit')
    const filters = page.getByRole('search', { name: 'Filter the audit log' })
    await filters.getByLabel('Action starts with').fill('config.draft.save')
    await filters.getByLabel('Item contains').fill('views/customer/all')
    await filters.getByLabel('Actor').selectOption({ label: 'Ada Admin (admin@acme.test)' })
    await filters.getByRole('button', { name: 'Filter' }).click()
    await page.waitForURL((url) => url.searchParams.get('action') === 'config.draft.save')
    const table = page.getByRole('table', { name: 'Audit log' })
    const rows = table.locator('tbody tr')
    await rows.first().waitFor()
    for (const text of await rows.allInnerTexts()) {
      expect(text).toContain('config.draft.save')
      expect(text).toContain('views/customer/all')
      expect(text).toContain('Ada Admin')
    }
    // Pages of three: older, older again, and back to newer, without repeating an entry.
    await open(page, '/studio/audit?limit=3')
    const ids = () => rows.evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-entry')))
    /** The ids of the page shown after a click, once the table shows another page than `before`. */
    const idsAfter = async (before: (string | null)[]) => {
      await expect.poll(async () => (await ids()).join()).not.toBe(before.join())
      return ids()
    }
    const firstPage = await ids()
    expect(firstPage).toHaveLength(3)
    await page.getByRole('link', { name: 'Older entries' }).click()
    const secondPage = await idsAfter(firstPage)
    expect(secondPage).toHaveLength(3)
    expect(secondPage.some((id) => firstPage.includes(id))).toBe(false)
    await page.getByRole('link', { name: 'Older entries' }).click()
    const thirdPage = await idsAfter(secondPage)
    expect(thirdPage.some((id) => secondPage.includes(id) || firstPage.includes(id))).toBe(false)
    await page.getByRole('link', { name: 'Newer entries' }).click()
    expect(await idsAfter(thirdPage)).toEqual(secondPage)
    await page.getByRole('link', { name: 'Newer entries' }).click()
    expect(await idsAfter(secondPage)).toEqual(firstPage)

    // A date range that ends before anything happened finds nothing.
    await filters.getByLabel('To (UTC)').fill('2000-01-01')
    await filters.getByRole('button', { name: 'Filter' }).click()
    await page.getByText('No matching entries').waitFor()
    await screenshot(page, 'studio-audit-filtered')
  })

  test('new items: a view made in the builder, an SLA policy written as JSON (the builder escape hatch) with inline validation, then removed again', async () => {
    const { page } = e2e
    await login(page, 'admin@acme.test')
    await open(page, '/studio/views?entity=case')
    await page.getByRole('button', { name: 'New view' }).click()
    const newView = page.getByRole('dialog', { name: 'New view' })
    await newView.getByLabel('Name').fill('Escalated cases')
    await newView.getByLabel('Key').fill('escalated')
    await newView.getByRole('button', { name: 'Create view' }).click()
    await page.waitForURL((url) => url.searchParams.get('view') === 'escalated')
    await page.getByText('views/case/escalated').waitFor()
    await page.locator('.item-bar').getByText('New', { exact: true }).waitFor()
    expect(await page.getByLabel('Name', { exact: true }).inputValue()).toBe('Escalated cases')
    await saved(page)

    await open(page, '/studio/sla')
    await page.getByRole('button', { name: 'New', exact: true }).click()
    const newPolicy = page.getByRole('dialog', { name: 'New SLA policy' })
    await newPolicy.getByLabel('Key').fill('vip')
    await newPolicy.getByRole('button', { name: 'Create' }).click()
    await page.waitForURL((url) => url.searchParams.get('item') === 'sla/case/vip')
    // The policy opens in its builder; its JSON is one toggle away.
    await page.getByRole('button', { name: 'Advanced (JSON)' }).click()
    const json = page.getByRole('textbox', { name: 'Content (JSON)' })
    await expect.poll(() => json.inputValue()).toContain('New SLA policy')
    await saved(page)

    // Every parseable edit is checked against the whole draft set and saved; a typo is not.
    await json.fill((await json.inputValue()).replace('"normal"', '"critical"'))
    await page.getByText('"critical" is not an option of priority', { exact: false }).first().waitFor()
    await saved(page)
    await json.fill('{ "label": ')
    await page.getByText('Not valid JSON yet').waitFor()
    expect(await page.getByTestId('save-status').innerText()).toBe('All changes saved')
    const policy = {
      label: 'VIP cases',
      when: { field: 'priority', op: 'eq', value: 'urgent' },
      firstResponseMinutes: 15,
      resolutionMinutes: 120,
      businessHours: null,
      warnAtPercent: 75,
    }
    await json.fill(JSON.stringify(policy, null, 2))
    await page.getByText('No validation issues.').waitFor()
    await saved(page)
    await screenshot(page, 'studio-sla-json-editor')

    await open(page, '/studio/publish')
    await page.getByTestId('pending-views/case/escalated').waitFor()
    await page.getByTestId('pending-sla/case/vip').waitFor()
    await page.getByRole('button', { name: 'Discard all drafts' }).click()
    await page.getByRole('alertdialog').getByRole('button', { name: 'Discard all' }).click()
    await page.getByRole('heading', { name: 'No pending drafts' }).waitFor()
    await open(page, '/studio/sla')
    expect(await page.getByRole('link', { name: /case\/vip/ }).count()).toBe(0)
  })

  test('a manager sees the Studio read-only, the server refuses their writes, and an agent gets a 403 page', async () => {
    const { page } = e2e
    e2e.allowConsoleError(/status of 403/)
    await login(page, 'manager@acme.test')
    await open(page, '/studio/forms?entity=customer&tab=fields')
    await page.getByRole('note').filter({ hasText: 'only admins change the configuration' }).waitFor()
    expect(await page.getByRole('button', { name: 'Add field' }).count()).toBe(0)
    expect(await page.getByRole('button', { name: /^Edit / }).count()).toBe(0)
    await open(page, '/studio/forms?entity=customer&tab=layout')
    expect(await page.getByRole('button', { name: /Remove|Move .* (up|down)|Add field|\+ Section/ }).count()).toBe(0)
    expect(await page.getByLabel('Form name').getAttribute('readonly')).not.toBeNull()
    await open(page, '/studio/views')
    expect(await page.getByRole('button', { name: /New view|Remove view|Add column|Add filter/ }).count()).toBe(0)
    await open(page, '/studio/automations?ns=automations&item=automations/-/escalate-urgent')
    const automationName = page.getByRole('region', { name: 'Automation Escalate urgent cases' }).getByLabel('Name', { exact: true }).first()
    await automationName.waitFor()
    expect(await automationName.getAttribute('readonly')).not.toBeNull()
    expect(await page.getByRole('button', { name: /New automation|^Remove/ }).count()).toBe(0)
    await open(page, '/studio/publish')
    expect(await page.getByRole('button', { name: /Publish/ }).count()).toBe(0)
    expect(await page.getByRole('button', { name: /Discard/ }).count()).toBe(0)
    await open(page, '/studio/history')
    await page.getByRole('table', { name: 'Versions' }).waitFor()
    expect(await page.getByRole('button', { name: /Roll back/ }).count()).toBe(0)
    await screenshot(page, 'studio-manager-history')

    // Hiding the buttons is a courtesy: the server refuses the writes themselves.
    const refused = await page.evaluate(async () => {
      const save = await fetch('/studio/drafts', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ intent: 'save', seq: 1, namespace: 'views', entity: 'customer', key: 'all', expectedRevision: 1, content: {} }),
      })
      const publish = await fetch('/api/trpc/config.publish', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ json: { expectedVersion: 1, message: 'sneaky' } }),
      })
      const rollback = await fetch('/api/trpc/config.rollback', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ json: { toVersion: 1, expectedVersion: 1 } }),
      })
      return [save.status, publish.status, rollback.status]
    })
    expect(refused).toEqual([403, 403, 403])

    const agent = await otherPerson('agent@acme.test')
    const response = await agent.page.goto('/studio/forms')
    expect(response?.status()).toBe(403)
    await agent.page.getByRole('heading', { name: 'Access denied' }).waitFor()
    await screenshot(agent.page, 'studio-agent-403')
    await agent.context.close()
  })

  test('every Studio page at 1280×800, without horizontal overflow', async () => {
    const { page } = e2e
    await login(page, 'admin@acme.test')
    await open(page, '/studio/history')
    const latest = Number(
      (await page.getByRole('table', { name: 'Versions' }).locator('tbody tr').first().getAttribute('data-testid'))?.replace('version-', ''),
    )
    const pages: Array<[string, string]> = [
      ['studio-overview', '/studio'],
      ['studio-forms-layout', '/studio/forms?entity=customer&tab=layout'],
      ['studio-forms-fields', '/studio/forms?entity=customer&tab=fields'],
      ['studio-forms-deal', '/studio/forms?entity=deal'],
      ['studio-views', '/studio/views?entity=customer&view=all'],
      ['studio-views-case', '/studio/views?entity=case&view=open-urgent'],
      ['studio-automations', '/studio/automations?ns=automations&item=automations/-/escalate-urgent'],
      ['studio-triggers', '/studio/automations?ns=triggers'],
      ['studio-approvals', '/studio/approvals?item=approvals/deal/large-discount'],
      ['studio-sla', '/studio/sla?item=sla/case/urgent'],
      ['studio-publish', '/studio/publish'],
      ['studio-history', '/studio/history'],
      ['studio-history-compare', `/studio/history?from=${Math.max(1, latest - 1)}&to=${Math.max(latest, 2)}`],
      ['studio-history-snapshot', '/studio/history?snapshot=1'],
      ['studio-audit', '/studio/audit?action=config.'],
      ['studio-runs', '/studio/runs'],
    ]
    const overflowing: string[] = []
    for (const [name, path] of pages) {
      const response = await page.goto(path)
      expect(response?.status(), path).toBe(200)
      await settle(page)
      await page.getByRole('heading', { level: 1 }).first().waitFor()
      const width = await page.evaluate(() => document.documentElement.scrollWidth)
      if (width > 1280) overflowing.push(`${path}: ${width}px`)
      await page.screenshot({ path: (await screenshot(page, name)).replace(/\.png$/, '-viewport.png') })
    }
    expect(overflowing).toEqual([])
  })
})

/** A pending item's JSON changes in the publish centre, opened from behind "Show the JSON changes" (the words come first). */
async function jsonChangesText(page: Page, address: string): Promise<string> {
  await page.getByTestId(`pending-${address}`).locator('summary', { hasText: 'Show the JSON changes' }).click()
  return page.getByRole('table', { name: `Changes to ${address}` }).innerText()
}
