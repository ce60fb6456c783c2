import { TRPCError } from '@trpc/server'
import { z } from 'zod'
import { authedProcedure, publicProcedure, router } from '../trpc/init'
import { LOGIN_LIMITS } from './rate-limit'
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

function tooMany(retryAfterMs: number): never {
  throw new TRPCError({
    code: 'TOO_MANY_REQUESTS',
    message: `Too many sign-in attempts; try again in ${Math.ceil(retryAfterMs / 1000)} s`,
  })
}

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
      const created = await registerTenant(ctx.services.db, input)
      // A new tenant starts at config version 1 with the default configuration.
      await ensureTenantConfig(forTenant(ctx.services.db, created.tenantId), created.tenantId)
      await startSession(ctx, created.userId, created.tenantId)
      return { tenantId: created.tenantId, tenantSlug: created.tenantSlug }
    }),

  login: publicProcedure
    .input(z.strictObject({ email, password: z.string().min(1).max(200) }))
    .mutation(async ({ ctx, input }) => {
      const { rateLimiter, db } = ctx.services
      const ip = await rateLimiter.hit(`login:ip:${ctx.clientIp}`, LOGIN_LIMITS.perIp.limit, LOGIN_LIMITS.perIp.windowMs)
      if (!ip.allowed) tooMany(ip.retryAfterMs)
      const accountKey = `login:account:${input.email}`
      const user = await db.user.findUnique({ where: { email: input.email }, select: { id: true, passwordHash: true } })
      const ok = await verifyPassword(user?.passwordHash ?? null, input.password)
      if (!ok || !user) {
        const acct = await rateLimiter.hit(accountKey, LOGIN_LIMITS.perAccount.limit, LOGIN_LIMITS.perAccount.windowMs)
        if (!acct.allowed) tooMany(acct.retryAfterMs)
        // Deliberately the same message whether the email or the password was wrong.
        throw new TRPCError({ code: 'UNAUTHORIZED', message: 'Invalid email or password' })
      }
      // A correct password does not bypass a lock that earlier failures put on the account.
      const acct = await rateLimiter.hit(accountKey, LOGIN_LIMITS.perAccount.limit + 1, LOGIN_LIMITS.perAccount.windowMs)
      if (!acct.allowed) tooMany(acct.retryAfterMs)
      await rateLimiter.reset(accountKey)
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
      const { db } = ctx.services
      const user = await db.user.findUniqueOrThrow({ where: { id: ctx.user.id }, select: { passwordHash: true } })
      if (!(await verifyPassword(user.passwordHash, input.currentPassword))) {
        throw new TRPCError({ code: 'UNAUTHORIZED', message: 'Current password is wrong' })
      }
      const passwordHash = await hashPassword(input.newPassword)
      await db.$transaction([
        db.user.update({ where: { id: ctx.user.id }, data: { passwordHash } }),
        // Every other session ends; this one stays signed in.
        db.session.deleteMany({ where: { userId: ctx.user.id, id: { not: ctx.session.id } } }),
      ])
      return { ok: true }
    }),
})
