// The automation builders in a real browser, as an admin who has never seen JSON: an automation
// "when a case is updated and its status changes to resolved, notify its assignee" built from
// scratch with the composer's trigger, condition and action builders, free of validation issues,
// published from the publish centre, and found in the published snapshot; then, with the app's
// automation worker on, a resolved case makes it run, and the run shows on the run log page with its
// notify step. And a dry run in the composer explains why an automation would not run.
import { describe, expect, test } from 'vitest'
import { freePort } from '../support/app-process'
import { waitFor } from '../support/wait'
import { adminApi, publish } from './admin-api'
import { login, logout, open, saved, useE2E } from './fixtures'

// The worker is on for this file's app: these tests watch automations run (others keep it off).
const e2e = useE2E({ env: { AUTOMATION_WORKER: 'true', WEBHOOK_ALLOW_PRIVATE: 'true' } })

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

    // It runs: a case with an assignee is resolved through the API, and the worker runs it.
    const assignee = (await api.members.list.query()).find((m) => m.email === 'agent@acme.test')!.userId
    const customer = await api.customers.create.mutate({ values: { name: 'Run Log Customer' } })
    const kase = await api.cases.create.mutate({ values: { subject: 'Password reset loop', customerId: customer.id, assignee, priority: 'normal' } })
    const current = await api.cases.get.query({ id: kase.id })
    await api.cases.update.mutate({ id: kase.id, expectedVersion: current.version, values: { status: 'resolved' } })
    const key = 'tell-the-assignee-when-resolved'
    const run = await waitFor(
      async () =>
        (await api.automations.runs.query({ automationKey: key, recordId: kase.id })).items.find((r) => r.status === 'succeeded' || r.status === 'failed'),
      { timeoutMs: 20_000, message: () => 'the automation did not finish a run for the resolved case' },
    )
    expect(run.status).toBe('succeeded')

    // The run log page lists it, filtered by automation; opening it shows the notify step.
    await open(page, `/studio/runs?${new URLSearchParams({ automation: key })}`)
    const runs = page.getByRole('table', { name: 'Runs' })
    const row = runs.locator(`tr[data-run="${run.id}"]`)
    await row.getByText('Succeeded').waitFor()
    await row.getByRole('link', { name: 'Password reset loop' }).waitFor()
    await row.getByRole('link', { name: /^Open/ }).click()
    await page.waitForURL((url) => url.pathname === `/studio/runs/${run.id}`)
    await page.getByRole('heading', { name: 'Run of “Tell the assignee when resolved”' }).waitFor()
    const steps = page.getByRole('region', { name: 'Steps' })
    const notify = steps.locator('[data-step="tell-the-assignee-when-resolved-do"]')
    await notify.getByText('Notify', { exact: true }).waitFor()
    await notify.getByText('Succeeded', { exact: true }).waitFor()
    await notify.getByText(/Result: sent: 1, title: Resolved: Password reset loop/).waitFor()
    await page.getByRole('region', { name: 'Conditions' }).getByText('Status changed to resolved held').waitFor()
    // A succeeded run offers no retry.
    expect(await page.getByRole('button', { name: 'Retry' }).count()).toBe(0)

    // The composer's recent runs show it too.
    await open(page, `/studio/automations?${new URLSearchParams({ item: `automations/-/${key}` })}`)
    await page.getByRole('table', { name: 'Recent runs' }).locator(`tr[data-run="${run.id}"]`).getByText('Succeeded').waitFor()
  })

  test('a dry run in the composer explains why an automation would not run for a record', async () => {
    const { page } = e2e
    const api = await adminApi(e2e.baseUrl)
    const customer = await api.customers.create.mutate({ values: { name: 'Dry Run Customer' } })
    await api.cases.create.mutate({ values: { subject: 'Calm billing question', customerId: customer.id, priority: 'normal' } })

    await login(page, 'admin@acme.test')
    await open(page, `/studio/automations?${new URLSearchParams({ item: 'automations/-/escalate-urgent' })}`)
    const panel = page.getByTestId('dry-run')
    await panel.getByRole('combobox', { name: 'Case to try' }).fill('Calm billing')
    await panel.getByRole('option', { name: /Calm billing question/ }).click()
    await panel.getByRole('button', { name: 'Run dry' }).click()
    const trace = panel.getByTestId('dry-run-trace')
    await trace.getByText('It would not run: the condition Priority is urgent does not hold.').waitFor()
    await trace.getByText('The trigger fires (a record is created).').waitFor()
    await trace.getByText('Priority is urgent does not hold: Priority is "normal", expected eq "urgent"').waitFor()
    // What it would have done, without doing it.
    await trace.getByText(/^Notify .*: "Urgent case: Calm billing question"$/).waitFor()
  })

  test('a failed run: a manager reads it without a Retry button, an admin retries it and is told the outcome', async () => {
    const { page } = e2e
    const api = await adminApi(e2e.baseUrl)
    // A webhook to a port nobody listens on: the run fails (no retries), and fails again when retried.
    const port = await freePort()
    const draft = async (namespace: 'actions' | 'automations', entity: string, key: string, content: unknown) =>
      api.config.saveDraft.mutate({ namespace, entity, key, expectedRevision: 0, content })
    await draft('actions', 'case', 'ping-receiver', { type: 'webhook', url: `http://127.0.0.1:${port}/hook`, retries: 0 })
    await draft('automations', '-', 'ping-receiver', {
      label: 'Ping the receiver',
      entity: 'case',
      trigger: 'case-created',
      conditions: [],
      actions: ['ping-receiver'],
      enabled: true,
      order: 1000,
    })
    await publish(api, 'Ping a receiver on new cases')
    const customer = await api.customers.create.mutate({ values: { name: 'Webhook Customer' } })
    const kase = await api.cases.create.mutate({ values: { subject: 'Receiver probe', customerId: customer.id, priority: 'normal' } })
    const run = await waitFor(
      async () => (await api.automations.runs.query({ automationKey: 'ping-receiver', recordId: kase.id })).items.find((r) => r.status === 'failed'),
      { timeoutMs: 20_000, message: () => 'the webhook run did not fail' },
    )

    await login(page, 'manager@acme.test')
    await open(page, `/studio/runs/${run.id}`)
    await page.getByRole('region', { name: 'Summary' }).getByText('Failed', { exact: true }).waitFor()
    await page
      .getByTestId('run-reason')
      .getByText(/^Failed at ping-receiver: /)
      .waitFor()
    await page
      .getByRole('region', { name: 'Steps' })
      .getByText(/^Error: /)
      .waitFor()
    expect(await page.getByRole('button', { name: 'Retry' }).count()).toBe(0)
    await logout(page)

    // The admin retries; the receiver is still down, so the step is attempted again and fails again.
    await login(page, 'admin@acme.test')
    await open(page, `/studio/runs/${run.id}`)
    const step = page.getByRole('region', { name: 'Steps' }).locator('[data-step="ping-receiver"]')
    const attempts = run.steps[0]!.attempts
    await step.getByText(attempts > 1 ? `Failed after ${attempts} attempts in` : 'Failed in', { exact: false }).waitFor()
    await page.getByRole('button', { name: 'Retry' }).click()
    await page.getByTestId('toast').getByText('Retried, and it failed again').waitFor()
    // The page reloads the run after the retry: one more attempt of the failed step.
    await step.getByText(`Failed after ${attempts + 1} attempts in`, { exact: false }).waitFor()
    await page.getByRole('button', { name: 'Retry' }).waitFor()
  })
})
