import { TRPCError } from '@trpc/server'
import { z } from 'zod'
import { authedProcedure, publicProcedure, router } from '../trpc/init'
import { enforceLimit, LIMITS, loginSlowdownMs, tooManyRequests } from './rate-limit'
import { hashPassword, PASSWORD_MIN_LENGTH, verifyPassword } from './password'
import { membershipsOf, registerTenant } from './accounts'
import { permissionsOf } from './permissions'
import type { InnerContext } from '../trpc/context'
import { forTenant } from '../db/tenant-db'
import { announceSessionEnded } from '../realtime/socket-registry'
import { ensureTenantConfig } from '../config/initialize'

const email = z.email().max(254).transform((e) => e.toLowerCase())
const newPassword = z.string().min(PASSWORD_MIN_LENGTH, `At least ${PASSWORD_MIN_LENGTH} characters`).max(200)

async function startSession(ctx: InnerContext, userId: string, activeTenantId: string | null) {
  const session = await ctx.services.auth.createSession(userId, { activeTenantId })
  ctx.resHeaders.append('Set-Cookie', ctx.services.auth.createSessionCookie(session.id).serialize())
  return session
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

export const authRouter = router({
  register: publicProcedure
    .input(
      z.strictObject({
        email,
        password: newPassword,
        name: z.string().trim().min(1).max(100),
        tenantName: z.string().trim().min(2).max(100),
      }),
    )
    .mutation(async ({ ctx, input }) => {
      // Counted before anything else, taken emails included: sign-ups are not an enumeration oracle.
      await enforceLimit(ctx.services.rateLimiter, LIMITS.register, ctx.clientIp, ctx.resHeaders)
      const created = await registerTenant(ctx.services.db, input)
      // A new tenant starts at config version 1 with the default configuration.
      await ensureTenantConfig(forTenant(ctx.services.db, created.tenantId), created.tenantId)
      await startSession(ctx, created.userId, created.tenantId)
      return { tenantId: created.tenantId, tenantSlug: created.tenantSlug }
    }),

  login: publicProcedure
    .input(z.strictObject({ email, password: z.string().min(1).max(200) }))
    .mutation(async ({ ctx, input }) => {
      // Decision 012: the lock a failing address causes binds that address alone (per account and
      // address); the account as a whole is only slowed down, so the owner always gets in from
      // their own address. Attempts count before the password is checked, so parallel guesses
      // cannot slip past the limit; a success takes its hits back.
      const { rateLimiter, db } = ctx.services
      const pairKey = `${input.email}|${ctx.clientIp}`
      const address = await rateLimiter.consume(LIMITS.loginAddress, ctx.clientIp)
      if (!address.allowed) throw tooManyRequests(LIMITS.loginAddress, address.retryAfterMs, ctx.resHeaders)
      const pair = await rateLimiter.consume(LIMITS.loginPair, pairKey)
      if (!pair.allowed) throw tooManyRequests(LIMITS.loginPair, pair.retryAfterMs, ctx.resHeaders)
      const slowdown = loginSlowdownMs((await rateLimiter.peek(LIMITS.loginAccount, input.email)).consumed)
      if (slowdown > 0) await sleep(slowdown)
      const user = await db.user.findUnique({ where: { email: input.email }, select: { id: true, passwordHash: true } })
      const ok = await verifyPassword(user?.passwordHash ?? null, input.password)
      if (!ok || !user) {
        await rateLimiter.consume(LIMITS.loginAccount, input.email)
        // Deliberately the same message whether the email or the password was wrong.
        throw new TRPCError({ code: 'UNAUTHORIZED', message: 'Invalid email or password' })
      }
      await Promise.all([rateLimiter.reset(LIMITS.loginPair, pairKey), rateLimiter.refund(LIMITS.loginAddress, ctx.clientIp)])
      const memberships = await membershipsOf(db, user.id)
      await startSession(ctx, user.id, memberships[0]?.tenantId ?? null)
      return { activeTenant: memberships[0] ?? null }
    }),

  logout: authedProcedure.mutation(async ({ ctx }) => {
    await ctx.services.auth.invalidateSession(ctx.session.id)
    await announceSessionEnded(ctx.services.bus, ctx.session.id) // its open sockets close on every instance
    ctx.resHeaders.append('Set-Cookie', ctx.services.auth.createBlankSessionCookie().serialize())
    return { ok: true }
  }),

  /** Who is calling: a signed-in user (with tenants and role) or an API token. */
  me: publicProcedure.query(async ({ ctx }) => {
    const p = ctx.principal
    if (p.kind === 'token') {
      const tenant = await ctx.services.db.tenant.findUnique({
        where: { id: p.token.tenantId },
        select: { id: true, slug: true, name: true },
      })
      return {
        kind: 'token' as const,
        token: { id: p.token.id, name: p.token.name },
        activeTenant: tenant ? { tenantId: tenant.id, slug: tenant.slug, name: tenant.name, role: p.token.role } : null,
        permissions: permissionsOf(p.token.role),
      }
    }
    if (p.kind === 'session') {
      const memberships = await membershipsOf(ctx.services.db, p.user.id)
      const activeTenant = memberships.find((m) => m.tenantId === p.session.activeTenantId) ?? null
      return {
        kind: 'user' as const,
        user: { id: p.user.id, email: p.user.email, name: p.user.name },
        memberships,
        activeTenant,
        permissions: activeTenant ? permissionsOf(activeTenant.role) : [],
      }
    }
    return { kind: 'anonymous' as const }
  }),

  switchTenant: authedProcedure
    .input(z.strictObject({ tenantId: z.string().min(1).max(100) }))
    .mutation(async ({ ctx, input }) => {
      const memberships = await membershipsOf(ctx.services.db, ctx.user.id)
      const target = memberships.find((m) => m.tenantId === input.tenantId)
      // Not a member answers exactly like a tenant that does not exist.
      if (!target) throw new TRPCError({ code: 'NOT_FOUND', message: 'Tenant not found' })
      await ctx.services.db.session.update({ where: { id: ctx.session.id }, data: { activeTenantId: target.tenantId } })
      return { activeTenant: target }
    }),

  changePassword: authedProcedure
    .input(z.strictObject({ currentPassword: z.string().min(1).max(200), newPassword }))
    .mutation(async ({ ctx, input }) => {
      const { db, rateLimiter } = ctx.services
      // Counted up front and forgiven on success: a stolen session must not guess the password.
      await enforceLimit(rateLimiter, LIMITS.changePassword, ctx.user.id, ctx.resHeaders)
      const user = await db.user.findUniqueOrThrow({ where: { id: ctx.user.id }, select: { passwordHash: true } })
      if (!(await verifyPassword(user.passwordHash, input.currentPassword))) {
        throw new TRPCError({ code: 'UNAUTHORIZED', message: 'Current password is wrong' })
      }
      await rateLimiter.reset(LIMITS.changePassword, ctx.user.id)
      const passwordHash = await hashPassword(input.newPassword)
      await db.$transaction([
        db.user.update({ where: { id: ctx.user.id }, data: { passwordHash } }),
        // Every other session ends; this one stays signed in.
        db.session.deleteMany({ where: { userId: ctx.user.id, id: { not: ctx.session.id } } }),
      ])
      return { ok: true }
    }),
})
