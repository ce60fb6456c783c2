// The Studio asks once: `config.workspace` answers what the Studio assembled from many calls,
// `config.discardDrafts` discards all the drafts it names or none, and `runtime.config` with
// `minVersion` never answers older than the version a browser heard of (issue 10).
import { get as httpGet, type IncomingHttpHeaders } from 'node:http'
import { brotliDecompressSync, gunzipSync } from 'node:zlib'
import type { AppLoadContext } from '@remix-run/node'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { ConfigItem } from '../../server/config-language'
import { createRuntimeConfigCache, type RuntimeConfigCache } from '../../server/config/runtime-config'
import { createAppServer, createCaller, type AppServer } from '../../server/http/app-server'
import { ConflictError } from '../../server/kernel'
import { createMemoryBus } from '../../server/realtime/event-bus'
import { createInnerContext, type Principal } from '../../server/trpc/context'
import { loadStudioConfig } from '../../app/utils/studio.server'
import { action as publishAction, loader as publishLoader } from '../../app/routes/studio.publish'
import { useHarness } from '../support/harness'
import { useHttpApp } from '../support/http-app'
import { expectTRPCError } from '../support/trpc-error'

const h = useHarness()
const http = useHttpApp(h)

type Caller = Awaited<ReturnType<typeof h.asUser>>
const ALL_CUSTOMERS = { namespace: 'views' as const, entity: 'customer', key: 'all' }
const ALL_CASES = { namespace: 'views' as const, entity: 'case', key: 'all' }

async function relabel(caller: Caller, address: { namespace: 'views'; entity: string; key: string }, label: string) {
  const item = await caller.config.get(address)
  return caller.config.saveDraft({ ...address, expectedRevision: item.draftRevision, content: { ...(item.content as object), label } })
}

/** A caller that records every procedure it is asked for, as a Remix load context would carry it. */
function countingContext(principal: Principal) {
  const calls: string[] = []
  const caller = createCaller(createInnerContext({ services: h.services, principal }))
  const trpc = new Proxy(caller, {
    get: (target, ns: string) =>
      new Proxy((target as unknown as Record<string, object>)[ns]!, {
        get: (procs, name: string) => (input?: unknown) => {
          calls.push(`${ns}.${name}`)
          return (procs as Record<string, (i?: unknown) => unknown>)[name]!(input)
        },
      }),
  })
  const context = { trpc, resHeaders: new Headers(), ctx: createInnerContext({ services: h.services, principal }), cspNonce: '' } as unknown as AppLoadContext
  return { context, calls }
}

/** What app/utils/studio.server.ts assembled before `config.workspace`: a list, a get per draft, the live snapshot. */
async function studioAsBefore(caller: Caller) {
  const list = await caller.config.list()
  const live = (await caller.config.snapshot({ version: list.version })).items
  const liveByAddress = new Map(live.map((i) => [`${i.namespace}/${i.entity}/${i.key}`, i]))
  const drafts: ConfigItem[] = []
  for (const i of list.items) {
    if (i.state === 'deleted') continue
    const content =
      i.state === 'live' && liveByAddress.has(i.address)
        ? liveByAddress.get(i.address)!.content
        : (await caller.config.get({ namespace: i.namespace as 'views', entity: i.entity, key: i.key })).content
    if (content != null) drafts.push({ namespace: i.namespace, entity: i.entity, key: i.key, content } as ConfigItem)
  }
  return { version: list.version, items: list.items, drafts, live }
}

const byAddress = (items: ConfigItem[]) => Object.fromEntries(items.map((i) => [`${i.namespace}/${i.entity}/${i.key}`, i.content]))

describe('config.workspace', () => {
  it('answers in one call what the Studio assembled from list, get per draft, snapshot, diff, validate, impact and history', async () => {
    const admin = await h.asUser('admin@acme.test', 'acme')
    await relabel(admin, ALL_CUSTOMERS, 'Workspace customers')
    const fresh = await admin.config.get(ALL_CUSTOMERS)
    await admin.config.saveDraft({
      ...ALL_CUSTOMERS,
      key: 'ws-new',
      expectedRevision: 0,
      content: { ...(fresh.content as object), label: 'New in the workspace' },
    })
    try {
      const workspace = await admin.config.workspace({ impact: true })
      const before = await studioAsBefore(admin)
      expect(workspace.version).toBe(before.version)
      expect(workspace.items).toEqual(before.items)
      expect(byAddress(workspace.drafts)).toEqual(byAddress(before.drafts))
      expect(workspace.live).toEqual(before.live)
      expect(workspace.items.find((i) => i.address === 'views/customer/ws-new')?.state).toBe('new')
      expect(workspace.items.find((i) => i.address === 'views/customer/all')?.state).toBe('modified')
      // What the publish center loaded with five calls.
      expect(workspace.diff).toEqual(await admin.config.diff({ from: 'live', to: 'draft' }))
      expect(workspace.validation).toEqual(await admin.config.validate())
      expect(workspace.impact).toEqual(await admin.config.impact())
      const last = (await admin.config.history({ limit: 1 })).items[0]!
      expect(workspace.last).toEqual({ version: last.version, authorLabel: last.authorLabel, message: last.message, createdAt: last.createdAt })
      expect(workspace.checksum).toBe((await admin.config.snapshot({ version: workspace.version })).checksum)
      // Impact counts records: only when asked.
      expect((await admin.config.workspace()).impact).toBeUndefined()
      // Another tenant's workspace holds none of this.
      const globex = await (await h.asUser('admin@globex.test', 'globex')).config.workspace()
      expect(globex.items.map((i) => i.address)).not.toContain('views/customer/ws-new')
    } finally {
      await admin.config.discardDraft({ ...ALL_CUSTOMERS, key: 'ws-new' })
      await admin.config.discardDraft(ALL_CUSTOMERS)
    }
  })

  it('is what the Studio pages load, in one procedure call (no config.get per item, one call for the publish center)', async () => {
    const { caller, principal } = await h.signIn('admin@acme.test', 'acme')
    await relabel(caller, ALL_CUSTOMERS, 'Loaded once')
    try {
      const studio = countingContext(principal)
      const loaded = await loadStudioConfig(new Request('http://localhost/studio/views'), studio.context)
      expect(studio.calls).toEqual(['config.workspace'])
      const before = await studioAsBefore(caller)
      expect(loaded.items).toEqual(before.items.map((i) => ({ ...i, updatedAt: i.updatedAt.toISOString() })))
      expect(byAddress(loaded.drafts)).toEqual(byAddress(before.drafts))

      const publish = countingContext(principal)
      const res = (await publishLoader({ request: new Request('http://localhost/studio/publish'), context: publish.context, params: {} })) as Response
      const data = (await res.json()) as { version: number; pending: { address: string }[] }
      expect(publish.calls.filter((c) => c.startsWith('config.'))).toEqual(['config.workspace'])
      expect(data.pending.map((p) => p.address)).toEqual(['views/customer/all'])
    } finally {
      await caller.config.discardDraft(ALL_CUSTOMERS)
    }
  })

  it('is for those who may read the Studio: a manager may, an agent may not', async () => {
    await expect((await h.asUser('manager@acme.test', 'acme')).config.workspace()).resolves.toMatchObject({ version: expect.any(Number) })
    await expectTRPCError((await h.asUser('agent@acme.test', 'acme')).config.workspace(), 'FORBIDDEN')
  })
})

describe('config.discardDrafts', () => {
  it('discards nothing when one shown revision is stale, and the CONFLICT names that address (data.conflict on the wire)', async () => {
    const { caller: admin, sessionId } = await h.signIn('admin@acme.test', 'acme')
    const other = await h.asUser('admin@acme.test', 'acme')
    const a = await relabel(admin, ALL_CUSTOMERS, 'Shown A')
    const b = await relabel(admin, ALL_CASES, 'Shown B')
    // Another admin saves B after this admin was shown revision b.draftRevision.
    const moved = await relabel(other, ALL_CASES, 'Their B')
    const items = [
      { address: 'views/customer/all', expectedRevision: a.draftRevision },
      { address: 'views/case/all', expectedRevision: b.draftRevision },
    ]
    const auditBefore = (await admin.audit.list({})).items.filter((e) => e.action === 'config.draft.discard').length

    const err = await expectTRPCError(admin.config.discardDrafts({ items }), 'CONFLICT')
    expect(err.message).toMatch(/views\/case\/all was changed meanwhile/)
    expect((err.cause as ConflictError).details).toEqual({
      conflicts: [{ address: 'views/case/all', expectedRevision: b.draftRevision, currentRevision: moved.draftRevision }],
    })
    // All or none: A (whose revision was current) still has its draft; B has the other admin's.
    expect(await admin.config.get(ALL_CUSTOMERS)).toMatchObject({ state: 'modified', draftRevision: a.draftRevision })
    expect(await admin.config.get(ALL_CASES)).toMatchObject({ state: 'modified', draftRevision: moved.draftRevision })
    expect((await admin.audit.list({})).items.filter((e) => e.action === 'config.draft.discard').length).toBe(auditBefore)

    // Over HTTP the client reads which address conflicted from data.conflict.
    const cookie = h.services.auth.createSessionCookie(sessionId).serialize().split(';')[0]!
    const res = await fetch(`${http.baseUrl}/api/trpc/config.discardDrafts`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie, origin: http.baseUrl },
      body: JSON.stringify({ json: { items } }),
    })
    expect(res.status).toBe(409)
    const body = (await res.json()) as { error: { json: { data: { code: string; conflict: unknown } } } }
    expect(body.error.json.data.code).toBe('CONFLICT')
    expect(body.error.json.data.conflict).toEqual({
      conflicts: [{ address: 'views/case/all', expectedRevision: b.draftRevision, currentRevision: moved.draftRevision }],
    })

    // With the revisions as they are now, both go in one call.
    const done = await admin.config.discardDrafts({ items: [items[0]!, { address: 'views/case/all', expectedRevision: moved.draftRevision }] })
    expect(done.discarded.sort()).toEqual(['views/case/all', 'views/customer/all'])
    expect((await admin.config.get(ALL_CUSTOMERS)).state).toBe('live')
    expect((await admin.config.get(ALL_CASES)).state).toBe('live')
  })

  it('treats a draft discarded meanwhile (a new item gone) as a conflict too, and refuses bad addresses at their paths', async () => {
    const admin = await h.asUser('admin@acme.test', 'acme')
    const a = await relabel(admin, ALL_CUSTOMERS, 'Kept')
    const err = await expectTRPCError(
      admin.config.discardDrafts({
        items: [
          { address: 'views/customer/all', expectedRevision: a.draftRevision },
          { address: 'views/customer/gone', expectedRevision: 1 },
        ],
      }),
      'CONFLICT',
    )
    expect((err.cause as ConflictError).details).toEqual({ conflicts: [{ address: 'views/customer/gone', expectedRevision: 1, currentRevision: 0 }] })
    expect((await admin.config.get(ALL_CUSTOMERS)).state).toBe('modified')

    const bad = await expectTRPCError(admin.config.discardDrafts({ items: [{ address: 'views/customer', expectedRevision: 1 }] }), 'BAD_REQUEST')
    expect((bad.cause as unknown as { issues: { path: unknown[] }[] }).issues.map((i) => i.path)).toEqual([['items', 0, 'address']])
    const twice = await expectTRPCError(
      admin.config.discardDrafts({
        items: [
          { address: 'views/customer/all', expectedRevision: a.draftRevision },
          { address: 'views/customer/all', expectedRevision: a.draftRevision },
        ],
      }),
      'BAD_REQUEST',
    )
    expect((twice.cause as unknown as { issues: { path: unknown[] }[] }).issues.map((i) => i.path)).toEqual([['items', 1, 'address']])
    await admin.config.discardDraft(ALL_CUSTOMERS)
  })

  it("is what the publish center's Discard all does: one call, all or none", async () => {
    const { caller: admin, principal } = await h.signIn('admin@acme.test', 'acme')
    const a = await relabel(admin, ALL_CUSTOMERS, 'Page A')
    const b = await relabel(admin, ALL_CASES, 'Page B')
    await relabel(await h.asUser('admin@acme.test', 'acme'), ALL_CASES, 'Someone else')
    const form = (revB: number) => {
      const body = new URLSearchParams({ intent: 'discardAll' })
      for (const [address, revision] of [
        ['views/customer/all', a.draftRevision],
        ['views/case/all', revB],
      ] as const) {
        body.append('address', address)
        body.append('revision', String(revision))
      }
      return new Request('http://localhost/studio/publish', { method: 'POST', body })
    }
    const page = countingContext(principal)
    const stale = (await publishAction({ request: form(b.draftRevision), context: page.context, params: {} })) as Response
    expect(stale.status).toBe(409)
    expect(page.calls.filter((c) => c.startsWith('config.'))).toEqual(['config.discardDrafts'])
    // Before, the first draft was gone by the time the second one conflicted.
    expect((await admin.config.get(ALL_CUSTOMERS)).state).toBe('modified')

    const current = (await admin.config.get(ALL_CASES)).draftRevision
    const ok = (await publishAction({ request: form(current), context: countingContext(principal).context, params: {} })) as Response
    expect(await ok.json()).toMatchObject({ ok: true, message: 'Discarded 2 drafts.' })
    expect((await admin.config.get(ALL_CUSTOMERS)).state).toBe('live')
    expect((await admin.config.get(ALL_CASES)).state).toBe('live')
  })
})

describe('runtime.config({ minVersion })', () => {
  // An instance whose cache missed the publish event (its bus never hears it) and keeps entries a minute.
  let stale: RuntimeConfigCache
  let server: AppServer
  let baseUrl = ''
  beforeAll(async () => {
    stale = createRuntimeConfigCache({ db: h.services.db, bus: createMemoryBus(), maxAgeMs: 60_000 })
    server = createAppServer({ services: { ...h.services, runtimeConfig: stale }, maxBodyBytes: 100_000 })
    baseUrl = `http://127.0.0.1:${await server.listen(0, '127.0.0.1')}`
  })
  afterAll(async () => {
    stale?.close()
    await server?.close(1_000)
  })

  it('never answers older than asked, even from a cache that missed the publish; answers what there is when asked beyond it', async () => {
    const { caller: admin, principal } = await h.signIn('admin@acme.test', 'acme')
    const onStale = createCaller(createInnerContext({ services: { ...h.services, runtimeConfig: stale }, principal }))
    const before = await onStale.runtime.config()
    await relabel(admin, ALL_CUSTOMERS, `Published ${before.version + 1}`)
    const published = await admin.config.publish({ expectedVersion: before.version, message: 'minVersion' })
    // Without minVersion this instance still serves the old version (what made the browser poll).
    expect((await onStale.runtime.config()).version).toBe(before.version)
    const fresh = await onStale.runtime.config({ minVersion: published.version })
    expect({ version: fresh.version, checksum: fresh.checksum }).toEqual({ version: published.version, checksum: published.checksum })
    expect(Object.keys(fresh).sort()).toEqual(['checksum', 'createdAt', 'items', 'version'])
    // The cache now holds the new version for everyone.
    expect((await onStale.runtime.config()).version).toBe(published.version)
    // A version nobody published yet: the newest there is, not an error.
    expect((await onStale.runtime.config({ minVersion: published.version + 5 })).version).toBe(published.version)
    await expectTRPCError(onStale.runtime.config({ minVersion: -1 }), 'BAD_REQUEST')
  })

  it('GET /api/runtime/config?minVersion= does the same, and refuses a value that is not a version', async () => {
    const { caller: admin, sessionId } = await h.signIn('admin@acme.test', 'acme')
    const cookie = h.services.auth.createSessionCookie(sessionId).serialize().split(';')[0]!
    const get = (query: string) => fetch(`${baseUrl}/api/runtime/config${query}`, { headers: { cookie } })
    const before = (await (await get('')).json()) as { version: number }
    await relabel(admin, ALL_CUSTOMERS, `Over HTTP ${before.version + 1}`)
    const published = await admin.config.publish({ expectedVersion: before.version, message: 'minVersion over HTTP' })
    expect(((await (await get('')).json()) as { version: number }).version).toBe(before.version)
    const fresh = await get(`?minVersion=${published.version}`)
    expect(fresh.status).toBe(200)
    expect(await fresh.json()).toMatchObject({ version: published.version, checksum: published.checksum })
    for (const bad of ['?minVersion=abc', '?minVersion=-1', '?minVersion=1&minVersion=2']) {
      const res = await get(bad)
      expect(res.status, bad).toBe(400)
    }
  })

  it('GET /api/runtime/config answers in the encoding asked for (brotli, gzip or none), the same JSON each way', async () => {
    const { sessionId } = await h.signIn('viewer@acme.test', 'acme')
    const cookie = h.services.auth.createSessionCookie(sessionId).serialize().split(';')[0]!
    const raw = (headers: Record<string, string>) =>
      new Promise<{ status: number; headers: IncomingHttpHeaders; body: Buffer }>((resolve, reject) => {
        httpGet(`${baseUrl}/api/runtime/config`, { headers: { cookie, ...headers } }, (res) => {
          const chunks: Buffer[] = []
          res.on('data', (c: Buffer) => chunks.push(c)).on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks) }))
        }).on('error', reject)
      })
    const plain = await raw({})
    expect(plain.headers['content-encoding']).toBeUndefined()
    expect(plain.headers.vary).toMatch(/accept-encoding/i)
    const json = plain.body.toString()
    expect(JSON.parse(json)).toMatchObject({ version: expect.any(Number), checksum: expect.any(String), items: expect.any(Array) })
    const br = await raw({ 'accept-encoding': 'gzip, deflate, br' })
    expect(br.headers['content-encoding']).toBe('br')
    expect(brotliDecompressSync(br.body).toString()).toBe(json)
    expect(br.body.length).toBeLessThan(plain.body.length)
    const gzip = await raw({ 'accept-encoding': 'gzip' })
    expect(gzip.headers['content-encoding']).toBe('gzip')
    expect(gunzipSync(gzip.body).toString()).toBe(json)
    expect((await raw({ 'accept-encoding': 'br;q=0, gzip;q=0' })).headers['content-encoding']).toBeUndefined()
    const revalidated = await raw({ 'accept-encoding': 'br', 'if-none-match': String(plain.headers.etag) })
    expect(revalidated.status).toBe(304)
    expect(revalidated.body.length).toBe(0)
  })
})
