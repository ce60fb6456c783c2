// Working the inbox through the procedures: the list (filters, unread first, search, pages), a
// conversation, replies (two at once both kept), notes, assignment, status, cases from threads,
// read state, the customer 360's messages, and what each role may do.
import { TRPCError } from '@trpc/server'
import { beforeAll, describe, expect, it } from 'vitest'
import { useHarness } from '../support/harness'
import { defaultSender } from '../../server/inbox/message-sender'
import { ingestMessage } from '../../server/inbox/ingest'
import { createRecord } from '../../server/crm/record-service'
import type { CrmActor, CrmDeps } from '../../server/crm/deps'
import type { RuntimeConfigCache } from '../../server/config/runtime-config'
import { InvalidError, systemActor, tenantScope } from '../../server/kernel'
import { publishCustomerFields } from '../support/config-changes'

const h = useHarness()

let n = 0
const uid = (p: string) => `${p}-${Date.now().toString(36)}-${(n++).toString(36)}`
const codeOf = (e: unknown) => (e instanceof TRPCError ? e.code : String(e))

const ingestActor: CrmActor = { ...systemActor('inbox test'), role: 'AGENT' }
const deps = (): CrmDeps => ({ bus: h.services.bus, runtimeConfig: h.services.runtimeConfig, logger: h.services.logger })

type Caller = Awaited<ReturnType<typeof h.asUser>>
let ingester: Caller
let agent: Caller
let viewer: Caller
let manager: Caller
let agentId: string

async function ingest(over: Record<string, unknown> = {}) {
  return ingester.inbox.ingest({
    externalId: uid('ext'),
    channel: 'email',
    from: { email: `${uid('who')}@example.test`, name: 'Grace Customer' },
    subject: uid('Subject'),
    text: 'Please help with my account.',
    ...over,
  } as Parameters<Caller['inbox']['ingest']>[0])
}

beforeAll(async () => {
  ingester = await h.asToken('acme', 'AGENT')
  agent = await h.asUser('agent@acme.test', 'acme')
  viewer = await h.asUser('viewer@acme.test', 'acme')
  manager = await h.asUser('manager@acme.test', 'acme')
  agentId = (await h.services.db.user.findUniqueOrThrow({ where: { email: 'agent@acme.test' } })).id
})

describe('inbox', () => {
  it('lists threads unread first, filters by status, channel, assignee and search, and pages', async () => {
    const a = await ingest({ channel: 'chat', from: { handle: uid('handle') }, subject: undefined, text: 'chat about bananas' })
    const b = await ingest({ text: 'email about apples' })
    await agent.inbox.markRead({ threadId: b.threadId })
    const all = await agent.inbox.list({ limit: 100 })
    const ids = all.threads.map((t) => t.id)
    expect(ids.indexOf(a.threadId)).toBeLessThan(ids.indexOf(b.threadId))
    expect(all.threads.find((t) => t.id === a.threadId)).toMatchObject({ unread: true, channel: 'chat', customer: { id: a.customerId } })
    expect(all.threads.find((t) => t.id === b.threadId)).toMatchObject({ unread: false })
    expect((await agent.inbox.list({ channel: 'chat', limit: 100 })).threads.map((t) => t.id)).toContain(a.threadId)
    expect((await agent.inbox.list({ channel: 'chat', limit: 100 })).threads.map((t) => t.id)).not.toContain(b.threadId)
    expect((await agent.inbox.list({ search: 'bananas' })).threads.map((t) => t.id)).toEqual([a.threadId])
    await agent.inbox.assign({ threadId: b.threadId, userId: agentId })
    expect((await agent.inbox.list({ assignee: 'me' })).threads.map((t) => t.id)).toContain(b.threadId)
    expect((await agent.inbox.list({ assignee: 'unassigned', limit: 100 })).threads.map((t) => t.id)).not.toContain(b.threadId)
    await agent.inbox.setStatus({ threadId: a.threadId, status: 'pending' })
    expect((await agent.inbox.list({ status: 'pending' })).threads.map((t) => t.id)).toEqual([a.threadId])
    // Keyset pages: every thread once.
    const seen: string[] = []
    let cursor: string | undefined
    do {
      const page = await agent.inbox.list({ limit: 1, cursor })
      seen.push(...page.threads.map((t) => t.id))
      cursor = page.nextCursor ?? undefined
    } while (cursor)
    expect(seen.sort()).toEqual([...ids].sort())
    await expect(agent.inbox.list({ cursor: 'nonsense' })).rejects.toMatchObject({ code: 'BAD_REQUEST' })
  })

  it('shows a conversation in order; two concurrent replies are both kept; the first reply is the first response', async () => {
    const first = await ingest()
    const thread = await agent.inbox.thread({ threadId: first.threadId })
    expect(thread.messages.map((m) => m.direction)).toEqual(['inbound'])
    const [r1, r2] = await Promise.all([
      agent.inbox.reply({ threadId: first.threadId, text: 'Reply one' }),
      manager.inbox.reply({ threadId: first.threadId, text: 'Reply two' }),
    ])
    expect(r1.thread.caseId).toBeNull()
    const after = await agent.inbox.thread({ threadId: first.threadId })
    expect(
      after.messages
        .map((m) => m.text)
        .slice(1)
        .sort(),
    ).toEqual(['Reply one', 'Reply two'])
    expect(after.messages.filter((m) => m.direction === 'outbound')).toHaveLength(2)
    expect(after.thread.messageCount).toBe(3)
    // The first response is the reply that committed first: one of the two, set once.
    expect([r1.message.createdAt.getTime(), r2.message.createdAt.getTime()]).toContain(after.thread.firstOutboundAt?.getTime())
    expect(defaultSender.sent.map((s) => s.messageId)).toEqual(expect.arrayContaining([r1.message.id, r2.message.id]))
    // A reply naming a stale version is a CONFLICT, not lost silently.
    await expect(agent.inbox.reply({ threadId: first.threadId, text: 'late', expectedVersion: 1 })).rejects.toMatchObject({ code: 'CONFLICT' })
  })

  it('notes stay internal: in the conversation, never sent, not a response', async () => {
    const m = await ingest()
    const sentBefore = defaultSender.sent.length
    await agent.inbox.note({ threadId: m.threadId, text: 'Customer is a VIP' })
    const t = await agent.inbox.thread({ threadId: m.threadId })
    expect(t.messages.map((x) => [x.direction, x.text])).toContainEqual(['note', 'Customer is a VIP'])
    expect(t.thread.firstOutboundAt).toBeNull()
    expect(defaultSender.sent.length).toBe(sentBefore)
  })

  it('assigns to members only, and sets the status', async () => {
    const m = await ingest()
    await expect(agent.inbox.assign({ threadId: m.threadId, userId: 'not-a-member' })).rejects.toMatchObject({ code: 'BAD_REQUEST' })
    expect((await agent.inbox.assign({ threadId: m.threadId, userId: agentId })).assignee).toMatchObject({ userId: agentId })
    expect((await agent.inbox.assign({ threadId: m.threadId, userId: null })).assignee).toBeNull()
    expect((await agent.inbox.setStatus({ threadId: m.threadId, status: 'closed' })).status).toBe('closed')
    // A new message from the customer in that conversation reopens it.
    const thread = await h.services.db.inboxThread.findFirstOrThrow({ where: { id: m.threadId } })
    const again = await ingest({
      from: { email: (await h.services.db.customer.findFirstOrThrow({ where: { id: m.customerId } })).email! },
      inReplyTo: undefined,
    })
    expect(again.threadId).not.toBe(thread.id) // closed threads are not joined by subject
  })

  it('opens a case from a thread (subject and customer prefilled), refuses a second, links to an existing case', async () => {
    const m = await ingest({ subject: 'Refund request' })
    const opened = await agent.inbox.openCase({ threadId: m.threadId, values: { priority: 'high' } })
    const kase = await agent.cases.get({ id: opened.caseId })
    expect(kase).toMatchObject({ subject: 'Refund request', customerId: m.customerId, priority: 'high' })
    expect(opened.thread.caseId).toBe(opened.caseId)
    await expect(agent.inbox.openCase({ threadId: m.threadId })).rejects.toMatchObject({ code: 'CONFLICT' })
    const other = await ingest()
    expect((await agent.inbox.linkToCase({ threadId: other.threadId, caseId: opened.caseId })).caseId).toBe(opened.caseId)
    await expect(agent.inbox.linkToCase({ threadId: other.threadId, caseId: 'missing-case' })).rejects.toMatchObject({ code: 'NOT_FOUND' })
    expect((await agent.inbox.list({ caseId: opened.caseId })).threads.map((t) => t.id).sort()).toEqual([m.threadId, other.threadId].sort())
    // The customer 360 shows the thread and its case.
    const c360 = await agent.customer360.get({ id: m.customerId })
    expect(c360.messages.map((t) => t.id)).toContain(m.threadId)
    expect(c360.messages.find((t) => t.id === m.threadId)).toMatchObject({ caseId: opened.caseId })
    expect(c360.cases.map((c) => c.id)).toContain(opened.caseId)
  })

  it('read state is per person, and unreadCount counts threads with unread messages', async () => {
    const m = await ingest()
    const before = (await agent.inbox.unreadCount()).unread
    await agent.inbox.markRead({ threadId: m.threadId })
    expect((await agent.inbox.unreadCount()).unread).toBe(before - 1)
    expect((await manager.inbox.thread({ threadId: m.threadId })).thread.unread).toBe(true)
    await expect(agent.inbox.markRead({ threadId: 'missing' })).rejects.toMatchObject({ code: 'NOT_FOUND' })
  })

  it('read-only members read but cannot reply, note, assign, change status or open cases', async () => {
    const m = await ingest()
    expect((await viewer.inbox.thread({ threadId: m.threadId })).messages).toHaveLength(1)
    expect((await viewer.inbox.list({})).threads.length).toBeGreaterThan(0)
    const refused = await Promise.all([
      viewer.inbox.reply({ threadId: m.threadId, text: 'x' }).catch(codeOf),
      viewer.inbox.note({ threadId: m.threadId, text: 'x' }).catch(codeOf),
      viewer.inbox.assign({ threadId: m.threadId, userId: null }).catch(codeOf),
      viewer.inbox.setStatus({ threadId: m.threadId, status: 'closed' }).catch(codeOf),
      viewer.inbox.openCase({ threadId: m.threadId }).catch(codeOf),
      viewer.inbox.linkToCase({ threadId: m.threadId, caseId: 'x' }).catch(codeOf),
      viewer.inbox.ingest({ externalId: 'x', channel: 'api', from: { handle: 'x' }, text: 'x' }).catch(codeOf),
    ])
    expect(refused).toEqual(Array(7).fill('FORBIDDEN'))
  })

  it("a publish that this instance's config cache missed is enforced at once on the customer it would create", async () => {
    // Globex: a required customer field would refuse the other tests' new senders in acme.
    const tenantId = h.tenantId('globex')
    const scope = tenantScope(h.services.db, tenantId)
    const known = await createRecord(
      scope,
      ingestActor,
      { entity: 'customer', values: { name: 'Known Globex', email: `${uid('known')}@example.test` } },
      deps(),
    )
    const before = await h.services.runtimeConfig.get(tenantId)
    await publishCustomerFields(await h.asUser('admin@globex.test', 'globex'), [{ name: 'vatNumber', label: 'VAT number', type: 'text', required: true }])
    // A cache that did not hear of the publish (its bus message lost): plain reads still answer the
    // old version, reads that name a minimum version go to the database.
    const missed: RuntimeConfigCache = {
      get: (id, opts) => (opts?.minVersion === undefined ? Promise.resolve(before) : h.services.runtimeConfig.get(id, opts)),
      close() {},
    }
    const ingestDeps = { ...deps(), runtimeConfig: missed, rateLimiter: h.services.rateLimiter }
    const message = (email: string) => ({ externalId: uid('ext'), channel: 'email' as const, from: { email }, text: 'Hello' })

    const refused = await ingestMessage(scope, ingestActor, message(`${uid('new')}@example.test`), ingestDeps).catch((e: unknown) => e)
    expect(refused).toBeInstanceOf(InvalidError)
    expect(JSON.stringify((refused as InvalidError).issues)).toContain('vatNumber')
    // A known sender's message writes no customer, so the cached model serves it.
    const stored = await ingestMessage(scope, ingestActor, message(String(known!.email)), ingestDeps)
    expect(stored).toMatchObject({ created: true, customerId: known!.id })
  })
})
