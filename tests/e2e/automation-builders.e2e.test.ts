// The automation builders in a real browser, as an admin who has never seen JSON: an automation
// "when a case is updated and its status changes to resolved, notify its assignee" built from
// scratch with the composer's trigger, condition and action builders, free of validation issues,
// published from the publish centre, and found in the published snapshot.
import { describe, expect, test } from 'vitest'
import { adminApi } from './admin-api'
import { login, open, saved, useE2E } from './fixtures'

const e2e = useE2E()

describe('the automation builders', () => {
  test('an admin builds "status changes to resolved → notify the assignee" with the builders only, and publishes it', async () => {
    const { page } = e2e
    await login(page, 'admin@acme.test')
    await open(page, '/studio/automations')

    // The composer lists the default automations in run order.
    const list = page.getByRole('list', { name: 'Automations' })
    await list.getByRole('link', { name: /^Escalate urgent cases/ }).waitFor()

    await page.getByRole('button', { name: 'New automation' }).click()
    const dialog = page.getByRole('dialog', { name: 'New automation' })
    await dialog.getByLabel('Name').fill('Tell the assignee when resolved')
    await dialog.getByLabel('Runs for').selectOption('case')
    await dialog.getByRole('button', { name: 'Create automation' }).click()
    await page.waitForURL((url) => url.searchParams.get('item') === 'automations/-/tell-the-assignee-when-resolved')
    const editor = page.getByRole('region', { name: 'Automation Tell the assignee when resolved' })
    await editor.waitFor()

    // When: a case is updated, only when its status changes.
    const trigger = editor.getByTestId('part-triggers/case/tell-the-assignee-when-resolved-when')
    await trigger.getByLabel('When').selectOption({ label: 'A record is updated' })
    await trigger.getByRole('group', { name: 'Only when one of these fields changes' }).getByLabel('Status').check()

    // If: a new named condition, status changed to Resolved (a change operator, offered for automations).
    await editor.getByLabel('Add a condition').selectOption({ label: 'New condition…' })
    const condition = editor.getByTestId('part-conditions/case/tell-the-assignee-when-resolved-if')
    await condition.getByLabel('Name').fill('Status changed to resolved')
    await condition.getByLabel('Field', { exact: true }).selectOption({ label: 'Status' })
    await condition.getByLabel('Operator for Status').selectOption({ label: 'changed to' })
    await condition.getByLabel('Value for Status').selectOption({ label: 'Resolved' })
    // The live count leaves the change row out, and says so.
    await condition
      .getByTestId('condition-preview')
      .getByText(/Matches \d+ of \d+ cases now/)
      .waitFor()
    await condition.getByText(/Rows on a change \(Status\)/).waitFor()

    // Then: notify the case's assignee, with the subject inserted from the placeholder menu.
    await editor.getByLabel('Add an action').selectOption({ label: 'New action…' })
    const action = editor.getByTestId('part-actions/case/tell-the-assignee-when-resolved-do')
    await action.getByLabel('Do').selectOption({ label: 'Notify' })
    const recipients = action.getByRole('group', { name: 'Who is notified' })
    await recipients.getByLabel('Its assignee').check()
    expect(await recipients.getByLabel('Managers').isChecked()).toBe(false)
    await action.getByRole('textbox', { name: 'Message' }).fill('Resolved: ')
    await action.getByLabel('Insert a field into the message').selectOption({ label: 'Subject' })
    await expect.poll(() => action.getByRole('textbox', { name: 'Message' }).inputValue()).toBe('Resolved: {{subject}}')

    await editor.getByLabel('Enabled', { exact: true }).check()
    await saved(page)
    await editor.getByTestId('automation-validation').getByText('No validation issues: this automation can be published.').waitFor()
    // The slot the run log and dry run fill next.
    await editor.getByTestId('automation-runs-slot').waitFor()
    // Nothing was typed as JSON.
    expect(await page.locator('textarea.code-area').count()).toBe(0)

    // Publish from the publish centre.
    await open(page, '/studio/publish')
    await page.getByRole('button', { name: 'Validate' }).click()
    await page.getByTestId('validation-summary').filter({ hasText: 'No errors' }).waitFor()
    await page.getByRole('button', { name: 'Publish…' }).click()
    const publish = page.getByRole('dialog', { name: 'Publish version 2' })
    await publish.getByLabel('Message').fill('Tell assignees about resolved cases')
    await publish.getByRole('button', { name: 'Publish v2' }).click()
    await page.waitForURL((url) => url.pathname === '/studio/history')

    const api = await adminApi(e2e.baseUrl)
    const snapshot = await api.config.snapshot.query({ version: 2 })
    const content = (ns: string, entity: string, key: string) => snapshot.items.find((i) => i.namespace === ns && i.entity === entity && i.key === key)?.content
    const automation = content('automations', '-', 'tell-the-assignee-when-resolved')
    expect(automation).toEqual({
      label: 'Tell the assignee when resolved',
      entity: 'case',
      trigger: 'tell-the-assignee-when-resolved-when',
      conditions: ['tell-the-assignee-when-resolved-if'],
      actions: ['tell-the-assignee-when-resolved-do'],
      enabled: true,
      order: expect.any(Number),
    })
    expect(content('triggers', 'case', 'tell-the-assignee-when-resolved-when')).toEqual({ event: 'record.updated', fields: ['status'] })
    expect(content('conditions', 'case', 'tell-the-assignee-when-resolved-if')).toEqual({
      label: 'Status changed to resolved',
      when: { field: 'status', op: 'changedTo', value: 'resolved' },
    })
    expect(content('actions', 'case', 'tell-the-assignee-when-resolved-do')).toEqual({
      type: 'notify',
      userFields: ['assignee'],
      message: 'Resolved: {{subject}}',
    })
    // It runs after every other automation.
    const orders = snapshot.items.filter((i) => i.namespace === 'automations').map((i) => (i.content as { order: number }).order)
    expect((automation as { order: number }).order).toBe(Math.max(...orders))
  })
})
