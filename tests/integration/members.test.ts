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
})
