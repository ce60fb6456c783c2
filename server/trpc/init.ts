// The only procedure builders the project uses. There is deliberately no export of the bare
// `t.procedure`: every procedure states who may call it, and the RBAC matrix test reads that
// statement (its meta) back for every procedure in the router.
import { initTRPC, TRPCError } from '@trpc/server'
import type { OpenApiMeta } from 'trpc-to-openapi'
import superjson from 'superjson'
import { z } from 'zod'
import type { Role } from '../db/client'
import { can, scopeAllows, type Permission } from '../auth/permissions'
import { tenantScope, type Actor } from '../kernel'
import { principalLabel, type InnerContext, type Principal, type Services } from './context'
import { accountStore, type AccountStore } from '../auth/accounts'
import { storableProblems } from '../db/storable-input'
import { badRequest, databaseInputError } from './bad-request'
import { ConfigErrorsCause, conflictData, trpcErrorOf } from './domain-errors'
import { MAX_SUBSCRIPTIONS_PER_SOCKET, socketStateOf } from './socket-registry'
import { whileStillAllowed } from './while-still-allowed'

export type Access = 'public' | 'authed' | 'tenant'
export interface Meta {
  access: Access
  /** For tenant procedures: the permission the caller's role needs; absent = any member. */
  permission?: Permission
  /**
   * The procedure's REST route (server/http/rest-api.ts, docs/decisions/023-platform.md): the same
   * procedure answers `METHOD /api/v1<path>` and `/api<path>`, and is in GET /api/openapi.json.
   */
  openapi?: NonNullable<OpenApiMeta['openapi']>
}

// superjson rebuilds objects key by key and silently drops an own "__proto__" that JSON.parse
// kept, so the storable check (below) would never see it. Check the wire JSON before superjson:
// the same problems, with paths inside the input, answered as BAD_REQUEST.
const checkedSuperjson = {
  input: {
    serialize: (value: unknown) => superjson.serialize(value),
    deserialize: (wire: unknown) => {
      const json = wire !== null && typeof wire === 'object' && 'json' in wire ? (wire as { json: unknown }).json : wire
      const problems = storableProblems(json, { allowDates: false })
      if (problems.length) throw badRequest(problems)
      return superjson.deserialize(wire as Parameters<typeof superjson.deserialize>[0])
    },
  },
  output: superjson,
}

const t = initTRPC
  .context<InnerContext>()
  .meta<Meta>()
  .create({
    transformer: checkedSuperjson,
    // tRPC puts the stack in `data` only when isDev; the formatter below removes it again in
    // every mode but development, so the decision is ours (NODE_ENV), not the bundler's.
    isDev: true,
    errorFormatter({ shape, error, ctx }) {
      const cause = error.cause
      const data: Record<string, unknown> = { ...shape.data }
      const development = ctx?.services.env.NODE_ENV === 'development'
      let message = shape.message
      // No stack, file path, SQL or driver text leaves the server outside development: a 500 says
      // "Internal error" and carries the request id that the log line with the detail carries too.
      if (!development) delete data.stack
      // (When the context itself failed there is none here; the X-Request-Id header still has it.)
      if (ctx?.requestId) data.requestId = ctx.requestId
      if (error.code === 'INTERNAL_SERVER_ERROR' && !development) message = 'Internal error'
      // Malformed JSON and oversized bodies are the client's bad input, like a zod failure.
      if (error.code === 'PARSE_ERROR' || error.code === 'PAYLOAD_TOO_LARGE') data.code = 'BAD_REQUEST'
      return {
        ...shape,
        message,
        data: {
          ...data,
          zodError: cause instanceof z.ZodError ? zodErrorData(cause) : null,
          configErrors: cause instanceof ConfigErrorsCause ? cause.errors : undefined,
          conflict: conflictData(cause),
        },
      }
    },
  })

/**
 * The zod issues and their flattened form. A "__proto__" key (refused input) cannot be a key of
 * the flattened object: superjson refuses to send it, so it is only in `issues` (with its path).
 */
function zodErrorData(error: z.ZodError) {
  const { formErrors, fieldErrors } = z.flattenError(error)
  const safeFieldErrors = Object.fromEntries(Object.entries(fieldErrors).filter(([key]) => key !== '__proto__'))
  return { issues: error.issues, formErrors, fieldErrors: safeFieldErrors }
}

export const router = t.router
export const createCallerFactory = t.createCallerFactory
export const mergeRouters = t.mergeRouters

const timing = t.middleware(async ({ ctx, path, type, next }) => {
  const start = performance.now()
  const result = await next()
  const ms = Math.round(performance.now() - start)
  if (!result.ok && result.error.code === 'INTERNAL_SERVER_ERROR') {
    const cause = result.error.cause ?? result.error
    ctx.services.logger.error('procedure failed', {
      requestId: ctx.requestId,
      path,
      type,
      ms,
      error: String(cause),
      stack: cause instanceof Error ? cause.stack : undefined,
    })
  } else if (ms > 500) {
    ctx.services.logger.warn('slow procedure', { path, type, ms })
  }
  return result
})

// Domain services throw domain errors (server/kernel); this is where they get their tRPC code
// (domain-errors.ts). Then the last line of defence (bad-request.ts): a value the database refused
// is the client's bad input, BAD_REQUEST, never a 500, whichever check should have caught it first.
const mapDomainErrors = t.middleware(async ({ ctx, next }) => {
  const result = await next()
  if (result.ok) return result
  const mapped = trpcErrorOf(result.error.cause, ctx.resHeaders) ?? databaseInputError(result.error.cause)
  if (mapped) throw mapped
  return result
})

// One WebSocket holds at most MAX_SUBSCRIPTIONS_PER_SOCKET subscriptions (socket-registry.ts): the
// count rises when one starts and falls when it ends, however it ends (done, stopped, socket gone).
const limitSubscriptionsPerSocket = t.middleware(async ({ ctx, type, signal, next }) => {
  const socket = type === 'subscription' ? socketStateOf(ctx) : undefined
  if (!socket) return next()
  if (socket.subscriptions >= MAX_SUBSCRIPTIONS_PER_SOCKET) {
    throw new TRPCError({ code: 'TOO_MANY_REQUESTS', message: `At most ${MAX_SUBSCRIPTIONS_PER_SOCKET} subscriptions per connection: stop one first` })
  }
  socket.subscriptions++
  let released = false
  const release = () => {
    if (!released) socket.subscriptions--
    released = true
  }
  signal?.addEventListener('abort', release, { once: true })
  const result = await next().catch((error: unknown) => {
    release()
    throw error
  })
  if (!result.ok || !isAsyncIterable(result.data)) {
    release()
    return result
  }
  const events = result.data
  return {
    ...result,
    data: (async function* () {
      try {
        yield* events
      } finally {
        release()
      }
    })(),
  }
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

export const publicProcedure = t.procedure
  .meta({ access: 'public' })
  .use(timing)
  .use(mapDomainErrors)
  .use(limitSubscriptionsPerSocket)
  .use(refuseUnstorable)
  .use(currentPrincipal)

/** A signed-in person (session cookie). Tokens are not people: they cannot use these. */
export const authedProcedure = t.procedure
  .meta({ access: 'authed' })
  .use(timing)
  .use(mapDomainErrors)
  .use(limitSubscriptionsPerSocket)
  .use(refuseUnstorable)
  .use(currentPrincipal)
  .use(({ ctx, next }) => {
    if (ctx.principal.kind !== 'session') throw new TRPCError({ code: 'UNAUTHORIZED', message: 'Sign in first' })
    return next({ ctx: { user: ctx.principal.user, session: ctx.principal.session } })
  })

export type { Actor }
export type TenantAccess = { tenantId: string; role: Role; actor: Actor }

/**
 * What a tenant procedure gets of the process's services: everything but the unscoped root client
 * (tenant data goes through `ctx.scope`), plus the one tenant-less capability a tenant admin uses:
 * creating a person's account when adding a member.
 */
export type TenantServices = Omit<Services, 'db'> & { accounts: AccountStore }
const tenantServices = new WeakMap<Services, TenantServices>()
function tenantServicesOf(services: Services): TenantServices {
  let narrowed = tenantServices.get(services)
  if (!narrowed) {
    const { db, ...rest } = services
    tenantServices.set(services, (narrowed = { ...rest, accounts: accountStore(db) }))
  }
  return narrowed
}

/**
 * Who the principal is inside a tenant, and whether their role has `permission`: the one place
 * tenant membership and RBAC are decided, for a call and again while a subscription runs.
 */
async function tenantAccessOf(
  services: InnerContext['services'],
  p: Principal,
  permission: Permission | undefined,
  kind: 'query' | 'mutation' | 'subscription',
): Promise<TenantAccess> {
  let access: TenantAccess
  if (p.kind === 'token') {
    // A scoped token (decision 024) is refused what its scope does not cover, whatever its role.
    if (!scopeAllows(p.token.scope, permission, kind)) {
      throw new TRPCError({ code: 'FORBIDDEN', message: `This token's scope (${p.token.scope}) does not allow this` })
    }
    access = { tenantId: p.token.tenantId, role: p.token.role, actor: { userId: null, tokenId: p.token.id, label: principalLabel(p) } }
  } else if (p.kind === 'session') {
    const active = p.session.activeTenantId
    const userId = p.user.id
    const role = active
      ? await services.principals.membership(active, userId, async () => {
          const m = await services.db.membership.findUnique({ where: { tenantId_userId: { tenantId: active, userId } }, select: { role: true } })
          return m?.role ?? null
        })
      : null
    if (!active || !role) throw new TRPCError({ code: 'FORBIDDEN', message: 'No active tenant: pick one first' })
    access = { tenantId: active, role, actor: { userId, tokenId: null, label: principalLabel(p) } }
  } else {
    throw new TRPCError({ code: 'UNAUTHORIZED', message: 'Sign in or send an API token' })
  }
  if (permission && !can(access.role, permission)) {
    throw new TRPCError({ code: 'FORBIDDEN', message: `Your role (${access.role.toLowerCase()}) may not do this` })
  }
  return access
}

/**
 * A member of the active tenant (session) or a token of it. Adds the caller's role, `actor` (who
 * domain services record) and `scope` (server/kernel: the tenant id with its tenant-scoped client,
 * the only way to tenant data). `db` and `tenantId` are the scope's own, for code not yet passing
 * the scope along.
 */
export const tenantProcedure = t.procedure
  .meta({ access: 'tenant' })
  .use(timing)
  .use(mapDomainErrors)
  .use(limitSubscriptionsPerSocket)
  .use(refuseUnstorable)
  .use(currentPrincipal)
  .use(async ({ ctx, meta, type, next }) => {
    const access = await tenantAccessOf(ctx.services, ctx.principal, meta?.permission, type)
    // The scope is the only way to tenant data from here on: `services` loses the root client.
    const result = await next({
      ctx: { role: access.role, actor: access.actor, scope: tenantScope(ctx.services.db, access.tenantId), services: tenantServicesOf(ctx.services) },
    })
    const refresh = ctx.refreshPrincipal
    if (type !== 'subscription' || !refresh || !result.ok || !isAsyncIterable(result.data)) return result
    return {
      ...result,
      data: whileStillAllowed(
        result.data,
        async () => {
          const now = await tenantAccessOf(ctx.services, await refresh(), meta?.permission, type)
          if (now.tenantId !== access.tenantId) throw new TRPCError({ code: 'FORBIDDEN', message: 'You switched to another tenant' })
        },
        ctx.services.logger,
      ),
    }
  })

const isAsyncIterable = (value: unknown): value is AsyncIterable<unknown> =>
  value != null && typeof (value as AsyncIterable<unknown>)[Symbol.asyncIterator] === 'function'

/** A procedure's REST route: `METHOD /api/v1<path>` (docs/decisions/023-platform.md). */
export type RestRoute = NonNullable<Meta['openapi']>

/** A tenant procedure gated by one permission of the permission table; `rest` also routes it over REST. */
export function permissionProcedure(permission: Permission, rest?: RestRoute) {
  return tenantProcedure.meta({ access: 'tenant', permission, ...(rest && { openapi: rest }) })
}
