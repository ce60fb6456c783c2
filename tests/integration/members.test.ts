import { describe, expect, it } from 'vitest'
import { useHarness } from '../support/harness'
import { expectTRPCError } from '../support/trpc-error'

const h = useHarness()

describe('members', () => {
  it('lists the tenant members with roles and never password hashes', async () => {
    const admin = await h.asUser('admin@acme.test')
    const members = await admin.members.list()
    expect(members.map((m) => m.email).sort()).toEqual(['admin@acme.test', 'agent@acme.test', 'manager@acme.test', 'viewer@acme.test'])
    expect(JSON.stringify(members)).not.toMatch(/passwordHash|argon2/)
  })

  it('gives read-only users the members by name only, for the owners and assignees they see', async () => {
    const viewer = await h.asUser('viewer@acme.test')
    await expectTRPCError(viewer.members.list(), 'FORBIDDEN')
    const names = await viewer.members.names()
    const admin = await h.asUser('admin@acme.test')
    const full = await admin.members.list()
    expect(names).toEqual(full.map((m) => ({ userId: m.userId, name: m.name })))
  })

  it('adds a new person, changes the role, removes them, and audits each step', async () => {
    const admin = await h.asUser('admin@acme.test')
    const added = await admin.members.add({ email: 'New@Acme.test', name: 'New Person', role: 'AGENT', initialPassword: 'welcome-aboard' })
    expect(added).toMatchObject({ email: 'new@acme.test', role: 'AGENT' })
    await expectTRPCError(admin.members.add({ email: 'new@acme.test', role: 'VIEWER' }), 'CONFLICT')
    await admin.members.setRole({ userId: added.userId, role: 'MANAGER' })
    await admin.members.remove({ userId: added.userId })
    const actions = (await admin.audit.list({ target: added.userId })).items.map((a) => a.action)
    expect(actions).toEqual(['member.remove', 'member.setRole', 'member.add'])
  })

  it('refuses a new account without an initial password', async () => {
    const admin = await h.asUser('admin@acme.test')
    await expectTRPCError(admin.members.add({ email: 'nopw@acme.test', role: 'AGENT' }), 'BAD_REQUEST')
  })

  it('never leaves a tenant without an admin', async () => {
    const gil = await h.asUser('admin@globex.test', 'globex')
    const me = (await gil.members.list())[0]!
    await expectTRPCError(gil.members.setRole({ userId: me.userId, role: 'MANAGER' }), 'CONFLICT')
    await expectTRPCError(gil.members.remove({ userId: me.userId }), 'CONFLICT')
    // With a second admin the first may step down.
    const second = await gil.members.add({ email: 'second@globex.test', name: 'Second', role: 'ADMIN', initialPassword: 'second-admin-pw' })
    await gil.members.setRole({ userId: me.userId, role: 'MANAGER' })
    expect((await gil.members.list()).find((m) => m.userId === second.userId)?.role).toBe('ADMIN')
  })

  it('keeps an admin when two admins demote each other at the same moment', async () => {
    const { caller } = await h.signIn('admin@acme.test', 'acme')
    await caller.members.add({ email: 'race-a@acme.test', name: 'Race A', role: 'ADMIN', initialPassword: 'race-password-a' })
    await caller.members.add({ email: 'race-b@acme.test', name: 'Race B', role: 'ADMIN', initialPassword: 'race-password-b' })
    // Leave exactly two admins in the tenant: A and B.
    const me = (await caller.members.list()).find((m) => m.email === 'admin@acme.test')!
    const a = await h.asUser('race-a@acme.test', 'acme')
    const b = await h.asUser('race-b@acme.test', 'acme')
    await a.members.setRole({ userId: me.userId, role: 'MANAGER' })
    const ids = Object.fromEntries((await a.members.list()).map((m) => [m.email, m.userId]))
    const results = await Promise.allSettled([
      a.members.setRole({ userId: ids['race-b@acme.test']!, role: 'AGENT' }),
      b.members.setRole({ userId: ids['race-a@acme.test']!, role: 'AGENT' }),
    ])
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1)
    const rejected = results.find((r) => r.status === 'rejected') as PromiseRejectedResult
    expect(rejected.reason.code).toMatch(/CONFLICT|FORBIDDEN/)
    const admins = (await h.asUser('admin@acme.test', 'acme').then((c) => c.members.list())).filter((m) => m.role === 'ADMIN')
    expect(admins).toHaveLength(1)
    // Put acme back the way the other tests expect it.
    const survivor = await h.asUser(admins[0]!.email, 'acme')
    await survivor.members.setRole({ userId: me.userId, role: 'ADMIN' })
  })

  it('adds the same new person twice at once: one succeeds, the other is a CONFLICT, never a 500', async () => {
    const gil = await h.asUser('admin@acme.test', 'acme')
    const input = { email: 'twice@acme.test', name: 'Twice', role: 'AGENT' as const, initialPassword: 'twice-password' }
    const results = await Promise.allSettled([gil.members.add(input), gil.members.add(input)])
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1)
    expect((results.find((r) => r.status === 'rejected') as PromiseRejectedResult).reason.code).toBe('CONFLICT')
  })
})
