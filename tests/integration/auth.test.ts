import { describe, expect, it } from 'vitest'
import { useHarness } from '../support/harness'
import { expectTRPCError } from '../support/trpc-error'
import { createCaller } from '../../server/http/app-server'
import { createInnerContext, resolvePrincipal } from '../../server/trpc/context'
import { DEMO_PASSWORD } from '../../server/seed/demo'

const h = useHarness()

function freshCaller(clientIp = '10.0.0.1') {
  const ctx = createInnerContext({ services: h.services, clientIp })
  return { caller: createCaller(ctx), ctx }
}

function sessionCookieOf(headers: Headers): string {
  const cookie = headers.getSetCookie().find((c) => c.startsWith('pulse8_session='))
  expect(cookie).toBeDefined()
  return cookie!.split(';')[0]!
}

describe('auth', () => {
  it('logs in with the demo password and sets an HttpOnly, SameSite=Lax cookie', async () => {
    const { caller, ctx } = freshCaller()
    const res = await caller.auth.login({ email: 'ADMIN@acme.test', password: DEMO_PASSWORD })
    expect(res.activeTenant?.slug).toBe('acme')
    const raw = ctx.resHeaders.getSetCookie()[0]!
    expect(raw).toMatch(/HttpOnly/i)
    expect(raw).toMatch(/SameSite=Lax/i)
    expect(raw).not.toMatch(/Secure/i) // only in production
    const principal = await resolvePrincipal(h.services, { cookieHeader: sessionCookieOf(ctx.resHeaders) })
    const me = await createCaller(createInnerContext({ services: h.services, principal })).auth.me()
    expect(me.kind).toBe('user')
    if (me.kind !== 'user') return
    expect(me.user.email).toBe('admin@acme.test')
    expect(me.activeTenant).toMatchObject({ slug: 'acme', role: 'ADMIN' })
    expect(me.permissions).toContain('studio:write')
  })

  it('answers a wrong password and an unknown email identically', async () => {
    const a = await expectTRPCError(freshCaller('10.0.0.2').caller.auth.login({ email: 'agent@acme.test', password: 'nope-nope' }), 'UNAUTHORIZED')
    const b = await expectTRPCError(freshCaller('10.0.0.2').caller.auth.login({ email: 'nobody@acme.test', password: 'nope-nope' }), 'UNAUTHORIZED')
    expect(a.message).toBe('Invalid email or password')
    expect(b.message).toBe(a.message)
  })

  it('locks failed logins per account and address: that address is refused even the right password, others are not', async () => {
    for (let i = 0; i < 5; i++) {
      await expectTRPCError(freshCaller('10.1.0.1').caller.auth.login({ email: 'viewer@acme.test', password: 'wrong-pass' }), 'UNAUTHORIZED')
    }
    await expectTRPCError(freshCaller('10.1.0.1').caller.auth.login({ email: 'viewer@acme.test', password: 'wrong-pass' }), 'TOO_MANY_REQUESTS')
    await expectTRPCError(freshCaller('10.1.0.1').caller.auth.login({ email: 'viewer@acme.test', password: DEMO_PASSWORD }), 'TOO_MANY_REQUESTS')
    await freshCaller('10.1.1.2').caller.auth.login({ email: 'viewer@acme.test', password: DEMO_PASSWORD })
  })

  it('rate-limits attempts per IP, across accounts', async () => {
    const ip = '10.2.0.1'
    let limited = false
    for (let i = 0; i < 60 && !limited; i++) {
      const err = await freshCaller(ip)
        .caller.auth.login({ email: `user${i}@nowhere.test`, password: 'x' })
        .catch((e) => e)
      limited = err.code === 'TOO_MANY_REQUESTS'
    }
    expect(limited).toBe(true)
  })

  it('registers a new tenant with its admin, and refuses a taken email', async () => {
    const { caller, ctx } = freshCaller()
    const res = await caller.auth.register({ email: 'founder@initech.test', password: 'long-enough-pw', name: 'Bill', tenantName: 'Initech' })
    expect(res.tenantSlug).toBe('initech')
    const principal = await resolvePrincipal(h.services, { cookieHeader: sessionCookieOf(ctx.resHeaders) })
    const me = await createCaller(createInnerContext({ services: h.services, principal })).auth.me()
    expect(me.kind === 'user' && me.activeTenant).toMatchObject({ slug: 'initech', role: 'ADMIN' })
    await expectTRPCError(
      freshCaller().caller.auth.register({ email: 'founder@initech.test', password: 'long-enough-pw', name: 'B', tenantName: 'Initech 2' }),
      'CONFLICT',
    )
  })

  it('answers two simultaneous registrations of one email with one success and one CONFLICT', async () => {
    const input = { email: 'race@registration.test', password: 'long-enough-pw', name: 'Racer', tenantName: 'Race Co' }
    const results = await Promise.allSettled([freshCaller().caller.auth.register(input), freshCaller().caller.auth.register(input)])
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1)
    expect((results.find((r) => r.status === 'rejected') as PromiseRejectedResult).reason.code).toBe('CONFLICT')
  })

  it('rejects a short password and unknown fields with zod issues', async () => {
    const err = await expectTRPCError(freshCaller().caller.auth.register({ email: 'x@y.test', password: 'short', name: 'X', tenantName: 'Xco' }), 'BAD_REQUEST')
    expect(JSON.stringify(err.cause)).toContain('password')
    await expectTRPCError(
      // @ts-expect-error unknown field on purpose
      freshCaller().caller.auth.login({ email: 'admin@acme.test', password: DEMO_PASSWORD, admin: true }),
      'BAD_REQUEST',
    )
  })

  it('logs out: the session no longer authenticates', async () => {
    const admin = await h.signIn('manager@acme.test')
    await admin.caller.auth.logout()
    const { session } = await h.services.auth.validateSession(admin.sessionId)
    expect(session).toBeNull()
  })

  it('changes the password and ends the other sessions, keeping this one', async () => {
    const { caller } = freshCaller()
    await caller.auth.register({ email: 'pw@initech.test', password: 'first-password', name: 'P', tenantName: 'PW Co' })
    const a = await h.signIn('pw@initech.test')
    const b = await h.signIn('pw@initech.test')
    await expectTRPCError(a.caller.auth.changePassword({ currentPassword: 'wrong-password', newPassword: 'second-password' }), 'UNAUTHORIZED')
    await a.caller.auth.changePassword({ currentPassword: 'first-password', newPassword: 'second-password' })
    expect((await h.services.auth.validateSession(a.sessionId)).session).not.toBeNull()
    expect((await h.services.auth.validateSession(b.sessionId)).session).toBeNull()
    await expectTRPCError(freshCaller('10.3.0.1').caller.auth.login({ email: 'pw@initech.test', password: 'first-password' }), 'UNAUTHORIZED')
    await freshCaller('10.3.0.2').caller.auth.login({ email: 'pw@initech.test', password: 'second-password' })
  })

  it('switches tenant only to a tenant the user belongs to', async () => {
    const admin = await h.asUser('admin@acme.test', 'acme')
    const invitation = await admin.members.invite({ email: 'admin@globex.test', role: 'AGENT' })
    const gil = await h.asUser('admin@globex.test', 'globex')
    await gil.invitations.accept({ id: invitation.id })
    const res = await gil.auth.switchTenant({ tenantId: h.tenantId('acme') })
    expect(res.activeTenant).toMatchObject({ slug: 'acme', role: 'AGENT' })
    const viewer = await h.asUser('viewer@acme.test')
    const err = await expectTRPCError(viewer.auth.switchTenant({ tenantId: h.tenantId('globex') }), 'NOT_FOUND')
    const missing = await expectTRPCError(viewer.auth.switchTenant({ tenantId: 'does-not-exist' }), 'NOT_FOUND')
    expect(err.message).toBe(missing.message)
  })

  it('API tokens authenticate as their tenant and role; revoked tokens do not', async () => {
    const admin = await h.asUser('admin@acme.test', 'acme')
    const created = await admin.tokens.create({ name: 'ci', role: 'AGENT' })
    expect(created.token).toMatch(/^p8_/)
    const listed = await admin.tokens.list()
    expect(JSON.stringify(listed)).not.toContain(created.token)
    expect(JSON.stringify(listed)).not.toContain('tokenHash')
    const principal = await resolvePrincipal(h.services, { authorization: `Bearer ${created.token}` })
    expect(principal).toMatchObject({ kind: 'token', token: { role: 'AGENT', tenantId: h.tenantId('acme') } })
    await admin.tokens.revoke({ id: created.id })
    expect(await resolvePrincipal(h.services, { authorization: `Bearer ${created.token}` })).toMatchObject({ kind: 'anonymous' })
    const audit = await admin.audit.list({ action: 'token.' })
    expect(audit.items.map((a) => a.action)).toEqual(expect.arrayContaining(['token.create', 'token.revoke']))
  })

  it('records when a token was last used, to the minute, without a write per request', async () => {
    const admin = await h.asUser('admin@acme.test', 'acme')
    const created = await admin.tokens.create({ name: 'last used', role: 'VIEWER' })
    const lastUsed = async () => (await h.services.db.apiToken.findFirstOrThrow({ where: { id: created.id } })).lastUsedAt
    // The write is sent (not awaited) before resolvePrincipal returns, so counting the calls tells
    // at once whether a use wrote, with nothing to wait for.
    let writes = 0
    const db = h.services.db
    const apiToken = new Proxy(db.apiToken, {
      get: (target, key) =>
        key === 'updateMany' ? (...args: Parameters<typeof target.updateMany>) => (writes++, target.updateMany(...args)) : Reflect.get(target, key),
    })
    const countingDb = new Proxy(db, { get: (target, key) => (key === 'apiToken' ? apiToken : Reflect.get(target, key)) })
    // Each use stands for one after the principal cache's TTL (server/auth/principal-cache.ts): a read.
    const use = () => {
      h.services.principals.forget({ tenantId: h.tenantId('acme') })
      return resolvePrincipal({ ...h.services, db: countingDb }, { authorization: `Bearer ${created.token}` })
    }
    expect(await lastUsed()).toBeNull()
    await use()
    expect(writes).toBe(1)
    await expect.poll(lastUsed).not.toBeNull()
    const first = await lastUsed()
    await use()
    expect(writes).toBe(1)
    expect(await lastUsed()).toEqual(first)
    // An hour later (as the row says), the next use moves it.
    const anHourAgo = new Date(Date.now() - 3_600_000)
    await h.services.db.apiToken.updateMany({ where: { id: created.id }, data: { lastUsedAt: anHourAgo } })
    await use()
    expect(writes).toBe(2)
    await expect.poll(async () => (await lastUsed())!.getTime()).toBeGreaterThan(anHourAgo.getTime() + 3_000_000)
  })
})
