// Browser-test fixtures: the real app as a child process (fresh embedded database, demo tenants
// seeded on first start), Debian's chromium driven by playwright-core, and per-test pages that
// fail the test on an unexpected console.error and leave a screenshot behind when a test fails.
import { existsSync } from 'node:fs'
import { cp, mkdir, mkdtemp, rm } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core'
import { afterAll, afterEach, beforeAll, beforeEach, inject } from 'vitest'

import { ROOT, startAppProcess } from '../support/app-process'

export const ARTIFACTS_DIR = path.join(ROOT, 'tests/e2e/artifacts')
const CHROMIUM = '/usr/bin/chromium'
const START_TIMEOUT_MS = 60_000

export const DEMO_PASSWORD = 'pulse-demo-pass'

export interface RunningApp {
  baseUrl: string
  stop(): Promise<void>
}

/**
 * Starts the app on a free port with its own embedded database: a copy of the migrated and seeded
 * one that global-setup.ts made for this run (the app still runs its start-up migrate and seed checks).
 * `env` adds or overrides settings (e.g. `AUTOMATION_WORKER: 'true'`, or a DATABASE_URL and REDIS_URL
 * the test process shares with the app).
 */
export async function startApp(env: Record<string, string> = {}): Promise<RunningApp> {
  if (!existsSync(path.join(ROOT, 'build/index.js'))) {
    throw new Error('No Remix build: run `npm run build` first (`npm run test:e2e` does).')
  }
  const scratch = await mkdtemp(path.join(os.tmpdir(), 'pulse8-e2e-'))
  const removeData = () => rm(scratch, { recursive: true, force: true })
  const dataDir = path.join(scratch, 'pglite')
  await cp(inject('e2eDataTemplate'), dataDir, { recursive: true })
  // Empty means unset (server/env.ts): always the embedded database and in-process bus here.
  const app = await startAppProcess({ DATA_DIR: dataDir, DATABASE_URL: '', REDIS_URL: '', ...env }, START_TIMEOUT_MS).catch(async (err) => {
    await removeData()
    throw err
  })
  return {
    baseUrl: app.baseUrl,
    async stop() {
      await app.stop()
      await removeData()
    },
  }
}

export async function launchBrowser(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`${CHROMIUM} is missing: install it with \`apt-get update && apt-get install -y chromium\``)
  }
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--no-first-run',
      '--disable-quic',
      '--disable-sync',
    ],
  })
}

export async function screenshot(page: Page, name: string): Promise<string> {
  await mkdir(ARTIFACTS_DIR, { recursive: true })
  const file = path.join(
    ARTIFACTS_DIR,
    `${name
      .replace(/[^a-z0-9-_]+/gi, '-')
      .replace(/^-|-$/g, '')
      .toLowerCase()}.png`,
  )
  await page.screenshot({ path: file, fullPage: true })
  return file
}

export interface E2E {
  readonly baseUrl: string
  readonly page: Page
  /** Console errors this test expects (e.g. the browser's note about a 401 response). */
  allowConsoleError(pattern: RegExp): void
}

/**
 * Registers the hooks of a browser-test file: one app and one browser for the file, a fresh
 * browser context (no cookies) and page per test.
 */
export function useE2E(options: { env?: Record<string, string> | (() => Promise<Record<string, string>>) } = {}): E2E {
  let app: RunningApp | undefined
  let browser: Browser | undefined
  let context: BrowserContext | undefined
  let page: Page | undefined
  let consoleErrors: string[] = []
  let allowed: RegExp[] = []

  beforeAll(async () => {
    app = await startApp(typeof options.env === 'function' ? await options.env() : options.env)
    browser = await launchBrowser()
  })

  afterAll(async () => {
    await browser?.close()
    await app?.stop()
  })

  beforeEach(async () => {
    consoleErrors = []
    allowed = []
    context = await browser!.newContext({ baseURL: app!.baseUrl, viewport: { width: 1280, height: 800 } })
    page = await context.newPage()
    page.on('console', (msg) => {
      if (msg.type() === 'error') consoleErrors.push(msg.text())
    })
    page.on('pageerror', (err) => consoleErrors.push(`Uncaught ${err.name}: ${err.message}`))
  })

  afterEach(async (ctx) => {
    try {
      const unexpected = consoleErrors.filter((text) => !allowed.some((re) => re.test(text)))
      const failed = ctx.task.result?.state === 'fail' || unexpected.length > 0
      if (failed && page) await screenshot(page, ctx.task.name).catch(() => undefined)
      if (unexpected.length > 0) throw new Error(`Unexpected console.error in the page:\n${unexpected.join('\n')}`)
    } finally {
      await context?.close()
    }
  })

  return {
    get baseUrl() {
      return app!.baseUrl
    },
    get page() {
      return page!
    },
    allowConsoleError(pattern: RegExp) {
      allowed.push(pattern)
    },
  }
}

/** Waits until the page's scripts have loaded, so React has hydrated and menus respond. */
export async function settle(page: Page): Promise<void> {
  await page.waitForLoadState('networkidle')
}

/** Waits until React has hydrated the page's heading: typing into server-rendered inputs before that is lost. */
export async function hydrated(page: Page): Promise<void> {
  await page.waitForFunction(() => {
    const el = document.querySelector('main h1')
    return !!el && Object.keys(el).some((k) => k.startsWith('__reactFiber$'))
  })
}

/** Opens a page and waits until React has hydrated it (a menu or dialog trigger does nothing before that). */
export async function open(page: Page, path: string): Promise<void> {
  await page.goto(path)
  await settle(page)
  await hydrated(page)
}

/** Waits until every Studio item open on the page has been autosaved (the save status says so). */
export async function saved(page: Page): Promise<void> {
  await page.waitForFunction(() => {
    const states = [...document.querySelectorAll('[data-testid="save-status"]')].map((el) => el.textContent)
    return states.length > 0 && states.every((s) => s === 'All changes saved')
  })
}

/** Signs in through the login form, as a person would. */
export async function login(page: Page, email: string, password = DEMO_PASSWORD): Promise<void> {
  if (!new URL(page.url(), 'http://x').pathname.startsWith('/login')) await page.goto('/login')
  await settle(page)
  await page.getByLabel('Email').fill(email)
  await page.getByLabel('Password').fill(password)
  await page.getByRole('button', { name: 'Sign in' }).click()
  await page.waitForURL((url) => url.pathname !== '/login')
  await settle(page)
}

export async function logout(page: Page): Promise<void> {
  await page.getByRole('button', { name: /^Account:/ }).click()
  await page.getByRole('menuitem', { name: 'Sign out' }).click()
  await page.waitForURL((url) => url.pathname === '/login')
}
