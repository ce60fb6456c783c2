// The one way CRM code runs raw SQL. Raw queries bypass the tenant-scoped client's extension
// (docs/decisions/004-tenancy-enforcement.md), so every raw query over tenant data is built with a
// TenantSql: `scope()` is the only source of the tenant predicate (the tenant id always travels as
// a bind parameter), and `query` / `toPg` refuse a query that does not carry it. Identifiers come
// from the whitelists in record-tables.ts; every value, field names of custom fields included, is
// a bind parameter (Prisma.sql tagged templates).
import { Prisma } from '../db/client'

/** Anything that runs a Prisma.Sql: the root or tenant-scoped client, or a transaction of either. */
export type RawRunner = { $queryRaw<T = unknown>(query: Prisma.Sql): Promise<T> }

/** Table aliases the CRM queries use; `t` is the record table. */
export type TableAlias = 't' | 'c' | 'd' | 'k'

export class UnscopedQueryError extends Error {
  override name = 'UnscopedQueryError'
}

export class TenantSql {
  constructor(readonly tenantId: string) {
    if (!tenantId) throw new UnscopedQueryError('TenantSql needs a tenant id')
  }

  /** `<alias>."tenantId" = $n`, with the tenant id as the parameter. */
  scope(alias: TableAlias = 't'): Prisma.Sql {
    return Prisma.sql`${Prisma.raw(`${alias}."tenantId"`)} = ${this.tenantId}`
  }

  /** Runs a query built with `scope()`. */
  async query<T>(db: RawRunner, query: Prisma.Sql): Promise<T[]> {
    this.assertScoped(query)
    return db.$queryRaw<T[]>(query)
  }

  /** The query as text and values for node-postgres (`pg`), checked like `query`. */
  toPg(query: Prisma.Sql): { text: string; values: unknown[] } {
    this.assertScoped(query)
    return { text: query.text, values: query.values }
  }

  private assertScoped(query: Prisma.Sql): void {
    const scoped = query.values.some((v, i) => v === this.tenantId && new RegExp(`\\."tenantId" = \\$${i + 1}(?![0-9])`).test(query.text))
    if (!scoped) {
      throw new UnscopedQueryError('raw CRM query without its tenant predicate (build it with TenantSql.scope)')
    }
  }
}
