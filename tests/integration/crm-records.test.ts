// CRM records through the real router and database: CRUD with versions, validation by the
// published config (errors at field paths), references within the tenant, read-only fields per
// role, activity, events after commit, and the customer 360.
import { TRPCError } from '@trpc/server'
import { z } from 'zod'
import { describe, expect, it } from 'vitest'
import { waitFor } from '../support/wait'
import type { BusEvent } from '../../server/realtime/event-bus'
import { useHarness } from '../support/harness'
import { publishCustomerFields } from '../support/config-changes'
import { expectTRPCError } from '../support/trpc-error'

const h = useHarness()

type Field = { name: string; label: string; type: string; required?: boolean; options?: { value: string; label: string }[] }

/** The zod issue paths of a BAD_REQUEST, e.g. ['values.data.tier']. */
function issuePaths(err: TRPCError): string[] {
  expect(err.cause).toBeInstanceOf(z.ZodError)
  return (err.cause as z.ZodError).issues.map((i) => i.path.join('.'))
}

describe('CRM records', () => {
  it('creates, reads, updates with versions (stale → CONFLICT) and removes (manager+)', async () => {
    const agent = await h.asUser('agent@acme.test', 'acme')
    const created = await agent.customers.create({
      values: { name: 'Nordwind Logistik', email: 'info@nordwind.example', tags: ['partner'], data: { industry: 'Logistics', annualRevenue: 2_500_000 } },
    })
    expect(created).toMatchObject({ version: 1, name: 'Nordwind Logistik', email: 'info@nordwind.example', tags: ['partner'], phone: null })
    // Defaults of the published config apply on create.
    expect(created.data).toEqual({ tier: 'bronze', industry: 'Logistics', annualRevenue: 2_500_000 })
    expect(await agent.customers.get({ id: created.id })).toEqual({ ...created, lookupLabels: {}, approval: null, sla: null })

    const v2 = await agent.customers.update({ id: created.id, expectedVersion: 1, values: { data: { tier: 'gold' } } })
    expect(v2.version).toBe(2)
    // Partial: what was not sent is unchanged.
    expect(v2).toMatchObject({
      name: 'Nordwind Logistik',
      email: 'info@nordwind.example',
      data: { tier: 'gold', industry: 'Logistics', annualRevenue: 2_500_000 },
    })
    const err = await expectTRPCError(agent.customers.update({ id: created.id, expectedVersion: 1, values: { name: 'Overwritten' } }), 'CONFLICT')
    expect(err.message).toMatch(/changed meanwhile/)
    expect((await agent.customers.get({ id: created.id })).name).toBe('Nordwind Logistik')
    // Sending the same values changes nothing and keeps the version.
    expect((await agent.customers.update({ id: created.id, expectedVersion: 2, values: { data: { tier: 'gold' } } })).version).toBe(2)
    // Clearing an optional custom field removes it.
    const v3 = await agent.customers.update({ id: created.id, expectedVersion: 2, values: { email: '', data: { industry: null } } })
    expect(v3).toMatchObject({ version: 3, email: null, data: { tier: 'gold', annualRevenue: 2_500_000 } })
    expect(v3.data).not.toHaveProperty('industry')

    await expectTRPCError(agent.customers.remove({ id: created.id }), 'FORBIDDEN')
    const manager = await h.asUser('manager@acme.test', 'acme')
    await expectTRPCError(manager.customers.remove({ id: created.id, expectedVersion: 2 }), 'CONFLICT')
    expect(await manager.customers.remove({ id: created.id, expectedVersion: 3 })).toEqual({ id: created.id, deleted: true })
    await expectTRPCError(agent.customers.get({ id: created.id }), 'NOT_FOUND')
    await expectTRPCError(agent.customers.update({ id: created.id, expectedVersion: 3, values: { name: 'x' } }), 'NOT_FOUND')
  })

  it('validates writes with the published schema, reporting paths under values', async () => {
    const agent = await h.asUser('agent@acme.test', 'acme')
    const err = await expectTRPCError(
      agent.customers.create({ values: { name: '', email: 'not-an-email', nope: 1, data: { tier: 'platinum', annualRevenue: -5, stray: true } } }),
      'BAD_REQUEST',
    )
    expect(issuePaths(err).sort()).toEqual(['values.data.annualRevenue', 'values.data.stray', 'values.data.tier', 'values.email', 'values.name', 'values.nope'])
    const name = (err.cause as z.ZodError).issues.find((i) => i.path.join('.') === 'values.name')
    expect(name?.message).toBe('Required')
    // System fields are the server's.
    const sys = await expectTRPCError(agent.customers.create({ values: { name: 'X', createdAt: new Date().toISOString() } }), 'BAD_REQUEST')
    expect(issuePaths(sys)).toEqual(['values.createdAt'])
    // An update validates only what it sends, and cannot clear a required field.
    const c = await agent.customers.create({ values: { name: 'Valid Co' } })
    const upd = await expectTRPCError(agent.customers.update({ id: c.id, expectedVersion: 1, values: { name: '  ' } }), 'BAD_REQUEST')
    expect(issuePaths(upd)).toEqual(['values.name'])
    const deal = await expectTRPCError(
      agent.deals.create({ values: { name: 'D', customerId: c.id, amount: 'lots', stage: 'won-ish', closeDate: '2026-02-30' } }),
      'BAD_REQUEST',
    )
    expect(issuePaths(deal).sort()).toEqual(['values.amount', 'values.closeDate', 'values.stage'])
  })

  it('publishing a new required custom field makes create without it fail naming data.<field>', async () => {
    const admin = await h.asUser('admin@globex.test', 'globex')
    const before = await admin.customers.create({ values: { name: 'Before the rule' } })
    expect(before.version).toBe(1)
    await publishCustomerFields(admin, [{ name: 'vatNumber', label: 'VAT number', type: 'text', required: true }])
    const err = await expectTRPCError(admin.customers.create({ values: { name: 'After the rule' } }), 'BAD_REQUEST')
    expect(issuePaths(err)).toEqual(['values.data.vatNumber'])
    expect(err.message).toContain('data.vatNumber')
    const ok = await admin.customers.create({ values: { name: 'After the rule', data: { vatNumber: 'DE123456789' } } })
    expect(ok.data.vatNumber).toBe('DE123456789')
    // Existing records may be updated without touching the new field (partial update).
    expect((await admin.customers.update({ id: before.id, expectedVersion: 1, values: { company: 'Old Co' } })).version).toBe(2)
  })

  it('names the records lookup fields point at, in lists and on a record, within the tenant', async () => {
    const admin = await h.asUser('admin@acme.test', 'acme')
    await publishCustomerFields(admin, [{ name: 'parentCompany', label: 'Parent company', type: 'lookup', lookupEntity: 'customer' } as Field])
    const parent = await admin.customers.create({ values: { name: 'Holding Group plc' } })
    const child = await admin.customers.create({ values: { name: 'Holding Retail Ltd', data: { parentCompany: parent.id } } })
    expect((await admin.customers.get({ id: child.id })).lookupLabels).toEqual({ [parent.id]: 'Holding Group plc' })
    const page = await admin.customers.list({ search: 'Holding', limit: 10 })
    expect(page.lookupLabels).toEqual({ [parent.id]: 'Holding Group plc' })
    // Deals carry their customer's name the same way.
    const deal = await admin.deals.create({ values: { name: 'Group deal', customerId: parent.id } })
    expect((await admin.deals.get({ id: deal.id })).lookupLabels).toEqual({ [parent.id]: 'Holding Group plc' })
    // Another tenant can neither point at acme's record nor learn its name.
    const globex = await h.asUser('admin@globex.test', 'globex')
    await publishCustomerFields(globex, [{ name: 'parentCompany', label: 'Parent company', type: 'lookup', lookupEntity: 'customer' } as Field])
    await expectTRPCError(globex.customers.create({ values: { name: 'Sneaky', data: { parentCompany: parent.id } } }), 'BAD_REQUEST')
  })

  it('deals and cases must name a customer of the same tenant; users must be members', async () => {
    const acme = await h.asUser('agent@acme.test', 'acme')
    const globex = await h.asUser('admin@globex.test', 'globex')
    const foreign = await globex.customers.create({ values: { name: 'Globex-only customer', data: { vatNumber: 'X1' } } })
    for (const customerId of [foreign.id, 'no-such-customer']) {
      const err = await expectTRPCError(acme.deals.create({ values: { name: 'Sneaky', customerId } }), 'BAD_REQUEST')
      expect(issuePaths(err)).toEqual(['values.customerId'])
      const err2 = await expectTRPCError(acme.cases.create({ values: { subject: 'Sneaky', customerId } }), 'BAD_REQUEST')
      expect(issuePaths(err2)).toEqual(['values.customerId'])
    }
    const owner = await expectTRPCError(acme.customers.create({ values: { name: 'Owned', owner: 'not-a-member' } }), 'BAD_REQUEST')
    expect(issuePaths(owner)).toEqual(['values.owner'])
    const me = await acme.auth.me()
    const mine = await acme.customers.create({ values: { name: 'Owned', owner: me.user!.id } })
    expect(mine.owner).toBe(me.user!.id)
  })

  it('enforces read-only fields per role (the form config) on the server', async () => {
    const agent = await h.asUser('agent@acme.test', 'acme')
    const manager = await h.asUser('manager@acme.test', 'acme')
    const managerId = (await manager.auth.me()).user!.id
    const c = await agent.customers.create({ values: { name: 'Roles Inc' } })
    const err = await expectTRPCError(agent.deals.create({ values: { name: 'Owned deal', customerId: c.id, owner: managerId } }), 'BAD_REQUEST')
    expect(issuePaths(err)).toEqual(['values.owner'])
    const deal = await manager.deals.create({ values: { name: 'Owned deal', customerId: c.id, owner: managerId, amount: 1000 } })
    // The agent may still edit the rest, and may send the unchanged owner back (a whole form).
    const edited = await agent.deals.update({ id: deal.id, expectedVersion: 1, values: { amount: 1500, owner: managerId } })
    expect(edited).toMatchObject({ version: 2, amount: 1500, owner: managerId, customerName: 'Roles Inc' })
    await expectTRPCError(agent.deals.update({ id: deal.id, expectedVersion: 2, values: { owner: null } }), 'BAD_REQUEST')
  })

  it('lets only managers assign records to someone else (crm:reassign)', async () => {
    const agent = await h.asUser('agent@acme.test', 'acme')
    const manager = await h.asUser('manager@acme.test', 'acme')
    const agentId = (await agent.auth.me()).user!.id
    const managerId = (await manager.auth.me()).user!.id
    // Customer owner is editable by agents in the default form: the reassign rule still holds.
    const err = await expectTRPCError(agent.customers.create({ values: { name: 'Given away', owner: managerId } }), 'BAD_REQUEST')
    expect(issuePaths(err)).toEqual(['values.owner'])
    const mine = await agent.customers.create({ values: { name: 'Mine', owner: agentId } })
    const theirs = await manager.customers.update({ id: mine.id, expectedVersion: 1, values: { owner: managerId } })
    expect(theirs.owner).toBe(managerId)
    const taken = await expectTRPCError(agent.customers.update({ id: mine.id, expectedVersion: 2, values: { owner: agentId } }), 'BAD_REQUEST')
    expect(issuePaths(taken)).toEqual(['values.owner'])
    // An unowned customer may be taken by the agent.
    const open = await agent.customers.create({ values: { name: 'Nobody owns me' } })
    const took = await agent.customers.update({ id: open.id, expectedVersion: open.version, values: { owner: agentId } })
    expect(took.owner).toBe(agentId)
  })

  it('refuses to remove a customer that still has deals or cases', async () => {
    const manager = await h.asUser('manager@acme.test', 'acme')
    const c = await manager.customers.create({ values: { name: 'Has Cases' } })
    const k = await manager.cases.create({ values: { subject: 'Printer on fire', customerId: c.id, priority: 'urgent' } })
    expect(k).toMatchObject({ status: 'new', priority: 'urgent', customerName: 'Has Cases', firstResponseDueAt: null })
    const err = await expectTRPCError(manager.customers.remove({ id: c.id }), 'CONFLICT')
    expect(err.message).toMatch(/1 case/)
    await manager.cases.remove({ id: k.id })
    await manager.customers.remove({ id: c.id })
  })

  it('writes activity in the same transaction and announces each change after commit', async () => {
    const tenantId = h.tenantId('acme')
    const events: BusEvent[] = []
    const offs = ['customer.changed', 'deal.changed'].map((topic) => h.services.bus.subscribe(tenantId, topic, (e) => events.push(e)))
    try {
      const agent = await h.asUser('agent@acme.test', 'acme')
      const c = await agent.customers.create({ values: { name: 'Timeline GmbH', data: { tier: 'silver' } } })
      const d = await agent.deals.create({ values: { name: 'Timeline deal', customerId: c.id, amount: 100 } })
      await agent.customers.update({ id: c.id, expectedVersion: 1, values: { data: { tier: 'gold' }, company: 'Timeline' } })
      await agent.deals.update({ id: d.id, expectedVersion: 1, values: { stage: 'proposal' } })
      await expect.poll(() => events.length).toBe(4)
      const changes = events.map((e) => e.payload as { entity: string; id: string; kind: string; version: number; fields: string[]; by: { label: string } })
      expect(changes.map((c) => [c.entity, c.kind, c.version])).toEqual([
        ['customer', 'created', 1],
        ['deal', 'created', 1],
        ['customer', 'updated', 2],
        ['deal', 'updated', 2],
      ])
      expect(changes[2]!.fields.sort()).toEqual(['company', 'data.tier'])
      expect(changes[0]!.by.label).toBe('Aggie Agent')

      const c360 = await agent.customer360.get({ id: c.id })
      expect(c360.customer.id).toBe(c.id)
      expect(c360.deals.map((x) => x.id)).toEqual([d.id])
      expect(c360.cases).toEqual([])
      expect(c360.counts).toEqual({ deals: 1, cases: 0 })
      expect(c360.messages).toEqual([])
      expect(c360.activity.map((a) => [a.entity, a.kind])).toEqual([
        ['deal', 'updated'],
        ['customer', 'updated'],
        ['deal', 'created'],
        ['customer', 'created'],
      ])
      expect(c360.activity[1]!.changes).toEqual({ company: { from: null, to: 'Timeline' }, 'data.tier': { from: 'silver', to: 'gold' } })
      expect(c360.activity[0]!.actor).toBe('Aggie Agent')
      await expectTRPCError(agent.customer360.get({ id: 'missing' }), 'NOT_FOUND')
    } finally {
      offs.forEach((off) => off())
    }
  })

  it('a failed write changes nothing and announces nothing', async () => {
    const tenantId = h.tenantId('acme')
    const events: BusEvent[] = []
    const off = h.services.bus.subscribe(tenantId, 'deal.changed', (e) => events.push(e))
    try {
      const agent = await h.asUser('agent@acme.test', 'acme')
      const before = (await agent.deals.list({ limit: 1 })).total
      await expectTRPCError(agent.deals.create({ values: { name: 'Orphan', customerId: 'missing' } }), 'BAD_REQUEST')
      expect((await agent.deals.list({ limit: 1 })).total).toBe(before)
      // A good write on the same topic is the marker: an event of the failed one would come first.
      const customer = await agent.customers.create({ values: { name: 'Marker Customer' } })
      const marker = await agent.deals.create({ values: { name: 'Marker', customerId: customer.id } })
      await waitFor(() => events.length > 0, { message: () => 'the good write was not announced' })
      expect(events.map((e) => (e.payload as { id: string }).id)).toEqual([marker.id])
    } finally {
      off()
    }
  })

  it('previews the impact of a config change with real record counts', async () => {
    const admin = await h.asUser('admin@acme.test', 'acme')
    await admin.customers.create({ values: { name: 'Golden', data: { tier: 'gold', industry: 'Mining' } } })
    const address = { namespace: 'objects' as const, entity: 'customer', key: 'fields' }
    const item = await admin.config.get(address)
    const fields = (item.content as { fields: Field[] }).fields
      .filter((f) => f.name !== 'industry')
      .map((f) => (f.name === 'tier' ? { ...f, options: f.options!.filter((o) => o.value !== 'gold') } : f))
    await admin.config.saveDraft({
      ...address,
      expectedRevision: item.draftRevision,
      content: { fields: [...fields, { name: 'segment', label: 'Segment', type: 'text', required: true }] },
    })
    try {
      const impact = await admin.config.impact()
      const count = async (filter?: object) => (await admin.customers.list({ ...(filter ? { filter } : {}), limit: 1 })).total
      const of = (kind: string, field: string) => impact.find((i) => i.kind === kind && i.field === field)?.records
      expect(of('field_removed', 'industry')).toBe(await count({ field: 'industry', op: 'isNotEmpty' }))
      expect(of('options_removed', 'tier')).toBe(await count({ field: 'tier', op: 'eq', value: 'gold' }))
      expect(of('new_required_field', 'segment')).toBe(await count())
      expect(of('options_removed', 'tier')).toBeGreaterThan(0)
    } finally {
      await admin.config.discardDraft(address)
    }
  })

  it('answers input the database cannot store with BAD_REQUEST, not a 500', async () => {
    const agent = await h.asUser('agent@acme.test', 'acme')
    // PostgreSQL text and jsonb cannot hold U+0000.
    await expectTRPCError(agent.customers.list({ search: 'a\u0000b' }), 'BAD_REQUEST')
    await expectTRPCError(agent.customers.list({ filter: { field: 'name', op: 'eq', value: 'a\u0000' } }), 'BAD_REQUEST')
    await expectTRPCError(agent.customers.get({ id: 'a\u0000' }), 'BAD_REQUEST')
    await expectTRPCError(agent.customers.create({ values: { name: 'x\u0000y' } }), 'BAD_REQUEST')
    await expectTRPCError(agent.customers.create({ values: { name: 'x', data: { industry: 'a\u0000' } } }), 'BAD_REQUEST')
    // Nor an unpaired UTF-16 surrogate; and a "__proto__" key (JSON.parse makes one) is no field.
    // Each answers zod issues at the path, like any other bad value.
    const lone = await expectTRPCError(agent.customers.create({ values: { name: 'x', data: { industry: 'broken \ud800' } } }), 'BAD_REQUEST')
    expect(issuePaths(lone)).toEqual(['values.data.industry'])
    const proto = await expectTRPCError(agent.customers.create({ values: JSON.parse('{"name":"x","__proto__":{"admin":true}}') }), 'BAD_REQUEST')
    expect(issuePaths(proto)).toEqual(['values.__proto__'])
    const nul = await expectTRPCError(agent.customers.list({ search: 'a\u0000b' }), 'BAD_REQUEST')
    expect(issuePaths(nul)).toEqual(['search'])
    // A proper surrogate pair (an emoji) is text like any other.
    expect((await agent.customers.create({ values: { name: 'Party \u{1F389} Planners' } })).name).toBe('Party \u{1F389} Planners')
    // Deal amounts are numeric(18, 2).
    const c = await agent.customers.create({ values: { name: 'Big Spender' } })
    const err = await expectTRPCError(agent.deals.create({ values: { name: 'Huge', customerId: c.id, amount: 1e300 } }), 'BAD_REQUEST')
    expect(issuePaths(err)).toEqual(['values.amount'])
    expect((await agent.deals.create({ values: { name: 'Large', customerId: c.id, amount: 999_999_999_999.99 } })).amount).toBe(999_999_999_999.99)
  })

  it('works for API tokens too, with the token named as the actor', async () => {
    const token = await h.asToken('acme', 'AGENT')
    const c = await token.customers.create({ values: { name: 'Made by a script' } })
    const c360 = await token.customer360.get({ id: c.id })
    expect(c360.activity[0]!.actor).toBe('token: test AGENT')
    const viewer = await h.asToken('acme', 'VIEWER')
    await expectTRPCError(viewer.customers.create({ values: { name: 'Nope' } }), 'FORBIDDEN')
    expect((await viewer.customers.get({ id: c.id })).name).toBe('Made by a script')
  })
})
