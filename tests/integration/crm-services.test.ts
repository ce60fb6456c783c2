// The crm's services called as a worker or a script would: a TenantScope, an actor and the crm's
// deps, no tRPC context and no caller. They throw the kernel's domain errors (the API layer maps
// them), stale versions say what conflicted, and changes are announced on the bus with the actor.
import { describe, expect, it } from 'vitest'
import { ConflictError, InvalidError, NotFoundError, systemActor, tenantScope } from '../../server/kernel'
import type { CrmActor, CrmDeps } from '../../server/crm/deps'
import { createRecord, getRecord, removeRecord, updateRecord } from '../../server/crm/record-service'
import { recordTopic } from '../../server/crm/record-events'
import type { BusEvent } from '../../server/realtime/event-bus'
import { ENTITIES, ENTITY_INFO } from '../../server/config-language'
import { useHarness } from '../support/harness'
import { publishCustomerFields } from '../support/config-changes'
import { createRuntimeConfigCache } from '../../server/config/runtime-config'
import { createMemoryBus } from '../../server/realtime/event-bus'

const h = useHarness()

const worker: CrmActor = { ...systemActor('automation: test'), role: 'ADMIN' }
const deps = (): CrmDeps => ({ bus: h.services.bus, runtimeConfig: h.services.runtimeConfig, logger: h.services.logger })
const acme = () => tenantScope(h.services.db, h.tenantId('acme'))

async function rejection(p: Promise<unknown>): Promise<unknown> {
  try {
    await p
  } catch (err) {
    return err
  }
  throw new Error('expected the call to fail')
}

describe('crm services without tRPC', () => {
  it('create, update and remove with a scope and a system actor; the change names the actor', async () => {
    const scope = acme()
    const events: BusEvent[] = []
    const off = h.services.bus.subscribe(scope.tenantId, recordTopic('customer'), (e) => events.push(e))
    try {
      const created = await createRecord(scope, worker, { entity: 'customer', values: { name: 'Worker GmbH' } }, deps())
      expect(created).toMatchObject({ name: 'Worker GmbH', version: 1, createdById: null })
      const updated = await updateRecord(
        scope,
        worker,
        { entity: 'customer', id: created!.id, expectedVersion: 1, values: { phone: '+49 30 1234567' } },
        deps(),
      )
      expect(updated.version).toBe(2)
      await expect(removeRecord(scope, worker, { entity: 'customer', id: created!.id, expectedVersion: 2 }, deps())).resolves.toEqual({
        id: created!.id,
        deleted: true,
      })
      await expect.poll(() => events.length, { timeout: 5000 }).toBe(3)
      expect(events.map((e) => (e.payload as { kind: string; by: { label: string } }).kind)).toEqual(['created', 'updated', 'deleted'])
      expect((events[0]!.payload as { by: unknown }).by).toEqual({ userId: null, tokenId: null, label: 'automation: test' })
    } finally {
      off()
    }
  })

  it('a stale version is a ConflictError whose details say what conflicted', async () => {
    const scope = acme()
    const created = await createRecord(scope, worker, { entity: 'customer', values: { name: 'Stale AG' } }, deps())
    await updateRecord(scope, worker, { entity: 'customer', id: created!.id, expectedVersion: 1, values: { phone: '+49 30 1' } }, deps())
    const err = await rejection(updateRecord(scope, worker, { entity: 'customer', id: created!.id, expectedVersion: 1, values: { phone: '+49 30 2' } }, deps()))
    expect(err).toBeInstanceOf(ConflictError)
    expect((err as ConflictError).details).toEqual({ entity: 'customer', id: created!.id, expectedVersion: 1, currentVersion: 2 })
  })

  it("another tenant's record is a NotFoundError; bad values are an InvalidError with issues at paths", async () => {
    const created = await createRecord(acme(), worker, { entity: 'customer', values: { name: 'Only Acme' } }, deps())
    const globex = tenantScope(h.services.db, h.tenantId('globex'))
    expect(await rejection(getRecord(globex, worker, { entity: 'customer', id: created!.id }))).toBeInstanceOf(NotFoundError)
    const invalid = await rejection(createRecord(acme(), worker, { entity: 'customer', values: { name: '', email: 'not an email' } }, deps()))
    expect(invalid).toBeInstanceOf(InvalidError)
    expect((invalid as InvalidError).issues.map((i) => i.path.join('.'))).toEqual(expect.arrayContaining(['values.email']))
  })

  it('the entity list and metadata are declared once and drive the record tables', async () => {
    const { RECORD_TABLES } = await import('../../server/crm/record-tables')
    expect(Object.keys(RECORD_TABLES)).toEqual([...ENTITIES])
    for (const e of ENTITIES)
      expect(RECORD_TABLES[e]).toMatchObject({ plural: ENTITY_INFO[e].path, titleField: ENTITY_INFO[e].titleField, hasCustomer: ENTITY_INFO[e].hasCustomer })
  })

  it('a write on an instance that has not heard of a publish is judged by the published config', async () => {
    const scope = tenantScope(h.services.db, h.tenantId('globex'))
    // Another instance's view of the config: its cache hears no publishes (a bus of its own) and
    // keeps what it read for a minute, as an instance whose bus message is late would.
    const deaf: CrmDeps = { ...deps(), runtimeConfig: createRuntimeConfigCache({ db: h.services.db, bus: createMemoryBus(), maxAgeMs: 60_000 }) }
    await createRecord(scope, worker, { entity: 'customer', values: { name: 'Seen at the old version' } }, deaf)
    const admin = await h.asUser('admin@globex.test', 'globex')
    await publishCustomerFields(admin, [{ name: 'vatNumber', label: 'VAT number', type: 'text', required: true }])
    const head = (await admin.config.list()).version
    const rows = () => scope.db.customer.count()
    const before = await rows()

    // Valid for the old config, not for the published one: refused, and nothing half-written.
    const refused = await rejection(createRecord(scope, worker, { entity: 'customer', values: { name: 'No VAT number' } }, deaf))
    expect(refused).toBeInstanceOf(InvalidError)
    expect((refused as InvalidError).issues.map((i) => i.path.join('.'))).toEqual(['values.data.vatNumber'])
    expect(await rows()).toBe(before)

    // Valid only for the published config: accepted, and its event names the published version.
    const created = await createRecord(scope, worker, { entity: 'customer', values: { name: 'With VAT number', data: { vatNumber: 'NL1' } } }, deaf)
    expect(created!.data).toMatchObject({ vatNumber: 'NL1' })
    const event = await scope.db.outboxEvent.findFirstOrThrow({ where: { recordId: created!.id, type: 'record.created' } })
    expect(event.configVersion).toBe(head)
    expect(await rows()).toBe(before + 1)
  })
})
