// Issue 9, findings 3 and 5. (3) An API token acts with at most its creator's CURRENT role in its
// tenant: demoting the creator narrows it, removing them disables it (over real HTTP, with the
// bearer token). (5) Adding an existing account to a tenant never reaches into the person's
// other tenants: it makes a pending invitation that only they can accept or decline, and the
// answer reads the same whether or not the account exists.
import { TRPCClientError } from '@trpc/client'
import { describe, expect, it } from 'vitest'
import { useHarness } from '../support/harness'
import { useHttpApp } from '../support/http-app'
import { httpClient } from '../support/instances'
import { expectTRPCError } from '../support/trpc-error'

const h = useHarness()
const app = useHttpApp(h)

/** The tRPC error code a call over HTTP ends with, or 'OK'. */
async function outcome(call: Promise<unknown>): Promise<string> {
  return call.then(
    () => 'OK',
    (e: unknown) => (e instanceof TRPCClientError ? String((e.data as { code?: string } | undefined)?.code) : String(e)),
  )
}

async function runtimeConfigStatus(token: string): Promise<number> {
  const res = await fetch(`${app.baseUrl}/api/runtime/config`, { headers: { authorization: `Bearer ${token}` } })
  await res.arrayBuffer()
  return res.status
}

describe('finding 3: a token acts with at most its creator’s current role', () => {
  it('narrows with a demotion, stops with a removal, and tokens.list shows the creator and the effective role', async () => {
    const admin = await h.asUser('admin@acme.test', 'acme')
    // Tess joins acme as an admin and makes an ADMIN token; that token makes another one.
    const invitation = await admin.members.add({ email: 'tess@acme.test', name: 'Tess Token', role: 'ADMIN', initialPassword: 'tess-password' })
    await (await h.asUser('tess@acme.test')).invitations.accept({ id: invitation.id })
    const tess = await h.asUser('tess@acme.test', 'acme')
    const tessId = (await admin.members.list()).find((m) => m.email === 'tess@acme.test')!.userId
    const { token, id: tokenId } = await tess.tokens.create({ name: 'Tess integration', role: 'ADMIN' })
    const api = httpClient(app.baseUrl, token)
    const child = await api.tokens.create.mutate({ name: 'made by a token', role: 'ADMIN' })
    const childApi = httpClient(app.baseUrl, child.token)
    expect(await outcome(api.members.invite.mutate({ email: 'before-demotion@example.test', role: 'AGENT' }))).toBe('OK')

    // Demoted to read-only: both tokens act as read-only.
    await admin.members.setRole({ userId: tessId, role: 'VIEWER' })
    for (const client of [api, childApi]) {
      expect(await outcome(client.members.add.mutate({ email: 'evil@example.test', role: 'ADMIN', name: 'Evil', initialPassword: 'evil-password' }))).toBe(
        'FORBIDDEN',
      )
      expect(await outcome(client.members.invite.mutate({ email: 'evil@example.test', role: 'ADMIN' }))).toBe('FORBIDDEN')
      expect(await outcome(client.tokens.create.mutate({ name: 'escalate', role: 'ADMIN' }))).toBe('FORBIDDEN')
      expect(await outcome(client.customers.list.query({}))).toBe('OK')
      expect(await client.auth.me.query()).toMatchObject({ kind: 'token', activeTenant: { role: 'VIEWER' } })
    }
    expect(await runtimeConfigStatus(token)).toBe(200)

    const listed = (await admin.tokens.list()).find((t) => t.id === tokenId)!
    expect(listed).toMatchObject({ role: 'ADMIN', effectiveRole: 'VIEWER', creator: { userId: tessId, name: 'Tess Token', email: 'tess@acme.test' } })
    expect((await admin.tokens.list()).find((t) => t.id === child.id)).toMatchObject({ effectiveRole: 'VIEWER', creator: { userId: tessId } })
    const narrowed = (await admin.audit.list({ target: `token/${tokenId}` })).items.find((a) => a.action === 'token.effectiveRole')
    expect(narrowed).toMatchObject({ before: { effectiveRole: 'ADMIN' }, after: { effectiveRole: 'VIEWER' } })

    // Removed: both tokens are refused like revoked ones, on every path.
    await admin.members.remove({ userId: tessId })
    for (const client of [api, childApi]) {
      expect(await outcome(client.customers.list.query({}))).toBe('UNAUTHORIZED')
      expect(await outcome(client.tokens.create.mutate({ name: 'escalate', role: 'ADMIN' }))).toBe('UNAUTHORIZED')
    }
    expect(await runtimeConfigStatus(token)).toBe(401)
    const after = (await admin.tokens.list()).find((t) => t.id === tokenId)!
    expect(after).toMatchObject({ creator: null, effectiveRole: null })
    const removal = (await admin.audit.list({ target: `user/${tessId}`, action: 'member.remove' })).items[0]!
    expect((removal.after as { tokens: { id: string }[] }).tokens.map((t) => t.id).sort()).toEqual([tokenId, child.id].sort())

    // Invited back later, the old tokens stay dead: removal revoked them.
    const again = await admin.members.invite({ email: 'tess@acme.test', role: 'ADMIN' })
    await (await h.asUser('tess@acme.test')).invitations.accept({ id: again.id })
    expect(await outcome(api.customers.list.query({}))).toBe('UNAUTHORIZED')
  })

  it('refuses a token with a role above its creator’s', async () => {
    const admin = await h.asUser('admin@acme.test', 'acme')
    const { token } = await admin.tokens.create({ name: 'agent tool', role: 'AGENT' })
    // An AGENT token cannot manage tokens at all; an ADMIN creator may make any role.
    expect(await outcome(httpClient(app.baseUrl, token).tokens.create.mutate({ name: 'up', role: 'ADMIN' }))).toBe('FORBIDDEN')
    await expect(admin.tokens.create({ name: 'same', role: 'ADMIN' })).resolves.toMatchObject({ role: 'ADMIN' })
  })
})

describe('finding 5: adding an existing account invites them instead', () => {
  // What an answer reads like once the fields that differ between any two invitations are set aside.
  const shapeOf = (answer: Record<string, unknown>) => ({ ...answer, id: '<id>', email: '<email>', createdAt: '<date>', expiresAt: '<date>' })

  it('answers the same for an account of another tenant and an unknown email, and adds no one', async () => {
    const gil = await h.asUser('admin@globex.test', 'globex')
    const password = { name: 'Someone', initialPassword: 'initial-password' }
    const existing = await gil.members.add({ email: 'viewer@acme.test', role: 'ADMIN', ...password })
    const unknown = await gil.members.add({ email: 'nobody-yet@example.test', role: 'ADMIN', ...password })
    expect(shapeOf(existing)).toEqual(shapeOf(unknown))
    expect(Object.keys(existing).sort()).toEqual(['createdAt', 'email', 'expiresAt', 'id', 'role', 'status'])
    expect(JSON.stringify(existing)).not.toMatch(/Vic Viewer|Someone/)
    expect(JSON.stringify(existing)).not.toContain(h.tenantId('acme'))
    // members.invite answers alike.
    const invited = await gil.members.invite({ email: 'admin@acme.test', role: 'AGENT' })
    const invitedUnknown = await gil.members.invite({ email: 'nobody-either@example.test', role: 'AGENT' })
    expect(shapeOf(invited)).toEqual(shapeOf(invitedUnknown))
    // Nobody joined, and the existing account is untouched (its password still works, not the one given here).
    // (manager@acme.test is a demo member of both tenants.)
    expect((await gil.members.list()).map((m) => m.email)).toEqual(['admin@globex.test', 'manager@acme.test'])
    const viewer = await h.services.db.user.findUniqueOrThrow({ where: { email: 'viewer@acme.test' }, select: { name: true } })
    expect(viewer.name).toBe('Vic Viewer')
  })

  it('the invited person sees the invitation, accepts it and works in that tenant with the invited role', async () => {
    const gil = await h.asUser('admin@globex.test', 'globex')
    const sent = await gil.members.add({ email: 'Admin@Acme.test', role: 'MANAGER', name: 'Ignored', initialPassword: 'ignored-password' })
    const ada = await h.signIn('admin@acme.test', 'acme')
    const mine = await ada.caller.invitations.list()
    expect(mine).toEqual([expect.objectContaining({ id: sent.id, role: 'MANAGER', tenant: { tenantId: h.tenantId('globex'), name: expect.any(String) } })])
    // Not a member yet: switching is refused.
    await expectTRPCError(ada.caller.auth.switchTenant({ tenantId: h.tenantId('globex') }), 'NOT_FOUND')
    await expect(ada.caller.invitations.accept({ id: sent.id })).resolves.toMatchObject({ tenantId: h.tenantId('globex'), role: 'MANAGER' })
    expect(await ada.caller.invitations.list()).toEqual([])
    await expectTRPCError(ada.caller.invitations.accept({ id: sent.id }), 'NOT_FOUND')
    const switched = await ada.caller.auth.switchTenant({ tenantId: h.tenantId('globex') })
    expect(switched.activeTenant).toMatchObject({ slug: 'globex', role: 'MANAGER' })
    expect((await gil.members.list()).find((m) => m.email === 'admin@acme.test')?.role).toBe('MANAGER')
    // (Renewed when the previous test already invited this address.)
    const actions = (await gil.audit.list({ target: `invitation/${sent.id}` })).items.map((a) => a.action)
    expect(actions[0]).toBe('invitation.accept')
    expect(actions.at(-1)).toBe('invitation.create')
    // Their acme membership is untouched.
    expect((await (await h.asUser('admin@acme.test', 'acme')).members.list()).find((m) => m.email === 'admin@acme.test')?.role).toBe('ADMIN')
  })

  it('declining leaves the person out; someone else’s invitation id answers like a missing one', async () => {
    const gil = await h.asUser('admin@globex.test', 'globex')
    const forAgent = await gil.members.invite({ email: 'agent@acme.test', role: 'VIEWER' })
    const forViewer = await gil.members.invite({ email: 'viewer@acme.test', role: 'AGENT' })
    const agent = await h.asUser('agent@acme.test', 'acme')

    for (const call of [agent.invitations.accept, agent.invitations.decline]) {
      const foreign = await expectTRPCError(call({ id: forViewer.id }), 'NOT_FOUND')
      const missing = await expectTRPCError(call({ id: 'no-such-invitation' }), 'NOT_FOUND')
      expect(foreign.message).toBe(missing.message)
    }
    expect((await agent.invitations.list()).map((i) => i.id)).toEqual([forAgent.id])

    await agent.invitations.decline({ id: forAgent.id })
    expect(await agent.invitations.list()).toEqual([])
    await expectTRPCError(agent.invitations.accept({ id: forAgent.id }), 'NOT_FOUND')
    expect((await gil.members.list()).map((m) => m.email)).not.toContain('agent@acme.test')
    expect((await gil.audit.list({ target: `invitation/${forAgent.id}` })).items.map((a) => a.action)).toEqual(['invitation.decline', 'invitation.create'])
    // The viewer's invitation is still theirs to decide.
    expect((await (await h.asUser('viewer@acme.test', 'acme')).invitations.list()).map((i) => i.id)).toEqual([forViewer.id])
  })

  it('an invitation to someone already in this tenant is a CONFLICT (this tenant’s own data)', async () => {
    const admin = await h.asUser('admin@acme.test', 'acme')
    await expectTRPCError(admin.members.invite({ email: 'agent@acme.test', role: 'VIEWER' }), 'CONFLICT')
    await expectTRPCError(admin.members.add({ email: 'agent@acme.test', role: 'VIEWER', name: 'Agent', initialPassword: 'agent-password' }), 'CONFLICT')
  })
})
