// The notification bell: a notification sent by a producer (here the notifications service in
// the test process, as the automation engine sends it) reaches the open page without a reload:
// the bell's count rises, a toast says it, the popover lists it; opening it marks it read and
// opens the record, and "Mark all read" clears the badge. The test process and the app share one
// database and one Redis (the app is another process), so this needs REDIS_URL.
import { randomUUID } from 'node:crypto'
import { afterAll, describe, expect, test } from 'vitest'
import { loadEnv } from '../../server/env'
import { silentLogger } from '../../server/logger'
import { createServices, type ServiceHandle } from '../../server/services'
import { tenantScope } from '../../server/kernel'
import { announceNotifications, sendNotifications } from '../../server/notifications/notifications'
import { createTestDatabase, type TestDatabase } from '../support/test-db'
import { waitFor } from '../support/wait'
import { login, screenshot, useE2E } from './fixtures'

const REDIS_URL = process.env.REDIS_URL
if (!REDIS_URL) console.log('notifications.e2e.test.ts skipped: set REDIS_URL (the test sends notifications from its own process, through Redis)')

describe.skipIf(!REDIS_URL)('notification bell', () => {
  const prefix = `e2e:${randomUUID()}:`
  let db: TestDatabase | undefined
  let services: ServiceHandle | undefined
  // Registered before useE2E's hooks: after-hooks run in reverse, so this runs once the app has stopped.
  afterAll(async () => {
    await services?.close()
    await db?.drop()
  })
  const e2e = useE2E({
    env: async () => {
      db = await createTestDatabase()
      services = createServices(loadEnv({ NODE_ENV: 'test', REDIS_URL, REDIS_PREFIX: prefix }), db.url, silentLogger)
      return { DATABASE_URL: db.url, REDIS_URL: REDIS_URL!, REDIS_PREFIX: prefix }
    },
  })

  /** Sends one notification to `email` in acme the way a producer does: stored in a transaction, announced after commit. */
  async function notify(email: string, title: string, link: string | null) {
    const s = services!
    const tenant = await s.db.tenant.findUniqueOrThrow({ where: { slug: 'acme' } })
    const user = await s.db.user.findUniqueOrThrow({ where: { email } })
    const scope = tenantScope(s.db, tenant.id)
    const sent = await scope.db.$transaction((tx) => sendNotifications(tx, scope, { userIds: [user.id], title, body: 'Assigned to the support queue', link }))
    expect(sent).toHaveLength(1)
    await announceNotifications(s.bus, tenant.id, sent)
  }

  const bell = () => e2e.page.getByTestId('notification-bell')
  const bellLabel = () => bell().getAttribute('aria-label')

  test('arrives live (count, toast, list); opening one marks it read and opens the record; mark all read clears the badge', async () => {
    const { page } = e2e
    await login(page, 'manager@acme.test')
    // The bell has loaded (its feed started first), and the page is marked to prove no reload.
    await waitFor(async () => (await bellLabel()) === 'Notifications, none unread', { timeoutMs: 10_000, message: () => 'the bell never loaded' })
    await page.evaluate(() => ((window as unknown as { __noReload: string }).__noReload = 'still here'))

    const acme = await services!.db.tenant.findUniqueOrThrow({ where: { slug: 'acme' } })
    const kase = await services!.db.case.findFirstOrThrow({ where: { tenantId: acme.id }, select: { id: true } })
    await notify('manager@acme.test', 'Urgent case: printer on fire', `/cases/${kase.id}`)
    await page.getByRole('button', { name: 'Notifications, 1 unread' }).waitFor({ timeout: 5_000 })
    await page.getByText('Urgent case: printer on fire', { exact: true }).first().waitFor()
    expect(await page.getByTestId('notification-count').textContent()).toBe('1')
    await notify('manager@acme.test', 'Deal won: Globex renewal', null)
    await page.getByRole('button', { name: 'Notifications, 2 unread' }).waitFor({ timeout: 5_000 })
    expect(await page.evaluate(() => (window as unknown as { __noReload?: string }).__noReload)).toBe('still here')

    // The popover lists both, newest first, unread.
    await bell().click()
    const items = page.locator('.bell__item')
    await items.first().waitFor()
    expect(await items.allTextContents()).toEqual([
      expect.stringContaining('Deal won: Globex renewal'),
      expect.stringContaining('Urgent case: printer on fire'),
    ])
    expect(await page.locator('.bell__item.is-unread').count()).toBe(2)
    await screenshot(page, 'notification-bell-open')

    // Opening the case's notification marks it read and navigates to the case.
    await items.filter({ hasText: 'Urgent case' }).click()
    await page.waitForURL((url) => url.pathname === `/cases/${kase.id}`)
    await page.getByRole('button', { name: 'Notifications, 1 unread' }).waitFor()

    // Mark all read clears the badge, and the server agrees (a reload shows none unread).
    await bell().click()
    await page.getByRole('button', { name: 'Mark all read' }).click()
    await page.getByRole('button', { name: 'Notifications, none unread' }).waitFor()
    expect(await page.getByTestId('notification-count').count()).toBe(0)
    await page.reload()
    await waitFor(async () => (await bellLabel()) === 'Notifications, none unread', { timeoutMs: 10_000 })

    // Another person's notification does not reach this page.
    await notify('agent@acme.test', 'For the agent only', null)
    await notify('manager@acme.test', 'For the manager', null)
    await page.getByRole('button', { name: 'Notifications, 1 unread' }).waitFor({ timeout: 5_000 })
    await bell().click()
    expect(await page.locator('.bell__item').allTextContents()).not.toContainEqual(expect.stringContaining('For the agent only'))
  })

  test('the notifications page lists them with paging controls and marks all read', async () => {
    const { page } = e2e
    await login(page, 'manager@acme.test')
    await notify('manager@acme.test', 'Listed on the page', null)
    await page.goto('/notifications')
    await page.getByRole('heading', { name: 'Notifications', level: 1 }).waitFor()
    await page.getByText('Listed on the page').waitFor()
    await page.getByRole('button', { name: 'Mark all read' }).click()
    await page.getByText('All read').waitFor()
  })
})
