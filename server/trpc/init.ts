// The only procedure builders the project uses. There is deliberately no export of the bare
// `t.procedure`: every procedure states who may call it, and the RBAC matrix test reads that
// statement (its meta) back for every procedure in the router.
import { initTRPC, TRPCError } from '@trpc/server'
import superjson from 'superjson'
import { z } from 'zod'
import type { Role } from '../db/client'
import { forTenant } from '../db/tenant-db'
import { can, type Permission } from '../auth/permissions'
import { PRINCIPAL_RECHECK_MS, type InnerContext, type Principal } from './context'
import type { Logger } from '../logger'
import { storableProblems } from './storable-input'
import { badRequest } from './bad-request'

export type Access = 'public' | 'authed' | 'tenant'
export interface Meta {
  access: Access
  /** For tenant procedures: the permission the caller's role needs; absent = any member. */
  permission?: Permission
}

const t = initTRPC
  .context<InnerContext>()
  .meta<Meta>()
  .create({
    transformer: superjson,
    isDev: true,
    errorFormatter({ shape, error, ctx }) {
      const cause = error.cause
      const data: Record<string, unknown> = { ...shape.data }
      // Stack traces only outside production, whatever tRPC's own default says.
      if (!ctx || ctx.services.env.NODE_ENV === 'production') delete data.stack
      // Malformed JSON and oversized bodies are the client's bad input, like a zod failure.
      if (error.code === 'PARSE_ERROR' || error.code === 'PAYLOAD_TOO_LARGE') data.code = 'BAD_REQUEST'
      return {
        ...shape,
        data: {
          ...data,
          zodError: cause instanceof z.ZodError ? { issues: cause.issues, ...z.flattenError(cause) } : null,
          configErrors: cause instanceof ConfigErrorsCause ? cause.errors : undefined,
        },
      }
    },
  })

/** Carries config validation errors to the client in `data.configErrors`. */
export class ConfigErrorsCause extends Error {
  constructor(public readonly errors: unknown[]) {
    super('Configuration has errors')
  }
}

export const router = t.router
export const createCallerFactory = t.createCallerFactory
export const mergeRouters = t.mergeRouters

const timing = t.middleware(async ({ ctx, path, type, next }) => {
  const start = performance.now()
  const result = await next()
  const ms = Math.round(performance.now() - start)
  if (!result.ok && result.error.code === 'INTERNAL_SERVER_ERROR') {
    ctx.services.logger.error('procedure failed', { path, type, ms, error: String(result.error.cause ?? result.error) })
  } else if (ms > 500) {
    ctx.services.logger.warn('slow procedure', { path, type, ms })
  }
  return result
})

// Input the database or our JSON-walking code cannot take (storable-input.ts) is bad input: zod
// issues with their paths, before any procedure runs.
const refuseUnstorable = t.middleware(async ({ getRawInput, next }) => {
  const problems = storableProblems(await getRawInput(), { allowDates: true })
  if (problems.length) throw badRequest(problems)
  return next()
})

// A WebSocket context outlives any one call: re-resolve who is calling (see refreshPrincipal).
// A bearer token that is not valid is a 401 everywhere, public procedures included (context.ts).
const currentPrincipal = t.middleware(async ({ ctx, next }) => {
  const principal = ctx.refreshPrincipal ? await ctx.refreshPrincipal() : ctx.principal
  if (principal.kind === 'anonymous' && principal.invalidToken) throw new TRPCError({ code: 'UNAUTHORIZED', message: 'Invalid API token' })
  return next({ ctx: { principal } })
})

export const publicProcedure = t.procedure.meta({ access: 'public' }).use(timing).use(refuseUnstorable).use(currentPrincipal)

/** A signed-in person (session cookie). Tokens are not people: they cannot use these. */
export const authedProcedure = t.procedure
  .meta({ access: 'authed' })
  .use(timing)
  .use(refuseUnstorable)
  .use(currentPrincipal)
  .use(({ ctx, next }) => {
    if (ctx.principal.kind !== 'session') throw new TRPCError({ code: 'UNAUTHORIZED', message: 'Sign in first' })
    return next({ ctx: { user: ctx.principal.user, session: ctx.principal.session } })
  })

export type Actor = { userId: string | null; tokenId: string | null }
export type TenantAccess = { tenantId: string; role: Role; actor: Actor }

/**
 * Who the principal is inside a tenant, and whether their role has `permission`: the one place
 * tenant membership and RBAC are decided, for a call and again while a subscription runs.
 */
async function tenantAccessOf(services: InnerContext['services'], p: Principal, permission: Permission | undefined): Promise<TenantAccess> {
  let access: TenantAccess
  if (p.kind === 'token') {
    access = { tenantId: p.token.tenantId, role: p.token.role, actor: { userId: null, tokenId: p.token.id } }
  } else if (p.kind === 'session') {
    const active = p.session.activeTenantId
    const membership = active
      ? await services.db.membership.findUnique({
          where: { tenantId_userId: { tenantId: active, userId: p.user.id } },
          select: { role: true },
        })
      : null
    if (!active || !membership) throw new TRPCError({ code: 'FORBIDDEN', message: 'No active tenant: pick one first' })
    access = { tenantId: active, role: membership.role, actor: { userId: p.user.id, tokenId: null } }
  } else {
    throw new TRPCError({ code: 'UNAUTHORIZED', message: 'Sign in or send an API token' })
  }
  if (permission && !can(access.role, permission)) {
    throw new TRPCError({ code: 'FORBIDDEN', message: `Your role (${access.role.toLowerCase()}) may not do this` })
  }
  return access
}

/**
 * A subscription outlives the check made when it started. On a WebSocket, re-check the caller
 * every PRINCIPAL_RECHECK_MS while it runs: a revoked token, an ended session, a removed member,
 * a lost permission or a switch to another tenant ends it with that error.
 */
async function* whileStillAllowed<T>(events: AsyncIterable<T>, stillAllowed: () => Promise<void>, logger: Logger): AsyncGenerator<T, void, unknown> {
  const iterator = events[Symbol.asyncIterator]()
  let timer: NodeJS.Timeout | undefined
  let checking = false
  const refused = new Promise<never>((_, reject) => {
    timer = setInterval(() => {
      if (checking) return
      checking = true
      stillAllowed()
        .catch((error: unknown) => {
          // Only an answer about the caller ends the stream; a database blip is tried again.
          if (error instanceof TRPCError && (error.code === 'UNAUTHORIZED' || error.code === 'FORBIDDEN')) reject(error)
          else logger.warn('subscription re-check failed; will retry', { error: String(error) })
        })
        .finally(() => (checking = false))
    }, PRINCIPAL_RECHECK_MS)
  })
  refused.catch(() => undefined) // observed by the race below; never an unhandled rejection
  try {
    for (;;) {
      const next = await Promise.race([iterator.next(), refused])
      if (next.done) return
      yield next.value
    }
  } finally {
    clearInterval(timer)
    // Not awaited: the stream may be parked in a pending next() that only its abort signal ends
    // (tRPC aborts it when this subscription stops); a return() would queue behind that forever.
    void iterator.return?.()?.catch(() => undefined)
  }
}

/**
 * A member of the active tenant (session) or a token of it. Adds the tenant, the caller's role and
 * `db`, the tenant-scoped client that is the only way to tenant data.
 */
export const tenantProcedure = t.procedure
  .meta({ access: 'tenant' })
  .use(timing)
  .use(refuseUnstorable)
  .use(currentPrincipal)
  .use(async ({ ctx, meta, type, next }) => {
    const access = await tenantAccessOf(ctx.services, ctx.principal, meta?.permission)
    const result = await next({ ctx: { ...access, db: forTenant(ctx.services.db, access.tenantId) } })
    const refresh = ctx.refreshPrincipal
    if (type !== 'subscription' || !refresh || !result.ok || !isAsyncIterable(result.data)) return result
    return {
      ...result,
      data: whileStillAllowed(
        result.data,
        async () => {
          const now = await tenantAccessOf(ctx.services, await refresh(), meta?.permission)
          if (now.tenantId !== access.tenantId) throw new TRPCError({ code: 'FORBIDDEN', message: 'You switched to another tenant' })
        },
        ctx.services.logger,
      ),
    }
  })

const isAsyncIterable = (value: unknown): value is AsyncIterable<unknown> =>
  value != null && typeof (value as AsyncIterable<unknown>)[Symbol.asyncIterator] === 'function'

/** A tenant procedure gated by one permission of the permission table. */
export function permissionProcedure(permission: Permission) {
  return tenantProcedure.meta({ access: 'tenant', permission })
}
