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

export function tenantScope(root: Db, tenantId: string): TenantScope {
  return { tenantId, db: forTenant(root, tenantId), sql: new TenantSql(tenantId) }
}
