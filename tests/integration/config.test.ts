// The config lifecycle through the real router and database: drafts with revisions, validation,
// atomic publish with gap-free versions, history, snapshots, diff, rollback, impact, runtime.
import { describe, expect, it } from 'vitest'
import { validateConfigSet } from '../../server/config-language'
import { CONFIG_PUBLISHED } from '../../server/config/publish'
import type { BusEvent } from '../../server/realtime/event-bus'
import { useHarness } from '../support/harness'
import { expectTRPCError } from '../support/trpc-error'

const h = useHarness()

type Field = { name: string; type: string; required?: boolean; label: string; options?: { value: string; label: string }[] }
const CUSTOMER_FIELDS = { namespace: 'objects' as const, entity: 'customer', key: 'fields' }

async function addCustomerField(caller: Awaited<ReturnType<typeof h.asUser>>, field: Field) {
  const item = await caller.config.get(CUSTOMER_FIELDS)
  const content = item.content as { fields: Field[] }
  return caller.config.saveDraft({ ...CUSTOMER_FIELDS, expectedRevision: item.draftRevision, content: { ...content, fields: [...content.fields, field] } })
}

describe('config lifecycle', () => {
  it('starts every tenant at version 1 with a default configuration that validates clean', async () => {
    const admin = await h.asUser('admin@globex.test', 'globex')
    const list = await admin.config.list()
    expect(list.version).toBe(1)
    expect(list.items.every((i) => i.state === 'live')).toBe(true)
    const namespaces = new Set(list.items.map((i) => i.namespace))
    for (const ns of ['objects', 'forms', 'views', 'triggers', 'conditions', 'actions', 'automations', 'approvals', 'sla']) expect(namespaces).toContain(ns)
    expect((await admin.config.validate()).errors).toEqual([])
    const snap = await admin.config.snapshot({ version: 1 })
    expect(validateConfigSet(snap.items).errors).toEqual([])
    const runtime = await (await h.asUser('viewer@acme.test')).runtime.config()
    expect(runtime.version).toBeGreaterThanOrEqual(1)
  })

  it('saves drafts with revision checks: a stale revision is a CONFLICT, never an overwrite', async () => {
    const admin = await h.asUser('admin@acme.test')
    const first = await addCustomerField(admin, { name: 'nickname', label: 'Nickname', type: 'text' })
    expect(first.draftRevision).toBeGreaterThan(0)
    const stale = await admin.config.get(CUSTOMER_FIELDS)
    await admin.config.saveDraft({ ...CUSTOMER_FIELDS, expectedRevision: stale.draftRevision, content: stale.content })
    const err = await expectTRPCError(admin.config.saveDraft({ ...CUSTOMER_FIELDS, expectedRevision: stale.draftRevision, content: {} }), 'CONFLICT')
    expect(err.message).toMatch(/changed meanwhile/)
    const after = await admin.config.get(CUSTOMER_FIELDS)
    expect((after.content as { fields: Field[] }).fields.some((f) => f.name === 'nickname')).toBe(true)
    expect(after.state).toBe('modified')
    await admin.config.discardDraft(CUSTOMER_FIELDS)
    expect((await admin.config.get(CUSTOMER_FIELDS)).state).toBe('live')
  })

  it('refuses to publish drafts with validation errors, listing them', async () => {
    const admin = await h.asUser('admin@acme.test')
    const view = await admin.config.get({ namespace: 'views', entity: 'customer', key: 'all' })
    const content = view.content as { columns: { field: string }[] }
    const saved = await admin.config.saveDraft({
      namespace: 'views',
      entity: 'customer',
      key: 'all',
      expectedRevision: view.draftRevision,
      content: { ...content, columns: [...content.columns, { field: 'noSuchField' }] },
    })
    expect(saved.errors.map((e) => e.code)).toContain('unknown_field')
    const { version } = await admin.config.list()
    const err = await expectTRPCError(admin.config.publish({ expectedVersion: version, message: 'broken' }), 'BAD_REQUEST')
    const configErrors = (err.cause as unknown as { errors: { item: string; code: string }[] }).errors
    expect(configErrors).toContainEqual(expect.objectContaining({ item: 'views/customer/all', code: 'unknown_field' }))
    expect((await admin.config.list()).version).toBe(version)
    await admin.config.discardDraft({ namespace: 'views', entity: 'customer', key: 'all' })
  })

  it('publishes atomically: snapshot, history, item versions, audit, and the event after commit', async () => {
    const admin = await h.asUser('admin@acme.test')
    const tenantId = h.tenantId('acme')
    const events: BusEvent[] = []
    const off = h.services.bus.subscribe(tenantId, CONFIG_PUBLISHED, (e) => events.push(e))
    try {
      await addCustomerField(admin, { name: 'loyaltyNumber', label: 'Loyalty number', type: 'text' })
      const { version } = await admin.config.list()
      const impact = await admin.config.impact()
      expect(impact).toEqual([])
      const published = await admin.config.publish({ expectedVersion: version, message: 'Add loyalty number' })
      expect(published.version).toBe(version + 1)
      await expect.poll(() => events.length).toBe(1)
      expect(events[0]).toMatchObject({ id: String(version + 1), payload: { version: version + 1, message: 'Add loyalty number' } })
      const history = await admin.config.history()
      expect(history.items[0]).toMatchObject({ version: version + 1, message: 'Add loyalty number', authorLabel: 'Ada Admin', kind: 'publish' })
      const diff = await admin.config.diff({ from: version, to: version + 1 })
      expect(diff.changed.map((c) => c.address)).toEqual(['objects/customer/fields'])
      expect((await admin.config.get(CUSTOMER_FIELDS)).state).toBe('live')
      const audit = await admin.audit.list({ action: 'config.publish' })
      expect(audit.items[0]).toMatchObject({ target: `config/v${version + 1}` })
      // The runtime sees the new version (the event dropped its cache entry).
      const runtime = await admin.runtime.config()
      expect(runtime.version).toBe(version + 1)
      expect(runtime.checksum).toBe(published.checksum)
    } finally {
      off()
    }
  })

  it('refuses a stale expectedVersion with CONFLICT', async () => {
    const admin = await h.asUser('admin@acme.test')
    await addCustomerField(admin, { name: 'staleCheck', label: 'Stale check', type: 'text' })
    const { version } = await admin.config.list()
    const err = await expectTRPCError(admin.config.publish({ expectedVersion: version - 1, message: 'late' }), 'CONFLICT')
    expect(err.message).toMatch(new RegExp(`version ${version}`))
    await admin.config.discardDraft(CUSTOMER_FIELDS)
  })

  it('keeps versions gap-free under concurrent publishes: exactly one wins', async () => {
    const admin = await h.asUser('admin@acme.test')
    await addCustomerField(admin, { name: 'raceField', label: 'Race', type: 'number' })
    const { version } = await admin.config.list()
    const attempts = await Promise.allSettled(Array.from({ length: 5 }, (_, i) => admin.config.publish({ expectedVersion: version, message: `race ${i}` })))
    expect(attempts.filter((a) => a.status === 'fulfilled')).toHaveLength(1)
    const history = await admin.config.history({ limit: 100 })
    const versions = history.items.map((i) => i.version)
    expect(versions).toEqual([...versions].sort((a, b) => b - a))
    expect(versions).toEqual(Array.from({ length: versions.length }, (_, i) => versions[0]! - i))
  })

  it('diffs the drafts against live down to the changed paths', async () => {
    const admin = await h.asUser('admin@acme.test')
    const view = await admin.config.get({ namespace: 'views', entity: 'customer', key: 'all' })
    await admin.config.saveDraft({ namespace: 'views', entity: 'customer', key: 'all', expectedRevision: view.draftRevision, content: { ...(view.content as object), pageSize: 17 } })
    const diff = await admin.config.diff({})
    const change = diff.changed.find((c) => c.address === 'views/customer/all')
    expect(change?.changes).toContainEqual(expect.objectContaining({ path: ['pageSize'], after: 17 }))
    await admin.config.discardDraft({ namespace: 'views', entity: 'customer', key: 'all' })
  })

  it('rolls back by publishing an old version as a new one and resetting drafts', async () => {
    const admin = await h.asUser('admin@acme.test')
    await addCustomerField(admin, { name: 'pendingDraft', label: 'Pending', type: 'text' })
    const { version } = await admin.config.list()
    const rolled = await admin.config.rollback({ toVersion: 1, expectedVersion: version })
    expect(rolled.version).toBe(version + 1)
    const live = await admin.config.snapshot({ version: version + 1 })
    const v1 = await admin.config.snapshot({ version: 1 })
    expect(live.checksum).toBe(v1.checksum)
    expect(live.rollbackOf).toBe(1)
    const list = await admin.config.list()
    expect(list.items.every((i) => i.state === 'live')).toBe(true)
    const fields = ((await admin.config.get(CUSTOMER_FIELDS)).content as { fields: Field[] }).fields
    expect(fields.some((f) => f.name === 'loyaltyNumber' || f.name === 'pendingDraft')).toBe(false)
    await expectTRPCError(admin.config.rollback({ toVersion: 1, expectedVersion: version }), 'CONFLICT')
  })

  it('previews the impact of a new required field', async () => {
    const admin = await h.asUser('admin@acme.test')
    await addCustomerField(admin, { name: 'vatNumber', label: 'VAT number', type: 'text', required: true })
    const impact = await admin.config.impact()
    // Every existing customer (the demo ones included) lacks the new field.
    const { total } = await admin.customers.list({ limit: 1 })
    expect(total).toBeGreaterThan(0)
    expect(impact).toContainEqual(expect.objectContaining({ entity: 'customer', field: 'vatNumber', kind: 'new_required_field', records: total }))
    await admin.config.discardDraft(CUSTOMER_FIELDS)
  })

  it('lets managers read but not write, and keeps drafts from agents', async () => {
    const manager = await h.asUser('manager@acme.test')
    expect((await manager.config.list()).items.length).toBeGreaterThan(0)
    const item = await manager.config.get(CUSTOMER_FIELDS)
    await expectTRPCError(manager.config.saveDraft({ ...CUSTOMER_FIELDS, expectedRevision: item.draftRevision, content: item.content }), 'FORBIDDEN')
    const agent = await h.asUser('agent@acme.test')
    await expectTRPCError(agent.config.get(CUSTOMER_FIELDS), 'FORBIDDEN')
    expect((await agent.runtime.config()).items.length).toBeGreaterThan(0)
  })
})
