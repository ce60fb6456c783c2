// Issue 9, finding 6: errors never leak internals outside development. Over real HTTP against the
// app server in production mode (and in test mode, which is "not development" too): no `stack` in
// any error, a 500 says "Internal error" and carries the request id, which is also the
// X-Request-Id header and the id on the log line that has the detail.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createAppServer, type AppServer } from '../../server/http/app-server'
import { createLogger } from '../../server/logger'
import type { Env } from '../../server/env'
import { useHarness } from '../support/harness'
import { remixStubBuild } from '../support/remix-stub-build'

const h = useHarness()

function useApp(nodeEnv: Env['NODE_ENV']) {
  const state = { baseUrl: '', logLines: [] as Record<string, unknown>[] }
  let app: AppServer
  beforeAll(async () => {
    const logger = createLogger('error', (line) => state.logLines.push(JSON.parse(line) as Record<string, unknown>))
    // With Remix mounted (a stub build serving the sign-in routes), so page requests are covered too.
    app = createAppServer({
      services: { ...h.services, logger, env: { NODE_ENV: nodeEnv } },
      maxBodyBytes: 100_000,
      remixBuild: remixStubBuild(),
      mode: 'production',
    })
    state.baseUrl = `http://127.0.0.1:${await app.listen(0, '127.0.0.1')}`
  })
  afterAll(async () => {
    await app?.close(1_000)
  })
  return state
}

/** Answers that are errors of every kind an anonymous client can cause. */
const ERROR_PROBES: { path: string; init?: RequestInit; status: number }[] = [
  { path: '/api/trpc/members.list', status: 401 },
  { path: '/api/trpc/no.such.procedure', status: 404 },
  { path: '/api/trpc/auth.login', init: { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"json":{"email":42}}' }, status: 400 },
  { path: '/api/trpc/auth.login', init: { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"json": {' }, status: 400 },
  { path: '/api/runtime/config', status: 401 },
]

for (const mode of ['production', 'test'] as const) {
  describe(`errors in ${mode} mode`, () => {
    const app = useApp(mode)

    it('no error carries a stack, a file path or source', async () => {
      for (const probe of ERROR_PROBES) {
        const res = await fetch(`${app.baseUrl}${probe.path}`, probe.init)
        expect(res.status, probe.path).toBe(probe.status)
        const text = await res.text()
        expect(text, probe.path).not.toMatch(/"stack"|\.ts:\d+|node_modules|\/work\//)
      }
    })

    it('a 500 says "Internal error" with the request id, and the log has the detail', async () => {
      // An honest database failure: the audit table is briefly missing, so the query fails with
      // PostgreSQL's own text (relation ... does not exist), which must not reach the client.
      const db = h.services.db
      const admin = await h.signIn('admin@acme.test', 'acme')
      const cookie = h.services.auth.createSessionCookie(admin.sessionId).serialize().split(';')[0]!
      await db.$executeRawUnsafe('ALTER TABLE "AuditEntry" RENAME TO "AuditEntryAway"')
      let res: Response
      let text: string
      try {
        res = await fetch(`${app.baseUrl}/api/trpc/audit.list?input=${encodeURIComponent('{"json":{}}')}`, { headers: { cookie } })
        text = await res.text()
      } finally {
        await db.$executeRawUnsafe('ALTER TABLE "AuditEntryAway" RENAME TO "AuditEntry"')
      }
      expect(res.status).toBe(500)
      expect(text).not.toMatch(/AuditEntry|relation|does not exist|SELECT|"stack"|\.ts:\d+/)
      const error = (JSON.parse(text) as { error: { json: { message: string; data: { requestId?: string } } } }).error.json
      expect(error.message).toBe('Internal error')
      const requestId = res.headers.get('x-request-id')
      expect(requestId).toMatch(/^[0-9a-f-]{36}$/)
      expect(error.data.requestId).toBe(requestId)
      const logged = app.logLines.filter((l) => l.requestId === requestId && l.level === 'error')
      expect(logged.length).toBeGreaterThan(0)
      expect(JSON.stringify(logged)).toMatch(/AuditEntry/)
    })

    it('a page whose request context fails (the session store is gone) answers a bare 500 with the request id', async () => {
      const db = h.services.db
      const admin = await h.signIn('admin@acme.test', 'acme')
      const cookie = h.services.auth.createSessionCookie(admin.sessionId).serialize().split(';')[0]!
      // The session must be read from the store, not from the per-process principal cache (decision 025).
      h.services.principals.forget({ sessionIds: [admin.sessionId] })
      await db.$executeRawUnsafe('ALTER TABLE "Session" RENAME TO "SessionAway"')
      let res: Response
      let text: string
      try {
        res = await fetch(`${app.baseUrl}/login`, { headers: { cookie } })
        text = await res.text()
      } finally {
        await db.$executeRawUnsafe('ALTER TABLE "SessionAway" RENAME TO "Session"')
      }
      expect(res.status).toBe(500)
      expect(text).not.toMatch(/Session|relation|does not exist|SELECT|at .*\.ts|node_modules/)
      const requestId = res.headers.get('x-request-id')
      expect(requestId).toMatch(/^[0-9a-f-]{36}$/)
      expect((JSON.parse(text) as { error: { message: string; requestId: string } }).error).toMatchObject({ message: 'Internal error', requestId })
      expect(app.logLines.some((l) => l.requestId === requestId && l.level === 'error' && /Session/.test(JSON.stringify(l)))).toBe(true)
    })
  })
}

describe('npm start', () => {
  it('runs in production mode unless NODE_ENV says otherwise', async () => {
    const { readFile } = await import('node:fs/promises')
    const pkg = JSON.parse(await readFile('package.json', 'utf8')) as { scripts: Record<string, string> }
    expect(pkg.scripts.start).toMatch(/NODE_ENV=\$\{NODE_ENV:-production\} node /)
    expect(pkg.scripts.dev).toMatch(/NODE_ENV=development/)
  })
})
