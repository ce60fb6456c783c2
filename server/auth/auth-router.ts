// The `auth` router: input schemas, one call of the account services (accounts.ts) each, and the
// session cookie, which is the API layer's business.
import { z } from 'zod'
import { authedProcedure, publicProcedure, router } from '../trpc/init'
import { PASSWORD_MIN_LENGTH } from './password'
import { authenticate, changePassword, membershipsOf, registerAccount, switchActiveTenant, tenantSummary } from './accounts'
import { permissionsOf } from './permissions'
import type { InnerContext } from '../trpc/context'

const email = z
  .email()
  .max(254)
  .transform((e) => e.toLowerCase())
const newPassword = z.string().min(PASSWORD_MIN_LENGTH, `At least ${PASSWORD_MIN_LENGTH} characters`).max(200)

async function startSession(ctx: InnerContext, userId: string, activeTenantId: string | null) {
  const session = await ctx.services.auth.createSession(userId, { activeTenantId })
  ctx.resHeaders.append('Set-Cookie', ctx.services.auth.createSessionCookie(session.id).serialize())
  return session
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
      // A new tenant starts at config version 1 with the default configuration (accounts.ts).
      const created = await registerAccount(ctx.services, { ...input, clientIp: ctx.clientIp })
      await startSession(ctx, created.userId, created.tenantId)
      return { tenantId: created.tenantId, tenantSlug: created.tenantSlug }
    }),

  login: publicProcedure.input(z.strictObject({ email, password: z.string().min(1).max(200) })).mutation(async ({ ctx, input }) => {
    const { userId, memberships } = await authenticate(ctx.services, { ...input, clientIp: ctx.clientIp })
    await startSession(ctx, userId, memberships[0]?.tenantId ?? null)
    return { activeTenant: memberships[0] ?? null }
  }),

  logout: authedProcedure.mutation(async ({ ctx }) => {
    await ctx.services.auth.invalidateSession(ctx.session.id)
    await ctx.services.principals.sessionsEnded([ctx.session.id]) // forgotten, and its open sockets closed, on every instance
    ctx.resHeaders.append('Set-Cookie', ctx.services.auth.createBlankSessionCookie().serialize())
    return { ok: true }
  }),

  /** Who is calling: a signed-in user (with tenants and role) or an API token. */
  me: publicProcedure.query(async ({ ctx }) => {
    const p = ctx.principal
    if (p.kind === 'token') {
      const tenant = await tenantSummary(ctx.services.db, p.token.tenantId)
      return {
        kind: 'token' as const,
        token: { id: p.token.id, name: p.token.name, scope: p.token.scope },
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
    .mutation(({ ctx, input }) =>
      switchActiveTenant(ctx.services.db, { userId: ctx.user.id, sessionId: ctx.session.id }, input.tenantId, ctx.services.principals),
    ),

  changePassword: authedProcedure
    .input(z.strictObject({ currentPassword: z.string().min(1).max(200), newPassword }))
    .mutation(({ ctx, input }) => changePassword(ctx.services, { userId: ctx.user.id, sessionId: ctx.session.id }, input)),
})
