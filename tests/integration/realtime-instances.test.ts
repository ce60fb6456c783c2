// Several instances sharing nothing but PostgreSQL and Redis (issue 4's acceptance): a publish
// through one instance reaches sockets on another, a client resumes on another instance, Redis
// outages never fail a publish and clients converge once Redis is back, and a killed instance's
// clients reconnect to the other without missing a version. Needs REDIS_URL (and works on either
// database: the embedded one is reachable by URL too).
import { randomUUID } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createDb } from '../../server/db/client'
import { seedDemo } from '../../server/seed/demo'
import { announceInboxMessage } from '../../server/inbox/inbox-events'
import { createTestDatabase, type TestDatabase } from '../support/test-db'
import {
  createToken,
  httpClient,
  startChildInstance,
  startInstance,
  startTcpProxy,
  type ChildInstance,
  type Instance,
  type TcpProxy,
} from '../support/instances'
import { publishRelabel } from '../support/config-changes'
import { connectWs, record, until, wsUrlOf } from '../support/ws'

const REDIS_URL = process.env.REDIS_URL
if (!REDIS_URL) console.log('realtime-instances.test.ts skipped: set REDIS_URL to run the several-instance tests (they share events through Redis)')

type HttpClient = ReturnType<typeof httpClient>

const inboxMessage = (messageId: string, preview: string) => ({
  messageId,
  threadId: 't-1',
  direction: 'inbound' as const,
  from: 'someone@example.test',
  preview,
  caseId: null,
  at: new Date().toISOString(),
})

/** The shape tests/support/config-changes.ts drives, over an HTTP client. */
const configCallerOf = (c: HttpClient) => ({
  config: {
    get: (i: { namespace: 'views'; entity: string; key: string }) => c.config.get.query(i),
    saveDraft: (i: { namespace: 'views'; entity: string; key: string; expectedRevision: number; content: unknown }) => c.config.saveDraft.mutate(i),
    list: () => c.config.list.query(),
    publish: (i: { expectedVersion: number; message: string }) => c.config.publish.mutate(i),
  },
})

describe.skipIf(!REDIS_URL)('several instances over one PostgreSQL and one Redis', () => {
  const prefix = `test:${randomUUID()}:`
  let db: TestDatabase
  let a: Instance
  let b: Instance
  let proxy: TcpProxy
  let tenants: Map<string, string>
  const tokens = { acmeAdmin: '', acmeAgent: '', globexAdmin: '' }

  beforeAll(async () => {
    db = await createTestDatabase()
    const seedDb = createDb(db.url)
    const seeded = await seedDemo(seedDb)
    tenants = new Map(seeded.tenants.map((t) => [t.slug, t.id]))
    tokens.acmeAdmin = await createToken(seedDb, tenants.get('acme')!, 'ADMIN')
    tokens.acmeAgent = await createToken(seedDb, tenants.get('acme')!, 'AGENT')
    tokens.globexAdmin = await createToken(seedDb, tenants.get('globex')!, 'ADMIN')
    await seedDb.$disconnect()
    // Instance A reaches Redis through a proxy the fault test stops; B directly.
    proxy = await startTcpProxy(REDIS_URL!)
    a = await startInstance('A', { databaseUrl: db.url, redisUrl: proxy.url, prefix })
    b = await startInstance('B', { databaseUrl: db.url, redisUrl: REDIS_URL, prefix })
    await until(
      () => a.services.bus.status().connected && b.services.bus.status().connected,
      5_000,
      () => 'buses not connected',
    )
  })

  afterAll(async () => {
    await a?.close()
    await b?.close()
    await proxy?.stop()
    await db?.drop()
  })

  const admin = (inst: { baseUrl: string }) => configCallerOf(httpClient(inst.baseUrl, tokens.acmeAdmin))

  it('a client on instance B receives the config.published of a publish made through instance A', async () => {
    const ws = connectWs(wsUrlOf(b.baseUrl), { token: tokens.acmeAgent })
    try {
      const sub = record(ws.client, 'config.onPublished')
      await sub.waitStarted()
      const version = await publishRelabel(admin(a), 'through A')
      const [event] = await sub.waitFor(1)
      expect(event).toMatchObject({ id: String(version), data: { version, message: 'through A' } })
    } finally {
      ws.close()
    }
  })

  it('resumes on the other instance: a client of B reconnects to A and gets exactly the three versions it missed', async () => {
    const first = connectWs(wsUrlOf(b.baseUrl), { token: tokens.acmeAgent })
    const sub = record(first.client, 'config.onPublished')
    await sub.waitStarted()
    await publishRelabel(admin(b))
    await sub.waitFor(1)
    const lastEventId = sub.events.at(-1)!.id
    await first.close()
    const missed = [await publishRelabel(admin(a)), await publishRelabel(admin(b)), await publishRelabel(admin(a))]
    const again = connectWs(wsUrlOf(a.baseUrl), { token: tokens.acmeAgent })
    try {
      const resumed = record(again.client, 'config.onPublished', { lastEventId })
      await resumed.waitFor(3)
      // A live marker after the replay: a duplicate or an extra replayed version would come before it.
      const marker = await publishRelabel(admin(b))
      await resumed.waitForId(String(marker))
      expect(resumed.events.map((e) => e.data.version)).toEqual([...missed, marker])
    } finally {
      again.close()
    }
  })

  it('a globex client on B never receives acme events published through A', async () => {
    const globex = connectWs(wsUrlOf(b.baseUrl), { token: tokens.globexAdmin })
    const acme = connectWs(wsUrlOf(b.baseUrl), { token: tokens.acmeAgent })
    try {
      const g = [record(globex.client, 'config.onPublished'), record(globex.client, 'inbox.onMessage')]
      const seen = record(acme.client, 'config.onPublished')
      for (const s of [...g, seen]) await s.waitStarted()
      await publishRelabel(admin(a), 'acme only')
      await announceInboxMessage(a.services.bus, tenants.get('acme')!, inboxMessage('m-acme', 'acme only'))
      await seen.waitFor(1)
      // Markers for globex on the same topics through the same instance, after acme's events: once
      // globex's client has them, an acme event routed to it would have arrived too.
      const globexVersion = await publishRelabel(configCallerOf(httpClient(a.baseUrl, tokens.globexAdmin)), 'globex marker')
      await announceInboxMessage(a.services.bus, tenants.get('globex')!, inboxMessage('m-globex', 'globex marker'))
      await g[0]!.waitForId(String(globexVersion))
      await until(
        () => g[1]!.events.length > 0,
        5_000,
        () => 'globex inbox marker did not arrive',
      )
      expect(g[0]!.events.map((e) => e.data.version)).toEqual([globexVersion])
      expect(g[1]!.events.map((e) => e.data.messageId)).toEqual(['m-globex'])
    } finally {
      globex.close()
      acme.close()
    }
  })

  it('Redis away from A: publishes through A still succeed, and clients converge within 2 s once it is back', async () => {
    const onA = connectWs(wsUrlOf(a.baseUrl), { token: tokens.acmeAgent })
    const onB = connectWs(wsUrlOf(b.baseUrl), { token: tokens.acmeAgent })
    try {
      const subA = record(onA.client, 'config.onPublished')
      const subB = record(onB.client, 'config.onPublished')
      const changesB = record(onB.client, 'inbox.onMessage')
      await Promise.all([subA.waitStarted(), subB.waitStarted(), changesB.waitStarted()])

      await proxy.stop()
      // Connected means both of A's connections (publisher and subscriber) are ready: this waits
      // for either to notice; the other's socket went with the same proxy.
      await until(
        () => !a.services.bus.status().connected,
        5_000,
        () => 'A still thinks Redis is there',
      )
      const health = await (await fetch(`${a.baseUrl}/healthz`)).json()
      expect(health).toMatchObject({ ok: true, bus: 'redis', busConnected: false })

      const during = [await publishRelabel(admin(a), 'during outage 1'), await publishRelabel(admin(a), 'during outage 2')]
      await announceInboxMessage(a.services.bus, tenants.get('acme')!, inboxMessage('m-outage', 'sent while Redis was away'))
      const failed = await (await fetch(`${a.baseUrl}/healthz`)).json()
      expect(failed.busPublishFailures).toBeGreaterThanOrEqual(3)
      expect(failed.busPendingRetries).toBeGreaterThanOrEqual(3)
      // A's own clients hear A's publishes without Redis.
      await subA.waitFor(2)

      await proxy.start()
      const back = Date.now()
      await until(
        () => subB.events.some((e) => e.data.version === during[1]),
        2_000,
        () => `B's client did not converge: ${JSON.stringify(subB.events.map((e) => e.id))}`,
      )
      const converged = Date.now() - back
      expect(converged).toBeLessThan(2_000)
      expect(subB.events.map((e) => e.data.version)).toEqual(during)
      expect(subA.events.map((e) => e.data.version)).toEqual(during)
      await until(
        () => a.services.bus.status().connected && a.services.bus.status().pendingRetries === 0,
        2_000,
        () => 'A did not reconnect and flush',
      )
      expect(await (await fetch(`${a.baseUrl}/healthz`)).json()).toMatchObject({ busConnected: true, busPendingRetries: 0 })
      // A buffered event (inbox message) made while Redis was away is appended and delivered too.
      await changesB.waitFor(1, 2_000)
      expect(changesB.events[0]!.data).toMatchObject({ type: 'message', messageId: 'm-outage' })
    } finally {
      await proxy.start()
      onA.close()
      onB.close()
    }
  })

  it('an instance shut down gracefully (SIGTERM path) sends its clients to another without losing a version', async () => {
    const c = await startInstance('C', { databaseUrl: db.url, redisUrl: REDIS_URL, prefix })
    const urls = [wsUrlOf(c.baseUrl), wsUrlOf(b.baseUrl)]
    let attempt = 0
    const ws = connectWs(() => urls[Math.min(attempt++, 1)]!, { token: tokens.acmeAgent })
    try {
      const sub = record(ws.client, 'config.onPublished')
      await sub.waitStarted()
      const v1 = await publishRelabel(admin(b))
      await sub.waitFor(1)
      const closing = c.close()
      const v2 = await publishRelabel(admin(b))
      const v3 = await publishRelabel(admin(a))
      await closing
      await sub.waitFor(3)
      // v4 is the marker: a duplicate from the reconnect's replay would arrive before it.
      const v4 = await publishRelabel(admin(a))
      await sub.waitForId(String(v4))
      expect(sub.events.map((e) => e.data.version)).toEqual([v1, v2, v3, v4])
    } finally {
      ws.close()
      await c.close()
    }
  })

  describe('with a real server process', () => {
    let child: ChildInstance
    beforeAll(async () => {
      child = await startChildInstance({ databaseUrl: db.url, redisUrl: REDIS_URL!, prefix })
    })
    afterAll(async () => {
      await child?.stop('SIGKILL')
    })

    it('an instance killed: its clients reconnect to the other and miss no version', async () => {
      let attempt = 0
      const urls = [wsUrlOf(child.baseUrl), wsUrlOf(b.baseUrl)]
      const ws = connectWs(() => urls[Math.min(attempt++, 1)]!, { token: tokens.acmeAgent })
      try {
        const sub = record(ws.client, 'config.onPublished')
        await sub.waitStarted()
        // Published through the other instance, heard by the child through Redis.
        const v1 = await publishRelabel(admin(b), 'before the kill')
        await sub.waitFor(1)
        // Published through the child itself.
        const v2 = await publishRelabel(admin(child), 'through the child')
        await sub.waitFor(2)
        await child.stop('SIGKILL')
        const v3 = await publishRelabel(admin(b), 'while reconnecting 1')
        const v4 = await publishRelabel(admin(a), 'while reconnecting 2')
        await sub.waitFor(4, 10_000)
        // v5 is the marker: a duplicate from the reconnect's replay would arrive before it.
        const v5 = await publishRelabel(admin(b), 'after')
        await sub.waitForId(String(v5))
        expect(attempt).toBeGreaterThanOrEqual(2)
        expect(sub.events.map((e) => e.data.version)).toEqual([v1, v2, v3, v4, v5])
      } finally {
        ws.close()
      }
    })
  })
})
