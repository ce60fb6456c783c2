// An automation run on two app processes over one database and one Redis (issue 11's acceptance):
// the instance running an event is killed (SIGKILL) in the middle of the run, and the other one
// finishes it once the lease runs out, applying no action twice.
// The run is made slow on purpose: its first action is a webhook to a receiver in this test that
// holds the request open, so the test knows the run is in progress and, from the event's lease
// (`lockedBy` names the worker's process), which instance is running it.
// The guarantee, precisely: one run for the event, every step stored once; a step whose effect is
// in the database (addTag, notify) is applied exactly once; a webhook is delivered at least once:
// the killed instance's request (never answered) and the survivor's carry the same
// `Pulse8-Delivery` id, for the receiver to deduplicate on.
import { randomUUID } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { verifyPulse8Signature } from '../../server/automation/webhook-delivery'
import { createDb, type Db } from '../../server/db/client'
import { seedDemo } from '../../server/seed/demo'
import { publishItems } from '../support/config-changes'
import { createToken, httpClient, startChildInstance, type ChildInstance } from '../support/instances'
import { createTestDatabase, type TestDatabase } from '../support/test-db'
import { waitFor } from '../support/wait'
import { startWebhookReceiver, type WebhookReceiver } from '../support/webhook-receiver'

const REDIS_URL = process.env.REDIS_URL
if (!REDIS_URL)
  console.log('automation-instances.test.ts skipped: set REDIS_URL to run the two-instance automation test (instances share events through Redis)')

// Long enough for the claim, the webhook request and the kill; short enough not to wait a minute.
const LEASE_MS = 5_000
const NAME = 'Killed mid-run probe'

describe.skipIf(!REDIS_URL)('an automation run whose instance is killed mid-run', () => {
  let db: TestDatabase
  let seedDb: Db
  let tenantId: string
  let adminToken: string
  let instances: ChildInstance[] = []
  let receiver: WebhookReceiver
  // The first request is held (the run is in progress); once the test has killed its sender, the rest are answered.
  let holding = true

  beforeAll(async () => {
    db = await createTestDatabase()
    seedDb = createDb(db.url)
    const seeded = await seedDemo(seedDb)
    tenantId = seeded.tenants.find((t) => t.slug === 'acme')!.id
    adminToken = await createToken(seedDb, tenantId, 'ADMIN')
    receiver = await startWebhookReceiver(() => (holding ? 'hold' : 200))
    const opts = { databaseUrl: db.url, redisUrl: REDIS_URL!, prefix: `test:${randomUUID()}:`, timeoutMs: 120_000 }
    const env = { AUTOMATION_WORKER: 'true', AUTOMATION_LEASE_MS: String(LEASE_MS), WEBHOOK_ALLOW_PRIVATE: 'true', WEBHOOK_RETRY_BASE_MS: '1' }
    instances = await Promise.all([startChildInstance(opts, env), startChildInstance(opts, env)])
  }, 180_000)

  afterAll(async () => {
    await Promise.all(instances.map((i) => i.stop()))
    await receiver?.close()
    await seedDb?.$disconnect()
    await db?.drop()
  })

  it('the other instance finishes the event after the lease; no action is applied twice; the webhook is re-sent with the same delivery id', async () => {
    const admin = httpClient(instances[0]!.baseUrl, adminToken)
    const { value: secret } = await admin.secrets.create.mutate({ name: 'instances-hook' })
    await publishItems(
      {
        config: {
          list: () => admin.config.list.query(),
          saveDraft: (i) => admin.config.saveDraft.mutate(i as never),
          publish: (i) => admin.config.publish.mutate(i),
        },
      },
      [
        { namespace: 'triggers', entity: 'customer', key: 'kill-probe-created', content: { event: 'record.created' } },
        { namespace: 'conditions', entity: 'customer', key: 'is-kill-probe', content: { when: { field: 'name', op: 'eq', value: NAME } } },
        {
          namespace: 'actions',
          entity: 'customer',
          key: 'slow-hook',
          content: { type: 'webhook', url: receiver.url('/slow'), secretRef: 'instances-hook', retries: 2 },
        },
        { namespace: 'actions', entity: 'customer', key: 'tag-survivor', content: { type: 'addTag', tag: 'survived' } },
        { namespace: 'actions', entity: 'customer', key: 'tell-managers', content: { type: 'notify', roles: ['MANAGER'], message: 'Survived: {{name}}' } },
        {
          namespace: 'automations',
          entity: '-',
          key: 'kill-probe',
          content: {
            label: 'Kill probe',
            entity: 'customer',
            trigger: 'kill-probe-created',
            conditions: ['is-kill-probe'],
            actions: ['slow-hook', 'tag-survivor', 'tell-managers'],
            enabled: true,
            order: 500,
          },
        },
      ],
      'kill probe automation',
    )
    const customer = await admin.customers.create.mutate({ values: { name: NAME } })

    // The run is in progress: its webhook request is held. The event's lease says whose it is.
    await waitFor(() => receiver.to('/slow').length > 0, { timeoutMs: 30_000, message: () => 'no instance ever called the webhook' })
    const event = await seedDb.outboxEvent.findFirstOrThrow({ where: { tenantId, recordId: customer!.id, type: 'record.created' } })
    expect(event).toMatchObject({ status: 'pending', attempts: 1 })
    const pidOf = (lockedBy: string | null) => Number(lockedBy?.split(':')[1])
    const doomed = instances.find((i) => i.child.pid === pidOf(event.lockedBy))
    expect(doomed, `lockedBy ${event.lockedBy} is neither instance's worker`).toBeDefined()
    const survivor = instances.find((i) => i !== doomed)!
    await doomed!.stop('SIGKILL')
    // Still only the doomed instance's request: its lease held until the kill.
    expect(receiver.to('/slow')).toHaveLength(1)
    holding = false

    const runs = () => seedDb.automationRun.findMany({ where: { tenantId, eventId: event.id } })
    await waitFor(async () => (await runs()).some((r) => r.status === 'succeeded'), {
      timeoutMs: LEASE_MS + 30_000,
      intervalMs: 100,
      message: () => `the surviving instance did not finish the run. Its output:\n${survivor.output()}`,
    })
    const done = await waitFor(async () => {
      const e = await seedDb.outboxEvent.findUniqueOrThrow({ where: { tenantId_id: { tenantId, id: event.id } } })
      return e.status === 'done' ? e : null
    })
    expect(done.attempts).toBe(2)

    // One run for the event, each step stored once (the webhook step's first try died with its instance, unstored).
    const [run, ...others] = await runs()
    expect(others).toEqual([])
    expect(run).toMatchObject({ automationKey: 'kill-probe', status: 'succeeded' })
    const steps = run!.steps as Array<{ actionKey: string; status: string; attempts: number }>
    expect(steps.map((s) => [s.actionKey, s.status, s.attempts])).toEqual([
      ['slow-hook', 'succeeded', 1],
      ['tag-survivor', 'succeeded', 1],
      ['tell-managers', 'succeeded', 1],
    ])

    // At least once: the killed instance's request (never answered) and the survivor's, one delivery id, both signed.
    const hooks = receiver.to('/slow')
    expect(hooks.map((r) => [r.headers['pulse8-delivery'], r.answered])).toEqual([
      [`${run!.id}:0`, null],
      [`${run!.id}:0`, 200],
    ])
    for (const r of hooks) expect(verifyPulse8Signature(r.headers['pulse8-signature'] as string, r.body, secret)).toBe(true)

    // Exactly once: the tag (one write by the automation) and one notification per manager.
    const survivorClient = httpClient(survivor.baseUrl, adminToken)
    expect((await survivorClient.customers.get.query({ id: customer!.id })).tags).toEqual(['survived'])
    const writes = await seedDb.activity.findMany({ where: { tenantId, recordId: customer!.id, kind: 'updated' }, select: { actor: true } })
    expect(writes.map((a) => a.actor)).toEqual(['automation: kill-probe'])
    const managers = await seedDb.membership.findMany({ where: { tenantId, role: 'MANAGER' }, select: { userId: true } })
    expect(managers.length).toBeGreaterThan(0)
    const told = await seedDb.notification.findMany({ where: { tenantId, title: `Survived: ${NAME}` }, select: { userId: true } })
    expect(told.map((n) => n.userId).sort()).toEqual(managers.map((m) => m.userId).sort())
  }, 240_000)
})
