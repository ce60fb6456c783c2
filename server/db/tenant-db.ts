// Tenancy in one place: a Prisma client extension that pins every query on a tenant-owned model to
// one tenant. Procedures reach tenant data only through `ctx.scope` (a TenantScope: its `db` is this client)
// (docs/decisions/004-tenancy-enforcement.md). Whatever a caller passes, the tenant filter is
// added to every where and the tenant id is forced into every create, so another tenant's id
// behaves exactly like an id that does not exist.
import type { Db } from './client'

/** Models with a `tenantId` column. tests/unit/tenant-db.test.ts checks this against the schema. */
export const TENANT_OWNED_MODELS = new Set<string>([
  'Membership',
  'ApiToken',
  'AuditEntry',
  'ConfigItem',
  'ConfigHead',
  'ConfigSnapshot',
  'ConfigItemVersion',
  'ConfigPublishLog',
  'Customer',
  'Deal',
  'Case',
  'Activity',
  'Invitation',
  'OutboxEvent',
  'Notification',
  'AutomationRun',
  'RoundRobinCursor',
  'ScheduleTick',
  'TenantSecret',
  'CaseSla',
  'ApprovalRequest',
  'ApprovalDecision',
  'InboxThread',
  'InboxMessage',
  'InboxRead',
  'ViewIndexUse',
])

const WHERE_OPERATIONS = new Set([
  'findUnique',
  'findUniqueOrThrow',
  'findFirst',
  'findFirstOrThrow',
  'findMany',
  'count',
  'aggregate',
  'groupBy',
  'update',
  'updateMany',
  'updateManyAndReturn',
  'delete',
  'deleteMany',
])
const CREATE_OPERATIONS = new Set(['create', 'createMany', 'createManyAndReturn'])

type Args = Record<string, unknown>

export function scopeArgs(operation: string, args: Args | undefined, tenantId: string): Args {
  const a: Args = { ...(args ?? {}) }
  if (WHERE_OPERATIONS.has(operation)) {
    a.where = { ...((a.where as Args | undefined) ?? {}), tenantId }
  } else if (CREATE_OPERATIONS.has(operation)) {
    const data = a.data
    a.data = Array.isArray(data) ? data.map((d: Args) => ({ ...d, tenantId })) : { ...(data as Args), tenantId }
  } else if (operation === 'upsert') {
    a.where = { ...((a.where as Args | undefined) ?? {}), tenantId }
    a.create = { ...((a.create as Args | undefined) ?? {}), tenantId }
  } else {
    // A new Prisma operation we have not reviewed must not slip through unscoped.
    throw new Error(`tenant-db: operation ${operation} is not tenant-scoped`)
  }
  return a
}

export function forTenant(db: Db, tenantId: string) {
  return db.$extends({
    name: 'tenant-scope',
    query: {
      $allModels: {
        $allOperations({ model, operation, args, query }) {
          // Global tables (users, tenants, sessions) are not reachable through a tenant client at
          // all: code that truly needs them (auth, member invites) uses the root client explicitly.
          if (!TENANT_OWNED_MODELS.has(model)) throw new Error(`tenant-db: ${model} is not tenant-owned; use the root client deliberately`)
          return query(scopeArgs(operation, args as Args, tenantId) as typeof args)
        },
      },
    },
  })
}

export type TenantDb = ReturnType<typeof forTenant>

/**
 * The same pinning for a transaction of the ROOT client, for the few writes that create a tenant's
 * first rows together with the tenant itself (registration): the tenant's config is written in the
 * transaction that creates the tenant, so there is never a tenant without one. Prisma cannot
 * `$extends` a transaction client, so this wraps each tenant-owned model's delegate instead.
 */
export function forTenantTransaction<Tx extends object>(tx: Tx, tenantId: string): TenantTransaction {
  return new Proxy(tx, {
    get(target, prop, receiver) {
      const value = Reflect.get(target, prop, receiver)
      if (typeof prop !== 'string' || prop.startsWith('$') || typeof value !== 'object' || value === null) return value
      const model = prop[0]!.toUpperCase() + prop.slice(1)
      if (!TENANT_OWNED_MODELS.has(model)) throw new Error(`tenant-db: ${model} is not tenant-owned; use the root client deliberately`)
      return new Proxy(value as Record<string, unknown>, {
        get(delegate, operation) {
          const fn = delegate[operation as string]
          if (typeof operation !== 'string' || typeof fn !== 'function') return fn
          return (args?: Args) => (fn as (a: Args) => unknown).call(delegate, scopeArgs(operation, args, tenantId))
        },
      })
    },
  }) as unknown as TenantTransaction
}

/** A transaction of the tenant-scoped client (what `TenantDb['$transaction']` hands its callback). */
export type TenantTransaction = Parameters<Parameters<TenantDb['$transaction']>[0]>[0]
