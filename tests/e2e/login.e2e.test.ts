// Signing in, the CRM shell, the tenant switcher and who may enter the Studio, through a real
// browser against the real app (demo tenants of docs/api.md).
import { describe, expect, test } from 'vitest'
import { login, logout, screenshot, settle, useE2E } from './fixtures'

const e2e = useE2E()

const activeTenant = () => e2e.page.getByTestId('active-tenant')

describe('signing in', () => {
  test('an admin signs in and lands in the CRM shell of Acme Corp', async () => {
    const { page } = e2e
    await page.goto('/')
    // Anonymous visitors are sent to the login page, which remembers where they wanted to go.
    await page.waitForURL((url) => url.pathname === '/login')
    await settle(page)
    await page.getByRole('heading', { name: 'Sign in' }).waitFor()
    await screenshot(page, 'login-page')

    await login(page, 'admin@acme.test')
    expect(new URL(page.url()).pathname).toBe('/')
    await page.getByRole('heading', { name: 'Dashboard' }).waitFor()
    expect(await activeTenant().textContent()).toBe('Acme Corp')
    const nav = page.getByRole('navigation', { name: 'CRM' })
    // A link's name may go on with a count (the inbox's unread badge).
    for (const item of ['Dashboard', 'Customers', 'Deals', 'Cases', 'Inbox', 'Settings']) {
      expect(await nav.getByRole('link', { name: new RegExp(`^${item}\\b`) }).count(), item).toBe(1)
    }
    expect(await page.getByRole('link', { name: 'Studio', exact: true }).isVisible()).toBe(true)
    await screenshot(page, 'crm-shell')

    await nav.getByRole('link', { name: 'Customers' }).click()
    await page.getByRole('heading', { name: 'Customers' }).waitFor()
    expect(new URL(page.url()).pathname).toBe('/customers')
  })

  test('a wrong password shows "Invalid email or password"', async () => {
    const { page } = e2e
    // The browser reports the 401 answer to the form post on its console; that one is expected.
    e2e.allowConsoleError(/status of 401/)
    await page.goto('/login')
    await settle(page)
    await page.getByLabel('Email').fill('admin@acme.test')
    await page.getByLabel('Password').fill('not-the-password')
    await page.getByRole('button', { name: 'Sign in' }).click()
    const alert = page.getByRole('alert')
    await alert.waitFor()
    expect(await alert.textContent()).toBe('Invalid email or password')
    expect(new URL(page.url()).pathname).toBe('/login')
  })
})

describe('registering', () => {
  test('a new company registers and lands in its own CRM as admin', async () => {
    const { page } = e2e
    await page.goto('/register')
    await settle(page)
    await page.getByLabel('Your name').fill('Rita Registrant')
    await page.getByLabel('Work email').fill('rita@initech.test')
    await page.getByLabel('Password').fill('initech-pass-1')
    await page.getByLabel('Company name').fill('Initech')
    await page.getByRole('button', { name: 'Create account' }).click()
    await page.waitForURL((url) => url.pathname === '/')
    await page.getByRole('heading', { name: 'Dashboard' }).waitFor()
    expect(await activeTenant().textContent()).toBe('Initech')
    expect(await page.getByRole('link', { name: 'Studio', exact: true }).isVisible()).toBe(true)
  })

  test('an unknown address shows a readable 404 page', async () => {
    const { page } = e2e
    e2e.allowConsoleError(/status of 404/)
    const response = await page.goto('/no-such-page')
    expect(response?.status()).toBe(404)
    await page.getByRole('heading', { name: 'Page not found' }).waitFor()
  })
})

describe('tenants', () => {
  test('the tenant switcher lists every membership and switches between them', async () => {
    const { page } = e2e
    e2e.allowConsoleError(/status of 409/)

    // Globex's admin invites Acme's admin to Globex as an agent, through Settings → Members.
    await login(page, 'admin@globex.test')
    expect(await activeTenant().textContent()).toBe('Globex Corporation')
    await page.goto('/settings/members')
    await settle(page)
    await page.getByRole('button', { name: 'Invite member' }).click()
    const dialog = page.getByRole('dialog', { name: 'Invite member' })
    await dialog.getByLabel('Email').fill('admin@acme.test')
    await dialog.getByLabel('Role').selectOption('AGENT')
    await dialog.getByRole('button', { name: 'Send invitation' }).click()
    await page.getByRole('status').filter({ hasText: 'was invited as Agent' }).waitFor()
    // Not a member until they accept: listed under pending invitations.
    await page.getByTestId('invitation-admin@acme.test').waitFor()
    expect(await page.getByTestId('member-admin@acme.test').count()).toBe(0)

    // The last admin cannot demote themselves: the server's conflict message is shown.
    await page.getByLabel('Role of Gil Globex').selectOption('MANAGER')
    await page.getByRole('alert').filter({ hasText: 'A tenant needs at least one admin' }).waitFor()
    await screenshot(page, 'settings-members')
    await logout(page)

    await login(page, 'admin@acme.test')
    expect(await activeTenant().textContent()).toBe('Acme Corp')
    // Acme's admin sees the invitation and accepts it.
    await page.getByTestId('invitation-from-Globex Corporation').waitFor()
    await page.getByRole('button', { name: 'Accept' }).click()
    await page.getByRole('status').filter({ hasText: 'You joined Globex Corporation' }).waitFor()
    await page.getByRole('button', { name: /Switch tenant/ }).click()
    const options = page.getByRole('menuitemradio')
    await options.first().waitFor()
    const names = (await options.allTextContents()).map((t) => t.replace(/Admin|Agent|Manager|Read-only|✓/g, '').trim())
    expect(names).toEqual(['Acme Corp', 'Globex Corporation'])
    await screenshot(page, 'tenant-switcher')

    await page.getByRole('menuitemradio', { name: /Globex Corporation/ }).click()
    await page.waitForFunction(() => document.querySelector('[data-testid="active-tenant"]')?.textContent === 'Globex Corporation')
    // An agent in Globex: no Studio link, no Settings.
    expect(await page.getByRole('link', { name: 'Studio', exact: true }).count()).toBe(0)
    expect(await page.getByRole('navigation', { name: 'CRM' }).getByRole('link', { name: 'Settings' }).count()).toBe(0)
  })
})

describe('the Automation Studio', () => {
  test('an agent sees no Studio link and gets a 403 page at /studio', async () => {
    const { page } = e2e
    e2e.allowConsoleError(/status of 403/)
    await login(page, 'agent@acme.test')
    await page.getByRole('heading', { name: 'Dashboard' }).waitFor()
    expect(await page.getByRole('link', { name: 'Studio', exact: true }).count()).toBe(0)

    const response = await page.goto('/studio')
    expect(response?.status()).toBe(403)
    await page.getByRole('heading', { name: 'Access denied' }).waitFor()
    expect(await page.getByText('may not open the Automation Studio').count()).toBe(1)
    await screenshot(page, 'studio-403')
  })

  test('a manager reads the Studio but gets a 403 inside it for the audit log', async () => {
    const { page } = e2e
    e2e.allowConsoleError(/status of 403/)
    await login(page, 'manager@acme.test')
    await page.getByRole('link', { name: 'Studio', exact: true }).click()
    await page.getByRole('heading', { name: 'Overview' }).waitFor()
    const nav = page.getByRole('navigation', { name: 'Automation Studio' })
    expect(await nav.getByRole('link', { name: 'Audit log' }).count()).toBe(0)

    const response = await page.goto('/studio/audit')
    expect(response?.status()).toBe(403)
    // The route's own error boundary: the Studio shell stays around the message.
    await page.getByRole('heading', { name: 'Access denied' }).waitFor()
    expect(await page.getByText('may not read the audit log').count()).toBe(1)
    expect(await nav.isVisible()).toBe(true)
  })

  test('an admin opens the Studio and its audit log', async () => {
    const { page } = e2e
    // Straight to the audit log: sign in first, then back to where they were heading.
    await page.goto('/studio/audit')
    await page.waitForURL((url) => url.pathname === '/login' && url.searchParams.get('redirectTo') === '/studio/audit')
    await login(page, 'admin@acme.test')
    expect(new URL(page.url()).pathname).toBe('/studio/audit')
    await page.getByRole('heading', { name: 'Audit log' }).waitFor()

    // Something worth auditing: an API token, whose secret is shown once.
    await page.goto('/settings/tokens')
    await settle(page)
    await page.getByLabel('Name').fill('E2E support mailbox')
    await page.getByRole('button', { name: 'Create token' }).click()
    const secret = page.getByTestId('new-token-secret')
    await secret.waitFor()
    expect((await secret.textContent())?.length).toBeGreaterThan(20)

    await page.goto('/')
    await settle(page)
    await page.getByRole('link', { name: 'Studio', exact: true }).click()
    await page.waitForURL((url) => url.pathname === '/studio')
    await page.getByRole('heading', { name: 'Overview' }).waitFor()
    const nav = page.getByRole('navigation', { name: 'Automation Studio' })
    for (const item of ['Overview', 'Forms', 'Views', 'Automations', 'Approvals', 'SLA', 'Publish', 'History', 'Audit log']) {
      expect(await nav.getByRole('link', { name: item, exact: true }).count(), item).toBe(1)
    }
    await screenshot(page, 'studio-overview')

    await nav.getByRole('link', { name: 'Audit log' }).click()
    await page.waitForURL((url) => url.pathname === '/studio/audit')
    const table = page.getByRole('table', { name: 'Audit log' })
    await table.waitFor()
    expect(await table.getByText('token.create').count()).toBe(1)
    expect(await table.getByText('Ada Admin (admin@acme.test)').count()).toBeGreaterThan(0)
    await screenshot(page, 'studio-audit')
  })
})
