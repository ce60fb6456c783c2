// Tenant isolation: for every procedure that takes an id, a user and an API token of `globex`
// act on `acme`'s rows and must get NOT_FOUND (exactly as for an id that does not exist), and the
// rows must be unchanged. Every procedure must be listed either here or in TAKES_NO_ID, so a new
// procedure without a case fails the suite.
import { TRPCError } from '@trpc/server'
import { beforeAll, describe, expect, it } from 'vitest'
import { useHarness } from '../support/harness'
import { callByPath, listProcedures } from '../support/procedures'
import { readSecret } from '../../server/secrets/secrets'
import { tenantScope } from '../../server/kernel'

const h = useHarness()

type AcmeIds = {
  tenantId: string
  agentUserId: string
  tokenId: string
  /** A pending invitation of acme, addressed to someone who is in neither tenant. */
  invitationId: string
  auditId: string
  /** A config item only acme has (a draft), and a config version only acme has reached. */
  configItem: { namespace: 'views'; entity: string; key: string }
  version: number
  /** CRM records only acme has. */
  customerId: string
  customerName: string
  dealId: string
  caseId: string
  /** A notification of acme's admin. */
  notificationId: string
  /** A failed automation run of acme. */
  runId: string
  /** A tenant secret only acme has. */
  secretName: string
  /** A pending approval request of acme (a deal with a discount above 20%). */
  approvalRequestId: string
  /** An inbox thread of acme (an ingested message). */
  threadId: string
}

/** Procedures that take an id, with an input naming acme's row and one naming nothing at all. */
const ID_CASES: Record<string, { input: (ids: AcmeIds) => unknown; expect: 'NOT_FOUND' | 'CONFLICT' | 'same-as-missing' }> = {
  'auth.switchTenant': { input: (ids) => ({ tenantId: ids.tenantId }), expect: 'NOT_FOUND' },
  'members.setRole': { input: (ids) => ({ userId: ids.agentUserId, role: 'VIEWER' }), expect: 'NOT_FOUND' },
  'members.remove': { input: (ids) => ({ userId: ids.agentUserId }), expect: 'NOT_FOUND' },
  'tokens.revoke': { input: (ids) => ({ id: ids.tokenId }), expect: 'NOT_FOUND' },
  'members.revokeInvitation': { input: (ids) => ({ id: ids.invitationId }), expect: 'NOT_FOUND' },
  // Someone else's invitation (here: another tenant's, to another person) is like a missing one.
  'invitations.accept': { input: (ids) => ({ id: ids.invitationId }), expect: 'NOT_FOUND' },
  'invitations.decline': { input: (ids) => ({ id: ids.invitationId }), expect: 'NOT_FOUND' },
  // A cursor is an id too: a foreign one pages exactly like a missing one, and shows no rows of acme.
  'audit.list': { input: (ids) => ({ cursor: ids.auditId }), expect: 'same-as-missing' },
  'config.get': { input: (ids) => ids.configItem, expect: 'NOT_FOUND' },
  'config.saveDraft': { input: (ids) => ({ ...ids.configItem, expectedRevision: 1, delete: true }), expect: 'NOT_FOUND' },
  'config.discardDraft': { input: (ids) => ids.configItem, expect: 'NOT_FOUND' },
  'config.validate': { input: (ids) => ({ item: ids.configItem }), expect: 'NOT_FOUND' },
  'config.snapshot': { input: (ids) => ({ version: ids.version }), expect: 'NOT_FOUND' },
  'config.diff': { input: (ids) => ({ from: 1, to: ids.version }), expect: 'NOT_FOUND' },
  'config.rollback': { input: (ids) => ({ toVersion: ids.version, expectedVersion: 1 }), expect: 'NOT_FOUND' },
  'config.history': { input: (ids) => ({ cursor: ids.version }), expect: 'same-as-missing' },
  // Naming a revision of acme's draft: for globex the item does not exist (revision 0), like a missing one.
  'config.discardDrafts': {
    input: (ids) => ({ items: [{ address: `${ids.configItem.namespace}/${ids.configItem.entity}/${ids.configItem.key}`, expectedRevision: 1 }] }),
    expect: 'CONFLICT',
  },
  'customers.get': { input: (ids) => ({ id: ids.customerId }), expect: 'NOT_FOUND' },
  'customers.update': { input: (ids) => ({ id: ids.customerId, expectedVersion: 1, values: { name: 'Taken over' } }), expect: 'NOT_FOUND' },
  'customers.remove': { input: (ids) => ({ id: ids.customerId }), expect: 'NOT_FOUND' },
  'deals.get': { input: (ids) => ({ id: ids.dealId }), expect: 'NOT_FOUND' },
  'deals.update': { input: (ids) => ({ id: ids.dealId, expectedVersion: 1, values: { name: 'Taken over' } }), expect: 'NOT_FOUND' },
  'deals.remove': { input: (ids) => ({ id: ids.dealId }), expect: 'NOT_FOUND' },
  'cases.get': { input: (ids) => ({ id: ids.caseId }), expect: 'NOT_FOUND' },
  'cases.update': { input: (ids) => ({ id: ids.caseId, expectedVersion: 1, values: { subject: 'Taken over' } }), expect: 'NOT_FOUND' },
  'cases.remove': { input: (ids) => ({ id: ids.caseId }), expect: 'NOT_FOUND' },
  // A notification is its recipient's: a foreign cursor is like a missing one, a foreign id is not marked.
  'notifications.list': { input: (ids) => ({ cursor: ids.notificationId }), expect: 'NOT_FOUND' },
  'notifications.markRead': { input: (ids) => ({ ids: [ids.notificationId] }), expect: 'same-as-missing' },
  // Runs are the tenant's: a foreign run id (or cursor) reads like a missing one; a foreign record is not dry-run.
  'automations.runs': { input: (ids) => ({ cursor: ids.runId }), expect: 'NOT_FOUND' },
  'automations.run': { input: (ids) => ({ id: ids.runId }), expect: 'NOT_FOUND' },
  'automations.retry': { input: (ids) => ({ id: ids.runId }), expect: 'NOT_FOUND' },
  'automations.dryRun': { input: (ids) => ({ automationKey: 'escalate-urgent', recordId: ids.caseId }), expect: 'NOT_FOUND' },
  // A secret is named, not numbered: another tenant's name is like a name that does not exist.
  'secrets.rotate': { input: (ids) => ({ name: ids.secretName }), expect: 'NOT_FOUND' },
  'secrets.remove': { input: (ids) => ({ name: ids.secretName }), expect: 'NOT_FOUND' },
  'customer360.get': { input: (ids) => ({ id: ids.customerId }), expect: 'NOT_FOUND' },
  'approvals.pending': { input: (ids) => ({ cursor: ids.approvalRequestId }), expect: 'NOT_FOUND' },
  'approvals.forRecord': { input: (ids) => ({ entity: 'deal', id: ids.dealId }), expect: 'NOT_FOUND' },
  'approvals.decide': { input: (ids) => ({ requestId: ids.approvalRequestId, decision: 'approve', expectedStep: 0 }), expect: 'NOT_FOUND' },
  'approvals.withdraw': { input: (ids) => ({ requestId: ids.approvalRequestId }), expect: 'NOT_FOUND' },
  'inbox.thread': { input: (ids) => ({ threadId: ids.threadId }), expect: 'NOT_FOUND' },
  'inbox.reply': { input: (ids) => ({ threadId: ids.threadId, text: 'Taken over' }), expect: 'NOT_FOUND' },
  'inbox.note': { input: (ids) => ({ threadId: ids.threadId, text: 'Taken over' }), expect: 'NOT_FOUND' },
  'inbox.assign': { input: (ids) => ({ threadId: ids.threadId, userId: null }), expect: 'NOT_FOUND' },
  'inbox.setStatus': { input: (ids) => ({ threadId: ids.threadId, status: 'closed' }), expect: 'NOT_FOUND' },
  'inbox.openCase': { input: (ids) => ({ threadId: ids.threadId }), expect: 'NOT_FOUND' },
  'inbox.linkToCase': { input: (ids) => ({ threadId: ids.threadId, caseId: ids.caseId }), expect: 'NOT_FOUND' },
  'inbox.markRead': { input: (ids) => ({ threadId: ids.threadId }), expect: 'NOT_FOUND' },
  // Threads of acme's customer or case: exactly what a missing one finds (nothing).
  'inbox.list': { input: (ids) => ({ customerId: ids.customerId, caseId: ids.caseId }), expect: 'same-as-missing' },
  // Metrics for one of acme's members count nothing, exactly like those for a member that does not exist.
  'dashboard.metrics': {
    input: (ids) => ({ from: '2026-01-01T00:00:00Z', to: '2026-03-31T00:00:00Z', timeZone: 'UTC', ownerId: ids.agentUserId }),
    expect: 'same-as-missing',
  },
  // Lists, exports and lookups by acme's ids or names find exactly what they find for a missing one.
  'customers.list': { input: (ids) => ({ search: ids.customerName }), expect: 'same-as-missing' },
  'customers.exportPage': { input: (ids) => ({ search: ids.customerName }), expect: 'same-as-missing' },
  'deals.list': { input: (ids) => ({ filter: { field: 'customerId', op: 'eq', value: ids.customerId } }), expect: 'same-as-missing' },
  'deals.exportPage': { input: (ids) => ({ filter: { field: 'customerId', op: 'eq', value: ids.customerId } }), expect: 'same-as-missing' },
  'cases.list': { input: (ids) => ({ filter: { field: 'customerId', op: 'in', value: [ids.customerId] } }), expect: 'same-as-missing' },
  'cases.exportPage': { input: (ids) => ({ filter: { field: 'customerId', op: 'in', value: [ids.customerId] } }), expect: 'same-as-missing' },
  // A deal or case for acme's customer is refused exactly like one for a customer that does not exist.
  'deals.create': { input: (ids) => ({ values: { name: 'Foreign deal', customerId: ids.customerId } }), expect: 'same-as-missing' },
  'cases.create': { input: (ids) => ({ values: { subject: 'Foreign case', customerId: ids.customerId } }), expect: 'same-as-missing' },
}

const TAKES_NO_ID = new Set([
  'auth.register',
  'auth.login',
  'auth.logout',
  'auth.me',
  'auth.changePassword',
  'members.list',
  'members.names',
  'members.add', // takes an email: inviting a person by email to one's own tenant is the feature
  'members.invite', // the same
  'members.invitations',
  'invitations.list', // the caller's own invitations, by their account email
  'tokens.list',
  'tokens.create',
  'secrets.list',
  'secrets.create', // names are per tenant: creating acme's name in globex is globex's own secret
  'config.list',
  'config.publish',
  'config.impact',
  'config.workspace',
  'runtime.config',
  'customers.create',
  'customers.importRows', // rows of the caller's own tenant
  // External ids (externalId, externalThreadId, inReplyTo) are the sender's, namespaced per tenant:
  // the same ids in another tenant thread only there (inbox-ingest.test.ts).
  'inbox.ingest',
  'inbox.unreadCount',
  'inbox.onThreadChanged',
  // Subscriptions take only `lastEventId` (a position in the caller's own tenant's stream); their
  // isolation over the WebSocket is covered by tests/integration/realtime.test.ts.
  'config.onPublished',
  'notifications.onNew',
  'inbox.onMessage',
  'customers.onChanged',
  'deals.onChanged',
  'cases.onChanged',
  'sla.onTimerFired',
])

const MISSING: AcmeIds = {
  tenantId: 'missing-tenant',
  agentUserId: 'missing-user',
  tokenId: 'missing-token',
  invitationId: 'missing-invitation',
  auditId: 'missing-audit',
  configItem: { namespace: 'views', entity: 'customer', key: 'missing-view' },
  version: 999,
  customerId: 'missing-customer',
  customerName: 'Missing Customer Name',
  dealId: 'missing-deal',
  caseId: 'missing-case',
  notificationId: 'missing-notification',
  runId: 'missing-run',
  secretName: 'missing-secret',
  approvalRequestId: 'missing-approval',
  threadId: 'missing-thread',
}

function withoutIds(message: string, input: unknown): string {
  const leaves: string[] = []
  const walk = (v: unknown) => {
    if (typeof v === 'string' || typeof v === 'number') leaves.push(String(v))
    else if (v && typeof v === 'object') Object.values(v).forEach(walk)
  }
  walk(input)
  const escape = (t: string) => t.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
  return leaves.reduce((m, leaf) => m.replace(new RegExp(`(?<![\\w-])${escape(leaf)}(?![\\w-])`, 'g'), '<id>'), message)
}

describe('tenant isolation', () => {
  let acme: AcmeIds
  let acmeSecretValue: string

  beforeAll(async () => {
    const admin = await h.asUser('admin@acme.test', 'acme')
    const token = await admin.tokens.create({ name: 'acme integration', role: 'AGENT' })
    const agent = (await admin.members.list()).find((m) => m.email === 'agent@acme.test')!
    const invitation = await admin.members.invite({ email: 'outsider@example.test', role: 'AGENT' })
    // acme moves its config to version 3 and keeps a draft-only view; globex stays at version 1.
    const view = await admin.config.get({ namespace: 'views', entity: 'customer', key: 'all' })
    for (const label of ['Everyone', 'All customers']) {
      const current = await admin.config.get({ namespace: 'views', entity: 'customer', key: 'all' })
      await admin.config.saveDraft({
        namespace: 'views',
        entity: 'customer',
        key: 'all',
        expectedRevision: current.draftRevision,
        content: { ...(view.content as object), label },
      })
      const { version } = await admin.config.list()
      await admin.config.publish({ expectedVersion: version, message: `relabel to ${label}` })
    }
    const configItem = { namespace: 'views' as const, entity: 'customer', key: 'acme-only' }
    await admin.config.saveDraft({ ...configItem, expectedRevision: 0, content: { ...(view.content as object), label: 'Acme only' } })
    const audit = await admin.audit.list({})
    const customer = await admin.customers.create({ values: { name: 'Acme Isolation Probe Ltd' } })
    const deal = await admin.deals.create({ values: { name: 'Acme-only deal', customerId: customer.id } })
    const kase = await admin.cases.create({ values: { subject: 'Acme-only case', customerId: customer.id } })
    const adminUser = await h.services.db.user.findUniqueOrThrow({ where: { email: 'admin@acme.test' } })
    const notification = await h.services.db.notification.create({ data: { tenantId: h.tenantId('acme'), userId: adminUser.id, title: 'Acme only' } })
    const ingested = await (
      await h.asToken('acme', 'AGENT')
    ).inbox.ingest({
      externalId: 'acme-only-message',
      channel: 'email',
      from: { email: 'acme-only-sender@example.test' },
      text: 'Acme only',
    })
    const run = await h.services.db.automationRun.create({
      data: {
        tenantId: h.tenantId('acme'),
        automationKey: 'escalate-urgent',
        configVersion: 1,
        eventId: 'isolation',
        event: 'record.created',
        status: 'failed',
      },
    })
    const secret = await admin.secrets.create({ name: 'acme-only-signing' })
    acmeSecretValue = secret.value
    const discounted = await admin.deals.create({
      values: { name: 'Acme discounted deal', customerId: customer.id, amount: 1000, data: { discountPercent: 25 } },
    })
    const approvalRequestId = (await admin.deals.get({ id: discounted.id })).approval!.requestId
    acme = {
      threadId: ingested.threadId,
      runId: run.id,
      approvalRequestId,
      notificationId: notification.id,
      secretName: secret.name,
      tenantId: h.tenantId('acme'),
      agentUserId: agent.userId,
      tokenId: token.id,
      invitationId: invitation.id,
      auditId: audit.items[0]!.id,
      configItem,
      version: 3,
      customerId: customer.id,
      customerName: customer.name as string,
      dealId: deal.id,
      caseId: kase.id,
    }
  })

  it('lists every procedure exactly once', () => {
    for (const { path } of listProcedures()) {
      const listed = Number(path in ID_CASES) + Number(TAKES_NO_ID.has(path))
      expect(listed, `${path} needs an isolation case (ID_CASES) or a place in TAKES_NO_ID`).toBe(1)
    }
  })

  for (const [path, testCase] of Object.entries(ID_CASES)) {
    it(`${path}: globex cannot reach acme's rows`, async () => {
      for (const actor of [await h.signIn('admin@globex.test', 'globex'), await h.issueToken('globex', 'ADMIN')]) {
        if (/^(auth|invitations)\./.test(path) && actor.principal.kind === 'token') continue // session-only procedures
        const foreign = await callByPath(actor.caller, path, testCase.input(acme)).then(
          (v) => ({ ok: v }),
          (e: unknown) => ({ err: e }),
        )
        const missing = await callByPath(actor.caller, path, testCase.input(MISSING)).then(
          (v) => ({ ok: v }),
          (e: unknown) => ({ err: e }),
        )
        if (testCase.expect !== 'same-as-missing') {
          expect('err' in foreign && foreign.err instanceof TRPCError && foreign.err.code).toBe(testCase.expect)
          expect('err' in missing && missing.err instanceof TRPCError && missing.err.code).toBe(testCase.expect)
          // Messages may echo the requested id; apart from that they must be identical.
          expect(withoutIds((foreign as { err: TRPCError }).err.message, testCase.input(acme))).toBe(
            withoutIds((missing as { err: TRPCError }).err.message, testCase.input(MISSING)),
          )
        } else {
          expect(foreign).toEqual(missing)
          expect(JSON.stringify(foreign)).not.toContain(acme.tenantId)
        }
      }
      // acme's rows are untouched.
      const admin = await h.asUser('admin@acme.test', 'acme')
      expect((await admin.members.list()).find((m) => m.userId === acme.agentUserId)?.role).toBe('AGENT')
      expect((await admin.tokens.list()).find((t) => t.id === acme.tokenId)?.revokedAt).toBeNull()
      expect((await admin.members.invitations()).find((i) => i.id === acme.invitationId)?.status).toBe('PENDING')
      expect((await admin.config.get(acme.configItem)).state).toBe('new')
      expect((await admin.config.list()).version).toBe(3)
      expect(await admin.customers.get({ id: acme.customerId })).toMatchObject({ version: 1, name: acme.customerName })
      expect(await admin.deals.get({ id: acme.dealId })).toMatchObject({ version: 1, name: 'Acme-only deal' })
      expect(await admin.cases.get({ id: acme.caseId })).toMatchObject({ version: 1, subject: 'Acme-only case' })
      expect(await admin.automations.run({ id: acme.runId })).toMatchObject({ status: 'failed' })
      expect(await readSecret(tenantScope(h.services.db, acme.tenantId), acme.secretName)).toBe(acmeSecretValue)
      expect((await admin.approvals.forRecord({ entity: 'deal', id: (await admin.approvals.pending()).items[0]!.recordId }))[0]).toMatchObject({
        id: acme.approvalRequestId,
        status: 'pending',
        decisions: [],
      })
    })
  }
})
