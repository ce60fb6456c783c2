// Settings → Secrets as an admin uses it: create (the value shown once), rotate and remove (each
// confirmed), and the value never on the page again after a reload.
import { describe, expect, test } from 'vitest'
import { login, open, useE2E } from './fixtures'

const e2e = useE2E()

describe('tenant secrets page', () => {
  test('create shows the value once; rotate shows a new one; remove empties the list', async () => {
    const { page } = e2e
    await login(page, 'admin@acme.test')
    await open(page, '/settings/secrets')
    await page.getByRole('link', { name: 'Secrets' }).waitFor()
    await page.getByText('No secrets yet').waitFor()

    await page.getByLabel('Name').fill('zapier-signing')
    await page.getByRole('button', { name: 'Create secret' }).click()
    const value = page.getByTestId('new-secret-value')
    await value.waitFor()
    const created = (await value.textContent())!
    expect(created).toMatch(/^whsec_[A-Za-z0-9_-]{43}$/)
    const row = page.getByRole('table', { name: 'Secrets' }).getByRole('row', { name: /zapier-signing/ })
    await row.waitFor()

    await page.reload()
    await row.waitFor()
    expect(await page.content()).not.toContain(created)

    await page.getByRole('button', { name: 'Rotate zapier-signing' }).click()
    await page.getByRole('alertdialog').getByRole('button', { name: 'Rotate secret' }).click()
    await page.getByText('Secret "zapier-signing" rotated').waitFor()
    const rotated = await value.textContent()
    expect(rotated).toMatch(/^whsec_/)
    expect(rotated).not.toBe(created)

    await page.getByRole('button', { name: 'Remove zapier-signing' }).click()
    await page.getByRole('alertdialog').getByRole('button', { name: 'Remove secret' }).click()
    await page.getByText('No secrets yet').waitFor()
  })

  test('a manager is refused the page', async () => {
    const { page } = e2e
    e2e.allowConsoleError(/403/)
    await login(page, 'manager@acme.test')
    await page.goto('/settings/secrets')
    await page
      .getByText(/may not/)
      .first()
      .waitFor()
  })
})
