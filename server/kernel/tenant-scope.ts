// The only way domain code reaches tenant data: a TenantScope carries the tenant id together with
// the client that is already pinned to it (server/db/tenant-db.ts) and the raw-SQL helper that
// refuses a query without the tenant predicate. Domain services take `(scope, actor, input)`, so a
// procedure, a worker and a script call them the same way (docs/decisions/016-domain-core.md).
import type { Db } from '../db/client'
import { forTenant, type TenantDb, type TenantTransaction } from '../db/tenant-db'
import { TenantSql } from '../db/tenant-sql'

export type TenantScope = {
  readonly tenantId: string
  /** Every query through it is filtered by, and every create stamped with, `tenantId`. */
  readonly db: TenantDb
  /** Raw SQL over tenant data, checked to carry the tenant predicate. */
  readonly sql: TenantSql
}

/** A transaction of the tenant client: what services pass to each other inside one write. */
export type TenantTx = TenantTransaction

// A scope is immutable, and building one (a Prisma client extension) costs more than the query it
// serves: keep the most recently used ones per root client. Bounded, so a process serving many
// tenants does not keep an extension per tenant forever.
const MAX_CACHED_SCOPES = 1_000
const scopes = new WeakMap<Db, Map<string, TenantScope>>()

/** The tenant's scope over `root` (one per tenant and root client, reused across calls). */
export function tenantScope(root: Db, tenantId: string): TenantScope {
  let perRoot = scopes.get(root)
  if (!perRoot) scopes.set(root, (perRoot = new Map()))
  let scope = perRoot.get(tenantId)
  if (scope) {
    perRoot.delete(tenantId) // re-inserted below: Map order is recency
  } else {
    scope = Object.freeze({ tenantId, db: forTenant(root, tenantId), sql: new TenantSql(tenantId) })
    if (perRoot.size >= MAX_CACHED_SCOPES) perRoot.delete(perRoot.keys().next().value as string)
  }
  perRoot.set(tenantId, scope)
  return scope
}
