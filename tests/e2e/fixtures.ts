// Browser-test fixtures: the real app as a child process (fresh embedded database, demo tenants
// seeded on first start), Debian's chromium driven by playwright-core, and per-test pages that
// fail the test on an unexpected console.error and leave a screenshot behind when a test fails.
import { spawn, type ChildProcess } from 'node:child_process'
import { existsSync } from 'node:fs'
import { mkdir, mkdtemp, rm } from 'node:fs/promises'
import net from 'node:net'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core'
import { afterAll, afterEach, beforeAll, beforeEach } from 'vitest'

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..')
export const ARTIFACTS_DIR = path.join(ROOT, 'tests/e2e/artifacts')
const CHROMIUM = '/usr/bin/chromium'
const START_TIMEOUT_MS = 60_000

export const DEMO_PASSWORD = 'pulse-demo-pass'

export interface RunningApp {
  baseUrl: string
  stop(): Promise<void>
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer()
    srv.once('error', reject)
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address()
      const port = typeof addr === 'object' && addr ? addr.port : 0
      srv.close(() => resolve(port))
    })
  })
}

function waitForExit(child: ChildProcess, ms: number): Promise<boolean> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(true)
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), ms)
    child.once('exit', () => {
      clearTimeout(timer)
      resolve(true)
    })
  })
}

/** Starts `node --import tsx server/main.ts` on a free port with its own data directory. */
export async function startApp(): Promise<RunningApp> {
  if (!existsSync(path.join(ROOT, 'build/index.js'))) {
    throw new Error('No Remix build: run `npm run build` first (`npm run test:e2e` does).')
  }
  const port = await freePort()
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'pulse8-e2e-'))
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
    cwd: ROOT,
    env: {
      ...process.env,
      NODE_ENV: 'test',
      PORT: String(port),
      HOST: '127.0.0.1',
      DATA_DIR: dataDir,
      LOG_LEVEL: 'warn',
      // Empty means unset (server/env.ts): always the embedded database and in-process bus here.
      DATABASE_URL: '',
      REDIS_URL: '',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let output = ''
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()))
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()))

  const baseUrl = `http://127.0.0.1:${port}`
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM')
      if (!(await waitForExit(child, 15_000))) {
        child.kill('SIGKILL')
        await waitForExit(child, 5_000)
      }
    }
    await rm(dataDir, { recursive: true, force: true })
  }

  const deadline = Date.now() + START_TIMEOUT_MS
  for (;;) {
    if (child.exitCode !== null) {
      await stop()
      throw new Error(`The app exited with code ${child.exitCode} before it was healthy. Its output:\n${output}`)
    }
    const healthy = await fetch(`${baseUrl}/healthz`).then(
      (res) => res.status === 200,
      () => false,
    )
    if (healthy) return { baseUrl, stop }
    if (Date.now() > deadline) {
      await stop()
      throw new Error(`GET /healthz did not answer 200 within ${START_TIMEOUT_MS / 1000} s. The app's output:\n${output}`)
    }
    await new Promise((r) => setTimeout(r, 250))
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
  const file = path.join(ARTIFACTS_DIR, `${name.replace(/[^a-z0-9-_]+/gi, '-').replace(/^-|-$/g, '').toLowerCase()}.png`)
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
export function useE2E(): E2E {
  let app: RunningApp | undefined
  let browser: Browser | undefined
  let context: BrowserContext | undefined
  let page: Page | undefined
  let consoleErrors: string[] = []
  let allowed: RegExp[] = []

  beforeAll(async () => {
    app = await startApp()
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
