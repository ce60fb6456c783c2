// Domain services called the way a worker or a script calls them: a TenantScope and an Actor, no
// tRPC caller, no request context. They throw the kernel's domain errors (docs/decisions/016).
import { TRPCError } from '@trpc/server'
import { describe, expect, it } from 'vitest'
import { useHarness } from '../support/harness'
import { ConflictError, NotFoundError, systemActor, tenantScope, type Actor } from '../../server/kernel'
import { discardDraft, getItem, saveDraft, validateDrafts } from '../../server/config/drafts'
import { publishConfig } from '../../server/config/publish'
import { headVersion } from '../../server/config/config-store'
import { liveSnapshot } from '../../server/config/live-config'
import { listAudit } from '../../server/audit/audit-log'
import { listMembers, removeMember, setMemberRole } from '../../server/members/members'
import { memberNames, memberRole, membersWithRole } from '../../server/members/member-directory'
import { registerTenant } from '../../server/auth/accounts'
import { countRecords } from '../../server/crm/record-counts'

const h = useHarness()

const worker: Actor = systemActor('test worker')
const scopeOf = (slug: string) => tenantScope(h.services.db, h.tenantId(slug))
const userIdOf = async (email: string) => (await h.services.db.user.findUniqueOrThrow({ where: { email } })).id

/** The rejection of `promise`, which must reject. */
async function rejection(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => expect.fail('expected the call to fail'),
    (err: unknown) => err,
  )
}

describe('config services without tRPC', () => {
  it('save a draft, validate and publish it as a system actor, who is named in history and audit', async () => {
    const acme = scopeOf('acme')
    const item = { namespace: 'views' as const, entity: 'customer', key: 'worker-view' }
    const base = await getItem(acme, { namespace: 'views', entity: 'customer', key: 'all' })
    const saved = await saveDraft(acme, worker, { ...item, expectedRevision: 0, content: { ...(base.content as object), label: 'Worker view' } })
    expect(saved).toMatchObject({ draftRevision: 1, errors: [] })
    expect((await validateDrafts(acme)).errors).toEqual([])
    const version = await headVersion(acme.db)
    const published = await publishConfig(acme, worker, { expectedVersion: version, message: 'from a worker' }, h.services)
    expect(published).toMatchObject({ version: version + 1, kind: 'publish', authorLabel: 'test worker' })
    expect((await liveSnapshot(h.services.runtimeConfig, acme)).version).toBeGreaterThanOrEqual(version + 1)
    const audit = await listAudit(acme, { action: 'config.publish', limit: 5 })
    expect(audit.items[0]).toMatchObject({ target: `config/v${version + 1}`, actorUserId: null, actorTokenId: null })
  })

  it('a stale revision is a ConflictError saying which address and which revisions', async () => {
    const acme = scopeOf('acme')
    const item = { namespace: 'views' as const, entity: 'customer', key: 'stale-draft' }
    const base = await getItem(acme, { namespace: 'views', entity: 'customer', key: 'all' })
    const content = { ...(base.content as object), label: 'Stale' }
    await saveDraft(acme, worker, { ...item, expectedRevision: 0, content })
    const err = await rejection(saveDraft(acme, worker, { ...item, expectedRevision: 0, content }))
    expect(err).toBeInstanceOf(ConflictError)
    expect(err).not.toBeInstanceOf(TRPCError)
    expect((err as ConflictError).details).toEqual({ address: 'views/customer/stale-draft', expectedRevision: 0, currentRevision: 1 })
    const discard = await rejection(discardDraft(acme, worker, { ...item, expectedRevision: 5 }))
    expect((discard as ConflictError).details).toEqual({ address: 'views/customer/stale-draft', expectedRevision: 5, currentRevision: 1 })
    await discardDraft(acme, worker, { ...item, expectedRevision: 1 })
  })

  it('a stale version is a ConflictError with the expected and the current version', async () => {
    const acme = scopeOf('acme')
    const current = await headVersion(acme.db)
    const err = await rejection(publishConfig(acme, worker, { expectedVersion: current - 1, message: 'late' }, h.services))
    expect(err).toBeInstanceOf(ConflictError)
    expect((err as ConflictError).details).toEqual({ expectedVersion: current - 1, currentVersion: current })
  })

  it("another tenant's item is a NotFoundError, exactly like a missing one", async () => {
    const globex = scopeOf('globex')
    const item = { namespace: 'views' as const, entity: 'customer', key: 'worker-view' } // acme's, published above
    expect(await rejection(getItem(globex, item))).toBeInstanceOf(NotFoundError)
    expect(await rejection(discardDraft(globex, worker, item))).toBeInstanceOf(NotFoundError)
  })
})

describe('members services without tRPC', () => {
  it("refuses another tenant's member with NotFoundError and changes its own", async () => {
    const acme = scopeOf('acme')
    const gil = await userIdOf('admin@globex.test')
    expect(await rejection(setMemberRole(acme, worker, { userId: gil, role: 'VIEWER' }, h.services.principals))).toBeInstanceOf(NotFoundError)
    expect(await rejection(removeMember(acme, worker, { userId: gil }, h.services.principals))).toBeInstanceOf(NotFoundError)
    expect(await memberRole(acme, gil)).toBeNull()
    const agent = await userIdOf('agent@acme.test')
    expect(await setMemberRole(acme, worker, { userId: agent, role: 'MANAGER' }, h.services.principals)).toMatchObject({ role: 'MANAGER' })
    expect(await memberRole(acme, agent)).toBe('MANAGER')
    await setMemberRole(acme, worker, { userId: agent, role: 'AGENT' }, h.services.principals)
  })

  it('the last admin cannot be demoted: a ConflictError', async () => {
    const globex = scopeOf('globex')
    const gil = await userIdOf('admin@globex.test')
    expect(await rejection(setMemberRole(globex, worker, { userId: gil, role: 'AGENT' }, h.services.principals))).toBeInstanceOf(ConflictError)
  })

  it('the member directory answers for its own tenant only', async () => {
    const acme = scopeOf('acme')
    const ada = await userIdOf('admin@acme.test')
    const gil = await userIdOf('admin@globex.test')
    expect(await memberNames(acme, [ada, gil])).toEqual(new Map([[ada, 'Ada Admin']]))
    expect((await membersWithRole(acme, 'ADMIN')).map((m) => m.userId)).toEqual([ada])
    expect((await listMembers(acme)).map((m) => m.email)).not.toContain('admin@globex.test')
  })
})

describe('tenants and their config', () => {
  it('a registered tenant has its config version 1 at once; a read never creates one', async () => {
    const created = await registerTenant(h.services.db, { email: 'founder@newco.test', password: 'a-long-password', name: 'Fay Founder', tenantName: 'NewCo' })
    const scope = tenantScope(h.services.db, created.tenantId)
    expect(await headVersion(scope.db)).toBe(1)
    // A tenant that exists without config (made behind the services' back) stays without one on a read.
    const bare = await h.services.db.tenant.create({ data: { slug: 'bare-tenant', name: 'Bare' } })
    const bareScope = tenantScope(h.services.db, bare.id)
    expect(await rejection(liveSnapshot(h.services.runtimeConfig, bareScope))).toBeInstanceOf(NotFoundError)
    expect(await headVersion(bareScope.db)).toBe(0)
  })

  it('the record-count service counts its own tenant only', async () => {
    const acme = scopeOf('acme')
    const all = await countRecords(acme, 'customer', { field: 'name', kind: 'filled' })
    expect(all).toBe(await acme.db.customer.count())
    expect(await countRecords(scopeOf('globex'), 'customer', { field: 'name', kind: 'filled' })).toBe(await scopeOf('globex').db.customer.count())
    expect(await countRecords(acme, 'customer', { field: 'name', kind: 'usesAnyOf', values: [] })).toBe(0)
  })
})
