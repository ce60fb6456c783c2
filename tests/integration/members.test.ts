import { describe, expect, it } from 'vitest'
import { useHarness } from '../support/harness'
import { expectTRPCError } from '../support/trpc-error'

const h = useHarness()

type Caller = Awaited<ReturnType<typeof h.asUser>>

/** members.add answers with an invitation; the new person joins by accepting it. */
async function addAndJoin(admin: Caller, input: { email: string; name: string; role: 'ADMIN' | 'MANAGER' | 'AGENT' | 'VIEWER'; initialPassword: string }) {
  const invitation = await admin.members.add(input)
  await (await h.asUser(input.email.toLowerCase())).invitations.accept({ id: invitation.id })
  const member = (await admin.members.list()).find((m) => m.email === input.email.toLowerCase())!
  return member
}

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

  it('adds a new person (an account and an invitation they accept), changes the role, removes them, and audits each step', async () => {
    const admin = await h.asUser('admin@acme.test')
    const invitation = await admin.members.add({ email: 'New@Acme.test', name: 'New Person', role: 'AGENT', initialPassword: 'welcome-aboard' })
    expect(invitation).toMatchObject({ email: 'new@acme.test', role: 'AGENT', status: 'PENDING' })
    // Not a member until they accept.
    expect((await admin.members.list()).map((m) => m.email)).not.toContain('new@acme.test')
    const added = await addAndJoin(admin, { email: 'new@acme.test', name: 'New Person', role: 'AGENT', initialPassword: 'welcome-aboard' })
    expect(added).toMatchObject({ email: 'new@acme.test', name: 'New Person', role: 'AGENT' })
    await expectTRPCError(admin.members.add({ email: 'new@acme.test', name: 'Again', role: 'VIEWER', initialPassword: 'welcome-aboard' }), 'CONFLICT')
    await admin.members.setRole({ userId: added.userId, role: 'MANAGER' })
    await admin.members.remove({ userId: added.userId })
    const actions = (await admin.audit.list({ target: added.userId })).items.map((a) => a.action)
    expect(actions).toEqual(['member.remove', 'member.setRole', 'member.add'])
  })

  it('refuses members.add without a name and an initial password, whether or not the account exists', async () => {
    const admin = await h.asUser('admin@acme.test')
    for (const email of ['nopw@acme.test', 'admin@globex.test']) {
      await expectTRPCError(admin.members.add({ email, role: 'AGENT' } as never), 'BAD_REQUEST')
    }
  })

  it('never leaves a tenant without an admin', async () => {
    const gil = await h.asUser('admin@globex.test', 'globex')
    const me = (await gil.members.list())[0]!
    await expectTRPCError(gil.members.setRole({ userId: me.userId, role: 'MANAGER' }), 'CONFLICT')
    await expectTRPCError(gil.members.remove({ userId: me.userId }), 'CONFLICT')
    // With a second admin the first may step down.
    const second = await addAndJoin(gil, { email: 'second@globex.test', name: 'Second', role: 'ADMIN', initialPassword: 'second-admin-pw' })
    await gil.members.setRole({ userId: me.userId, role: 'MANAGER' })
    expect((await gil.members.list()).find((m) => m.userId === second.userId)?.role).toBe('ADMIN')
  })

  it('keeps an admin when two admins demote each other at the same moment', async () => {
    const { caller } = await h.signIn('admin@acme.test', 'acme')
    await addAndJoin(caller, { email: 'race-a@acme.test', name: 'Race A', role: 'ADMIN', initialPassword: 'race-password-a' })
    await addAndJoin(caller, { email: 'race-b@acme.test', name: 'Race B', role: 'ADMIN', initialPassword: 'race-password-b' })
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

  it('adds the same new person twice at once: one account, one pending invitation, never a 500', async () => {
    const gil = await h.asUser('admin@acme.test', 'acme')
    const input = { email: 'twice@acme.test', name: 'Twice', role: 'AGENT' as const, initialPassword: 'twice-password' }
    const results = await Promise.allSettled([gil.members.add(input), gil.members.add(input)])
    // The second either renews the first one's invitation or, when both raced to create it, is told.
    for (const r of results) if (r.status === 'rejected') expect(r.reason.code).toBe('CONFLICT')
    expect(results.some((r) => r.status === 'fulfilled')).toBe(true)
    expect((await gil.members.invitations()).filter((i) => i.email === 'twice@acme.test')).toHaveLength(1)
    expect(await h.services.db.user.count({ where: { email: 'twice@acme.test' } })).toBe(1)
  })

  it('invites, lists and revokes pending invitations; a revoked invitation cannot be accepted', async () => {
    const admin = await h.asUser('admin@acme.test', 'acme')
    await expectTRPCError(admin.members.invite({ email: 'viewer@acme.test', role: 'AGENT' }), 'CONFLICT')
    const invitation = await admin.members.invite({ email: 'Admin@Globex.test', role: 'VIEWER' })
    expect(invitation).toMatchObject({ email: 'admin@globex.test', role: 'VIEWER', status: 'PENDING' })
    // Inviting again renews the same invitation with the new role.
    const again = await admin.members.invite({ email: 'admin@globex.test', role: 'AGENT' })
    expect(again).toMatchObject({ id: invitation.id, role: 'AGENT' })
    expect((await admin.members.invitations()).map((i) => i.id)).toContain(invitation.id)
    await admin.members.revokeInvitation({ id: invitation.id })
    await expectTRPCError(admin.members.revokeInvitation({ id: invitation.id }), 'NOT_FOUND')
    expect((await admin.members.invitations()).map((i) => i.id)).not.toContain(invitation.id)
    const invitee = await h.asUser('admin@globex.test')
    expect(await invitee.invitations.list()).toEqual([])
    await expectTRPCError(invitee.invitations.accept({ id: invitation.id }), 'NOT_FOUND')
    const actions = (await admin.audit.list({ target: `invitation/${invitation.id}` })).items.map((a) => a.action)
    expect(actions).toEqual(['invitation.revoke', 'invitation.renew', 'invitation.create'])
  })
})
