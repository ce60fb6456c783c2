// The crm's answer to "which customer is this sender?" for the inbox: a customer by email
// (case-insensitive) or, failing that, by phone (digits only, so "+1 (555) 010-2000" finds
// "15550102000"). Both are served by expression indexes (the crm_records and inbox migrations).
import { Prisma } from '../db/client'
import type { RawRunner } from '../db/tenant-sql'
import type { TenantScope } from '../kernel'

export type SenderContact = { email?: string | null; phone?: string | null }

/** The digits of a phone number: what phone matching compares. */
export const phoneDigits = (phone: string) => phone.replace(/\D/g, '')

/**
 * The oldest customer with this email, else with this phone; null when none. `db` is the caller's
 * transaction when it runs inside one (never a second connection: decision 001).
 */
export async function findCustomerByContact(
  scope: Pick<TenantScope, 'sql'>,
  db: RawRunner,
  contact: SenderContact,
): Promise<{ id: string; name: string } | null> {
  const email = contact.email?.trim()
  if (email) {
    const [hit] = await scope.sql.query<{ id: string; name: string }>(
      db,
      Prisma.sql`SELECT c.id, c.name FROM "Customer" c WHERE ${scope.sql.scope('c')} AND lower(c.email) = lower(${email}) ORDER BY c."createdAt", c.id LIMIT 1`,
    )
    if (hit) return hit
  }
  const digits = contact.phone ? phoneDigits(contact.phone) : ''
  if (digits.length >= 5) {
    const [hit] = await scope.sql.query<{ id: string; name: string }>(
      db,
      Prisma.sql`SELECT c.id, c.name FROM "Customer" c WHERE ${scope.sql.scope('c')} AND regexp_replace(c.phone, '\\D', '', 'g') = ${digits} ORDER BY c."createdAt", c.id LIMIT 1`,
    )
    if (hit) return hit
  }
  return null
}

/** Name, email and phone of each of these customers (missing ids are left out). */
export async function customerCards(scope: Pick<TenantScope, 'db'>, ids: readonly string[]) {
  if (ids.length === 0) return new Map<string, { id: string; name: string; email: string | null; phone: string | null }>()
  const rows = await scope.db.customer.findMany({ where: { id: { in: [...new Set(ids)] } }, select: { id: true, name: true, email: true, phone: true } })
  return new Map(rows.map((r) => [r.id, r]))
}
