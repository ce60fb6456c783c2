// Subscriptions over the real WebSocket of one instance (embedded database and in-process bus, or
// PostgreSQL and Redis when the env names them): config.onPublished with resume from the publish
// log, the buffered streams (record changes, inbox, notifications) with replay and refetch, tenant
// isolation. Who may subscribe is part of the RBAC matrix (rbac.test.ts).
import { randomUUID } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { isTrackedEnvelope } from '@trpc/server'
import { createMemoryBus, createRedisBus, type EventBus } from '../../server/realtime/event-bus'
import { announceRecordChange, type RecordChange } from '../../server/crm/record-events'
import { recordProcedures } from '../../server/crm/record-router'
import { announceInboxMessage, announceThreadChange } from '../../server/inbox/inbox-events'
import { announceNotification } from '../../server/notifications/notification-events'
import { announceSlaTimer } from '../../server/sla/sla-events'
import { createCallerFactory, router } from '../../server/trpc/init'
import { createInnerContext } from '../../server/trpc/context'
import { silentLogger } from '../../server/logger'
import { useHarness } from '../support/harness'
import { useHttpApp } from '../support/http-app'
import { listProcedures } from '../support/procedures'
import { publishRelabel } from '../support/config-changes'
import { connectWs, record, until, wsUrlOf } from '../support/ws'

const h = useHarness()
const app = useHttpApp(h)
const wsUrl = () => wsUrlOf(app.baseUrl)

const change = (id: string, version: number): RecordChange => ({
  entity: 'customer',
  id,
  version,
  kind: 'updated',
  by: { userId: null, tokenId: null, label: 'test' },
  fields: ['name'],
  at: new Date().toISOString(),
})

const slaTimer = (caseId: string) => ({
  caseId,
  policyKey: 'urgent',
  target: 'firstResponse' as const,
  kind: 'breached' as const,
  dueAt: new Date().toISOString(),
  at: new Date().toISOString(),
})

const threadChange = (threadId: string) => ({
  threadId,
  change: 'status' as const,
  status: 'open',
  assigneeId: null,
  caseId: null,
  version: 2,
  by: 'test',
  at: new Date().toISOString(),
})

const inboxMessage = (preview: string) => ({
  messageId: randomUUID(),
  threadId: 'thread-1',
  direction: 'inbound' as const,
  from: 'someone@example.test',
  preview,
  caseId: null,
  at: new Date().toISOString(),
})

describe('config.onPublished over WebSocket', () => {
  it('delivers a publish to a subscribed agent, with its version as the event id and no content', async () => {
    const admin = await h.asUser('admin@acme.test', 'acme')
    const { token } = await h.issueToken('acme', 'AGENT')
    const ws = connectWs(wsUrl(), { token })
    try {
      const sub = record(ws.client, 'config.onPublished')
      await sub.waitStarted()
      const version = await publishRelabel(admin, 'hello live')
      const [event] = await sub.waitFor(1)
      expect(event!.id).toBe(String(version))
      expect(event!.data).toMatchObject({ version, message: 'hello live', kind: 'publish', authorLabel: 'Ada Admin' })
      expect(Object.keys(event!.data).sort()).toEqual(['at', 'authorLabel', 'changedItems', 'checksum', 'kind', 'message', 'version'])
    } finally {
      ws.close()
    }
  })

  it('resumes after a disconnect: exactly the three versions it missed, in order, then live ones', async () => {
    const admin = await h.asUser('admin@acme.test', 'acme')
    const { token } = await h.issueToken('acme', 'VIEWER')
    const first = connectWs(wsUrl(), { token })
    const seen = record(first.client, 'config.onPublished')
    await seen.waitStarted()
    const v0 = await publishRelabel(admin)
    await seen.waitFor(1)
    const lastEventId = seen.events.at(-1)!.id
    expect(lastEventId).toBe(String(v0))
    await first.close()

    const missed = [await publishRelabel(admin), await publishRelabel(admin), await publishRelabel(admin)]
    const again = connectWs(wsUrl(), { token })
    try {
      const resumed = record(again.client, 'config.onPublished', { lastEventId })
      await resumed.waitFor(3)
      expect(resumed.events.map((e) => e.id)).toEqual(missed.map(String))
      // The second live version is the marker: a duplicate of the first would arrive before it.
      const live = await publishRelabel(admin)
      const marker = await publishRelabel(admin)
      await resumed.waitForId(String(marker))
      expect(resumed.events.map((e) => e.data.version)).toEqual([...missed, live, marker])
    } finally {
      again.close()
    }
  })

  it('has no holes and no duplicates across the replay/live seam while publishes keep coming', async () => {
    const admin = await h.asUser('admin@acme.test', 'acme')
    const { token } = await h.issueToken('acme', 'AGENT')
    const start = (await admin.config.list()).version
    const publishing = (async () => {
      for (let i = 0; i < 6; i++) await publishRelabel(admin, `seam ${i}`)
    })()
    // Subscribe once the first publish is in, so the replay starts while the others keep coming.
    await until(
      async () => (await admin.config.list()).version > start,
      5_000,
      () => 'no publish yet',
    )
    const ws = connectWs(wsUrl(), { token })
    try {
      const sub = record(ws.client, 'config.onPublished', { lastEventId: String(start) })
      await publishing
      // A seventh, after all six, is the marker: a hole or duplicate would show before it.
      const marker = await publishRelabel(admin, 'seam marker')
      await sub.waitForId(String(marker))
      expect(sub.events.map((e) => Number(e.id))).toEqual([1, 2, 3, 4, 5, 6, 7].map((i) => start + i))
    } finally {
      ws.close()
    }
  })

  it('ends running subscriptions whose credentials go away: a revoked token, a removed member', async () => {
    const admin = await h.asUser('admin@acme.test', 'acme')
    const { token, id } = await admin.tokens.create({ name: 'revoked mid-stream', role: 'AGENT' })
    const invitation = await admin.members.add({ email: 'leaver@acme.test', role: 'AGENT', name: 'Lee Leaver', initialPassword: 'leaver-password' })
    await (await h.asUser('leaver@acme.test')).invitations.accept({ id: invitation.id })
    const leaver = await h.signIn('leaver@acme.test', 'acme')
    const tokenWs = connectWs(wsUrl(), { token })
    const memberWs = connectWs(wsUrl(), { cookie: `pulse8_session=${leaver.sessionId}`, origin: app.baseUrl })
    // A witness whose credentials stay: it hears the same topics, so what it hears the ended ones could have.
    const witnessWs = connectWs(wsUrl(), { token: (await h.issueToken('acme', 'AGENT')).token })
    try {
      const byToken = record(tokenWs.client, 'config.onPublished')
      const byMember = record(memberWs.client, 'customers.onChanged')
      const witnessConfig = record(witnessWs.client, 'config.onPublished')
      const witnessRecords = record(witnessWs.client, 'customers.onChanged')
      await Promise.all([byToken.waitStarted(), byMember.waitStarted(), witnessConfig.waitStarted(), witnessRecords.waitStarted()])
      await admin.tokens.revoke({ id })
      const members = await admin.members.list()
      await admin.members.remove({ userId: members.find((m) => m.email === 'leaver@acme.test')!.userId })
      // Both are re-checked within PRINCIPAL_RECHECK_MS (5 s) and end with the reason.
      await until(
        () => byToken.state.error !== null && byMember.state.error !== null,
        12_000,
        () => 'subscriptions still running',
      )
      expect(byToken.state.error?.code).toBe('UNAUTHORIZED')
      expect(byMember.state.error?.code).toBe('FORBIDDEN')
      const version = await publishRelabel(admin, 'after revocation')
      const ursula = await admin.customers.create({ values: { name: 'Unseen Ursula' } })
      await witnessConfig.waitForId(String(version))
      await until(
        () => witnessRecords.events.some((e) => e.data.id === ursula.id),
        5_000,
        () => 'the witness did not hear the new customer',
      )
      expect(byToken.events).toEqual([])
      expect(byMember.events).toEqual([])
    } finally {
      tokenWs.close()
      memberWs.close()
      witnessWs.close()
    }
  }, 20_000)

  it('refuses a malformed lastEventId with BAD_REQUEST', async () => {
    const { token } = await h.issueToken('acme', 'AGENT')
    const ws = connectWs(wsUrl(), { token })
    try {
      const sub = record(ws.client, 'config.onPublished', { lastEventId: 'not-a-version' })
      const state = await sub.waitStarted()
      expect(state.error?.code).toBe('BAD_REQUEST')
    } finally {
      ws.close()
    }
  })
})

describe('buffered streams: record changes, inbox, notifications', () => {
  // The procedure the CRM routers use, mounted on a router of its own, called in-process.
  const testRouter = router({ customers: router({ onChanged: recordProcedures('customer').onChanged }) })
  const createCaller = createCallerFactory(testRouter)

  async function take(iterable: AsyncIterable<unknown>, n: number): Promise<Array<{ id: string; data: any }>> {
    const out: Array<{ id: string; data: any }> = []
    for await (const value of iterable) {
      if (!isTrackedEnvelope(value)) throw new Error('untracked event')
      out.push({ id: value[0], data: value[1] })
      if (out.length === n) break
    }
    return out
  }

  describe('with a small buffer', () => {
    let bus: EventBus
    let caller: ReturnType<typeof createCaller>
    /** Streams that have subscribed and read the buffer: from then on they hear every live event. */
    let listening = 0
    const untilListening = (n: number) =>
      until(
        () => listening >= n,
        5_000,
        () => `${listening} streams listening, expected ${n}`,
      )
    beforeAll(async () => {
      bus = process.env.REDIS_URL
        ? createRedisBus(process.env.REDIS_URL, silentLogger, { prefix: `test:${randomUUID()}:`, bufferSize: 10 })
        : createMemoryBus({ bufferSize: 10 })
      // Until Redis answers, appends go to the retry queue and arrive later as live events, which
      // would blur the replay/live seam these tests check.
      await until(
        () => bus.status().connected,
        5_000,
        () => 'bus not connected to Redis',
      )
      const { principal } = await h.issueToken('acme', 'VIEWER')
      // A stream subscribes before it reads the buffer (streamBuffered), so once `recent` has
      // answered, an event announced now reaches it live.
      const watched = new Proxy(bus, {
        get(target, key) {
          const value = Reflect.get(target, key) as unknown
          if (key === 'recent') {
            return async (...args: Parameters<EventBus['recent']>) => {
              const recent = await target.recent(...args)
              listening++
              return recent
            }
          }
          return typeof value === 'function' ? value.bind(target) : value
        },
      })
      caller = createCaller(createInnerContext({ services: { ...h.services, bus: watched }, principal }))
    })
    afterAll(() => bus?.close())

    it('replays the changes after lastEventId, then goes live', async () => {
      const tenantId = h.tenantId('acme')
      await announceRecordChange(bus, tenantId, change('c1', 1))
      let streams = listening
      const live = await caller.customers.onChanged(undefined)
      const firstLive = take(live, 1)
      await untilListening(++streams)
      await announceRecordChange(bus, tenantId, change('c1', 2))
      const [marker] = await firstLive
      expect(marker!.data).toMatchObject({ type: 'changed', entity: 'customer', id: 'c1', version: 2, fields: ['name'] })

      await announceRecordChange(bus, tenantId, change('c2', 1))
      await announceRecordChange(bus, tenantId, change('c3', 1))
      const resumed = await caller.customers.onChanged({ lastEventId: marker!.id })
      const got = take(resumed, 3)
      await untilListening(streams + 1)
      await announceRecordChange(bus, tenantId, change('c4', 1))
      const events = await got
      expect(events.map((e) => e.data.id)).toEqual(['c2', 'c3', 'c4'])
    })

    it('tells a client older than the buffer to refetch', async () => {
      const tenantId = h.tenantId('acme')
      await announceRecordChange(bus, tenantId, change('old', 1))
      const streams = listening + 1
      const first = await caller.customers.onChanged(undefined)
      const got = take(first, 1)
      await untilListening(streams)
      await announceRecordChange(bus, tenantId, change('old', 2))
      const [old] = await got
      // Redis trims approximately (whole nodes of ~100 entries), so push well past the size.
      for (let i = 0; i < 250; i++) await announceRecordChange(bus, tenantId, change(`n${i}`, 1))
      const resumed = await caller.customers.onChanged({ lastEventId: old!.id })
      const [refetch] = await take(resumed, 1)
      expect(refetch!.data).toEqual({ type: 'refetch' })
    })
  })

  it('customers.onChanged streams a real write: who, which fields, which version', async () => {
    const admin = await h.asUser('admin@acme.test', 'acme')
    const { token } = await h.issueToken('acme', 'VIEWER')
    const ws = connectWs(wsUrl(), { token })
    try {
      const sub = record(ws.client, 'customers.onChanged')
      await sub.waitStarted()
      const created = await admin.customers.create({ values: { name: 'Streamed Sam' } })
      const [event] = await sub.waitFor(1)
      expect(event!.data).toMatchObject({
        type: 'changed',
        entity: 'customer',
        id: created.id,
        version: created.version,
        kind: 'created',
        by: { label: 'Ada Admin' },
      })
      expect(event!.data.fields).toContain('name')
    } finally {
      ws.close()
    }
  })

  it('notifications.onNew brings only what is addressed to the caller', async () => {
    const agent = await h.signIn('agent@acme.test', 'acme')
    const manager = await h.signIn('manager@acme.test', 'acme')
    const agentWs = connectWs(wsUrl(), { cookie: `pulse8_session=${agent.sessionId}`, origin: app.baseUrl })
    const managerWs = connectWs(wsUrl(), { cookie: `pulse8_session=${manager.sessionId}`, origin: app.baseUrl })
    try {
      const forAgent = record(agentWs.client, 'notifications.onNew')
      const forManager = record(managerWs.client, 'notifications.onNew')
      await forAgent.waitStarted()
      await forManager.waitStarted()
      const tenantId = h.tenantId('acme')
      const at = new Date().toISOString()
      await announceNotification(h.services.bus, tenantId, { id: 'n1', to: { roles: ['MANAGER'] }, title: 'For managers', at })
      await announceNotification(h.services.bus, tenantId, {
        id: 'n2',
        to: { userIds: [agent.principal.kind === 'session' ? agent.principal.user.id : ''] },
        title: 'For the agent',
        at,
      })
      await announceNotification(h.services.bus, tenantId, { id: 'n3', title: 'For everyone', at })
      // n4, for everyone, is the marker: what was not addressed to one of them would come before it.
      await announceNotification(h.services.bus, tenantId, { id: 'n4', title: 'Marker for everyone', at })
      await until(
        () => forAgent.events.some((e) => e.data.id === 'n4') && forManager.events.some((e) => e.data.id === 'n4'),
        5_000,
        () => 'marker n4 missing',
      )
      expect(forAgent.events.map((e) => e.data.id)).toEqual(['n2', 'n3', 'n4'])
      expect(forManager.events.map((e) => e.data.id)).toEqual(['n1', 'n3', 'n4'])
      expect(forAgent.events[0]!.data).toMatchObject({ type: 'notification', title: 'For the agent' })
    } finally {
      agentWs.close()
      managerWs.close()
    }
  })
})

describe('tenant isolation over subscriptions', () => {
  it('a globex client never receives an acme event', async () => {
    const acmeAdmin = await h.asUser('admin@acme.test', 'acme')
    const { token: acmeToken } = await h.issueToken('acme', 'AGENT')
    const { token: globexToken } = await h.issueToken('globex', 'ADMIN')
    const acmeWs = connectWs(wsUrl(), { token: acmeToken })
    const globexWs = connectWs(wsUrl(), { token: globexToken })
    try {
      const paths = listProcedures()
        .filter((p) => p.type === 'subscription')
        .map((p) => p.path)
      const acme = paths.map((p) => record(acmeWs.client, p))
      const globex = paths.map((p) => record(globexWs.client, p))
      for (const s of [...acme, ...globex]) expect((await s.waitStarted()).error).toBeNull()

      const acmeId = h.tenantId('acme')
      const version = await publishRelabel(acmeAdmin, 'acme secret plans')
      await announceInboxMessage(h.services.bus, acmeId, inboxMessage('acme secret message'))
      await announceThreadChange(h.services.bus, acmeId, threadChange('acme-thread'))
      await announceSlaTimer(h.services.bus, acmeId, slaTimer('acme-case'))
      await announceNotification(h.services.bus, acmeId, { id: 'acme-n', title: 'acme secret notification', at: new Date().toISOString() })
      for (const entity of ['customer', 'deal', 'case'] as const) await announceRecordChange(h.services.bus, acmeId, { ...change('acme-rec', 1), entity })

      const acmeByPath = new Map(paths.map((p, i) => [p, acme[i]!]))
      await acmeByPath.get('config.onPublished')!.waitFor(1)
      await acmeByPath.get('inbox.onMessage')!.waitFor(1)
      await acmeByPath.get('inbox.onThreadChanged')!.waitFor(1)
      await acmeByPath.get('sla.onTimerFired')!.waitFor(1)
      await acmeByPath.get('notifications.onNew')!.waitFor(1)
      for (const p of paths.filter((p) => p.endsWith('.onChanged'))) await acmeByPath.get(p)!.waitFor(1)
      expect(acmeByPath.get('config.onPublished')!.events[0]!.data.version).toBe(version)

      // Then one globex event on every topic, the markers: once each globex stream has its marker,
      // an acme event sent to it (announced earlier, same topic) would have arrived first.
      const globexId = h.tenantId('globex')
      await publishRelabel(await h.asUser('admin@globex.test', 'globex'), 'globex marker')
      await announceInboxMessage(h.services.bus, globexId, inboxMessage('globex marker'))
      await announceThreadChange(h.services.bus, globexId, threadChange('globex-thread'))
      await announceSlaTimer(h.services.bus, globexId, slaTimer('globex-case'))
      await announceNotification(h.services.bus, globexId, { id: 'globex-n', title: 'globex marker', at: new Date().toISOString() })
      for (const entity of ['customer', 'deal', 'case'] as const) await announceRecordChange(h.services.bus, globexId, { ...change('globex-rec', 1), entity })
      const hasMarker = (r: { events: unknown[] }) => JSON.stringify(r.events).includes('globex')
      for (const [i, s] of globex.entries())
        await until(
          () => hasMarker(s),
          5_000,
          () => `globex ${paths[i]}: no marker`,
        )
      for (const [i, s] of globex.entries()) {
        expect(s.events, `globex ${paths[i]}`).toHaveLength(1)
        expect(JSON.stringify(s.events), `globex ${paths[i]}`).not.toContain('acme')
      }

      // Resuming with acme's positions shows globex nothing of acme's either (its replays end with
      // globex's own markers, so they have run).
      const resumed = [
        record(globexWs.client, 'config.onPublished', { lastEventId: '0' }),
        record(globexWs.client, 'inbox.onMessage', { lastEventId: acmeByPath.get('inbox.onMessage')!.events[0]!.id.replace(/-\d+$/, '-0') }),
      ]
      for (const r of resumed)
        await until(
          () => hasMarker(r),
          5_000,
          () => 'a globex replay did not reach its marker',
        )
      const leaked = JSON.stringify(resumed.map((r) => r.events))
      expect(leaked).not.toContain('acme')
      expect(leaked).not.toContain(acmeId)
    } finally {
      acmeWs.close()
      globexWs.close()
    }
  })
})
