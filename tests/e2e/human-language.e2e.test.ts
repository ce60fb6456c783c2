// Issue 17, item 5: no developer language reaches people. Walks the main forms with bad input
// (the browser's own checks switched off, so the server's answers are seen too) and checks every
// message shown: no zod wording, no field API names where the config has a label.
import type { Page } from 'playwright-core'
import { describe, expect, test } from 'vitest'
import { login, screenshot, settle, useE2E } from './fixtures'

const e2e = useE2E()

const RAW = /expected|Too small|Too big|Invalid input|>=|<=|received|\bzod\b|\[\s*"|"path"/i

/** Every error text on the page: field errors and alert banners. */
async function shownMessages(page: Page): Promise<string[]> {
  const texts = await page.locator('.field__error, [role="alert"], .alert').allInnerTexts()
  return texts.map((t) => t.trim()).filter(Boolean)
}

/** Submits the page's form with its built-in browser checks off, so bad input reaches the app. */
async function submitRaw(page: Page, button: string) {
  await page.evaluate(() => document.querySelectorAll('form').forEach((f) => (f.noValidate = true)))
  await page.getByRole('button', { name: button }).click()
}

/** API names of fields whose label differs (e.g. `discountPercent` labelled "Discount"), from the live config. */
async function apiNames(page: Page): Promise<string[]> {
  return page.evaluate(async () => {
    const names: string[] = []
    for (const entity of ['customer', 'deal', 'case']) {
      const input = encodeURIComponent(JSON.stringify({ json: { namespace: 'objects', entity, key: 'fields' } }))
      const res = await fetch(`/api/trpc/config.get?input=${input}`)
      const body = (await res.json()) as { result: { data: { json: { content: { fields: { name: string; label: string }[] } } } } }
      // Identifiers only (camelCase): a plain word like `name` or `email` is also English.
      for (const f of body.result.data.json.content.fields) if (/[A-Z]/.test(f.name) && f.name.toLowerCase() !== f.label.toLowerCase()) names.push(f.name)
    }
    return names
  })
}

function expectHuman(messages: string[], forbiddenNames: string[], where: string) {
  expect(messages.length, `${where}: some message is shown`).toBeGreaterThan(0)
  for (const m of messages) {
    expect(m, `${where}: raw validation wording`).not.toMatch(RAW)
    for (const name of forbiddenNames) expect(m, `${where}: API name ${name}`).not.toMatch(new RegExp(`\\b${name}\\b`))
  }
}

describe('human language in forms', () => {
  test('register and sign in answer bad input in words, with the field labels, and the password hint is not repeated', async () => {
    const { page } = e2e
    e2e.allowConsoleError(/status of (400|401)/)
    await page.goto('/register')
    await settle(page)
    await page.getByLabel('Your name').fill('   ')
    await page.getByLabel('Work email').fill('ok@example.test')
    await page.getByLabel('Password').fill('short')
    await page.getByLabel('Company name').fill(' x ')
    await submitRaw(page, 'Create account')
    await page.locator('.field__error').first().waitFor({ timeout: 30_000 })
    const messages = await shownMessages(page)
    expectHuman(messages, ['tenantName'], 'register')
    expect(messages).toEqual(expect.arrayContaining(['Company name must be at least 2 characters', 'Password must be at least 8 characters']))
    // The hint gives way to the error that states the same rule.
    expect(await page.getByText('At least 8 characters.').count()).toBe(0)
    await screenshot(page, 'human-language-register')

    await page.goto('/login')
    await settle(page)
    await page.getByLabel('Email').fill('x')
    await page.getByLabel('Password').fill('')
    await submitRaw(page, 'Sign in')
    await page.locator('.field__error, .alert').first().waitFor({ timeout: 30_000 })
    expectHuman(await shownMessages(page), [], 'sign in')
  })

  test('record forms, member invitations and token creation speak the labels', async () => {
    const { page } = e2e
    e2e.allowConsoleError(/status of 400/)
    await login(page, 'admin@acme.test')
    const names = await apiNames(page)
    expect(names).toContain('discountPercent')

    await page.goto('/customers/new')
    await settle(page)
    const customer = page.getByTestId('record-form')
    await customer.getByLabel('Email').fill('ops@')
    await customer.getByRole('button', { name: 'Create customer' }).click()
    await page.locator('.field__error').first().waitFor({ timeout: 30_000 })
    expectHuman(await shownMessages(page), names, 'new customer')

    for (const [path, button] of [
      ['/deals/new', /Create deal/],
      ['/cases/new', /Create case/],
    ] as const) {
      await page.goto(path)
      await settle(page)
      await page.getByTestId('record-form').getByRole('button', { name: button }).click()
      await page.locator('.field__error').first().waitFor({ timeout: 30_000 })
      expectHuman(await shownMessages(page), names, path)
    }

    await page.goto('/settings/members')
    await settle(page)
    await page.getByRole('button', { name: 'Invite member' }).click()
    const dialog = page.getByRole('dialog')
    await dialog.getByLabel('Email').fill('not-an-email')
    await submitRaw(page, 'Send invitation')
    await dialog.locator('.field__error, .alert').first().waitFor({ timeout: 30_000 })
    expectHuman(await shownMessages(page), ['initialPassword'], 'invite member')

    await page.goto('/settings/tokens')
    await settle(page)
    await page.getByLabel('Name').fill('   ')
    await submitRaw(page, 'Create token')
    await page.locator('.field__error, .alert').first().waitFor({ timeout: 30_000 })
    expectHuman(await shownMessages(page), [], 'create token')
  })
})
