// Realistic CRM records for a tenant: the few demo records every demo tenant starts with, and
// `npm run seed -- --customers 100000` for scale. Deterministic (a seeded generator), written in
// batches with multi-row inserts through the tenant-scoped client.
import { rowId } from '../db/row-id'
import { Prisma, withoutSlowQueryLog, type Db } from '../db/client'
import { forTenant, type TenantDb } from '../db/tenant-db'

const FIRST = [
  'Ada',
  'Ben',
  'Chloé',
  'Dmitri',
  'Elif',
  'Farah',
  'Gustav',
  'Hana',
  'Ines',
  'Jonas',
  'Kaito',
  'Lena',
  'Mateo',
  'Nora',
  'Omar',
  'Priya',
  'Quinn',
  'Rosa',
  'Sven',
  'Tariq',
  'Uma',
  'Viktor',
  'Wen',
  'Ximena',
  'Yusuf',
  'Zoë',
]
const LAST = [
  'Andersson',
  'Becker',
  'Costa',
  'Dubois',
  'Eriksen',
  'Fischer',
  'García',
  'Haddad',
  'Ivanova',
  'Jensen',
  'Kowalski',
  'López',
  'Müller',
  'Nakamura',
  'O’Brien',
  'Petrov',
  'Rossi',
  'Schmidt',
  'Tanaka',
  'Umarov',
  'Varga',
  'Weber',
  'Yilmaz',
  'Zimmermann',
]
const COMPANY_A = ['Blue', 'North', 'Bright', 'Iron', 'Silver', 'Green', 'Swift', 'Cedar', 'Harbor', 'Summit', 'Nova', 'Atlas', 'Pioneer', 'Crystal', 'Red']
const COMPANY_B = [
  'Logistics',
  'Foods',
  'Analytics',
  'Robotics',
  'Health',
  'Energy',
  'Studios',
  'Textiles',
  'Capital',
  'Labs',
  'Mobility',
  'Systems',
  'Media',
  'Farms',
]
const SUFFIX = ['GmbH', 'Ltd', 'Inc.', 'AG', 'SARL', 'BV', 'Oy', 'S.p.A.', 'LLC']
const INDUSTRIES = ['Retail', 'Manufacturing', 'Healthcare', 'Finance', 'Logistics', 'Software', 'Energy', 'Education', 'Hospitality', 'Agriculture']
const TAGS = ['vip', 'newsletter', 'partner', 'churn-risk', 'enterprise', 'reference']
const DEAL_WORDS = ['Annual licence', 'Pilot', 'Expansion', 'Renewal', 'Support plan', 'Onboarding package', 'Hardware refresh', 'Consulting']
const STAGES = ['qualification', 'proposal', 'negotiation', 'won', 'lost']
const SOURCES = ['web', 'referral', 'partner', 'outbound', 'event']
const SUBJECTS = [
  'Cannot log in after password reset',
  'Invoice shows the wrong VAT rate',
  'Delivery arrived damaged',
  'Request to change the billing address',
  'Export to CSV times out',
  'Question about the enterprise plan',
  'Order not received',
  'API returns 500 on large uploads',
  'Refund for duplicate charge',
  'Add two more seats',
]
const STATUSES = ['new', 'open', 'pending', 'resolved', 'closed']
const PRIORITIES = ['low', 'normal', 'normal', 'normal', 'high', 'urgent']
const CHANNELS = ['email', 'chat', 'phone', 'web']
const CATEGORIES = ['billing', 'technical', 'shipping', 'account', 'sales']

/** mulberry32: small, fast, deterministic. */
export function generator(seed: number) {
  let a = seed >>> 0
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
  const int = (n: number) => Math.floor(next() * n)
  const pick = <T>(list: readonly T[]): T => list[int(list.length)]!
  return { next, int, pick }
}

const ascii = (s: string) =>
  s
    .normalize('NFD')
    .replace(/[^a-zA-Z]/g, '')
    .toLowerCase()
const dayMs = 86_400_000

/** A cuid-like id (c + 24 base-36 characters), as the app's own ids look. */
export const seedId = rowId

type Column = readonly [name: string, sqlType: string]
const COLUMNS = {
  Customer: [
    ['id', 'text'],
    ['name', 'text'],
    ['email', 'text'],
    ['phone', 'text'],
    ['company', 'text'],
    ['owner', 'text'],
    ['tags', 'text[]'],
    ['data', 'jsonb'],
    ['createdAt', 'timestamp(3)'],
    ['updatedAt', 'timestamp(3)'],
  ],
  Deal: [
    ['id', 'text'],
    ['name', 'text'],
    ['customerId', 'text'],
    ['amount', 'numeric'],
    ['stage', 'text'],
    ['closeDate', 'date'],
    ['owner', 'text'],
    ['data', 'jsonb'],
    ['createdAt', 'timestamp(3)'],
    ['updatedAt', 'timestamp(3)'],
  ],
  Case: [
    ['id', 'text'],
    ['subject', 'text'],
    ['customerId', 'text'],
    ['status', 'text'],
    ['priority', 'text'],
    ['assignee', 'text'],
    ['description', 'text'],
    ['data', 'jsonb'],
    ['createdAt', 'timestamp(3)'],
    ['updatedAt', 'timestamp(3)'],
  ],
  Activity: [
    ['id', 'text'],
    ['entity', 'text'],
    ['recordId', 'text'],
    ['customerId', 'text'],
    ['kind', 'text'],
    ['summary', 'text'],
    ['actor', 'text'],
    ['createdAt', 'timestamp(3)'],
  ],
} as const satisfies Record<string, readonly Column[]>

/**
 * One multi-row INSERT per batch: the rows travel as a single JSON parameter (jsonb_to_recordset),
 * which is far cheaper than a createMany with a bind parameter per cell. Table and column names
 * are the constants above; the tenant id is a parameter.
 */
async function insertRows(db: TenantDb, tenantId: string, table: keyof typeof COLUMNS, rows: object[]): Promise<void> {
  if (rows.length === 0) return
  const columns: readonly Column[] = COLUMNS[table]
  const names = columns.map(([n]) => `"${n}"`).join(', ')
  const picked = columns.map(([n]) => `x."${n}"`).join(', ')
  const shape = columns.map(([n, t]) => `"${n}" ${t}`).join(', ')
  await db.$executeRaw(
    Prisma.sql`INSERT INTO ${Prisma.raw(`"${table}"`)} ("tenantId", ${Prisma.raw(names)}) SELECT ${tenantId}, ${Prisma.raw(picked)} FROM jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) AS x(${Prisma.raw(shape)})`,
  )
}

export type SeedRecordsOptions = {
  customers: number
  /** Deals and cases per customer (on average). */
  dealsPerCustomer?: number
  casesPerCustomer?: number
  batchSize?: number
  seed?: number
  /** Also write a "created" activity entry per record (the demo's timeline). */
  activity?: boolean
  onProgress?: (done: number, total: number) => void
  /** Surnames to draw from (all when absent): demo tenants get disjoint ones, see seedDemoRecords. */
  lastNames?: readonly string[]
}

type Totals = { customers: number; deals: number; cases: number }

/** Bulk inserts are slow by nature: no slow-query warnings while seeding (server/db/client.ts). */
export function seedRecords(root: Db, tenantId: string, opts: SeedRecordsOptions): Promise<Totals> {
  return withoutSlowQueryLog(root, () => writeRecords(root, tenantId, opts))
}

async function writeRecords(root: Db, tenantId: string, opts: SeedRecordsOptions): Promise<Totals> {
  const db = forTenant(root, tenantId)
  const rnd = generator(opts.seed ?? 42)
  const members = (await db.membership.findMany({ select: { userId: true, role: true } })).filter((m) => m.role !== 'VIEWER').map((m) => m.userId)
  const owner = () => (members.length && rnd.next() < 0.85 ? rnd.pick(members) : null)
  const batchSize = opts.batchSize ?? 1000
  const now = Date.now()
  // Everything is dated relative to now and never after it: a record's deals and cases come
  // between its creation and now (at most `days` later), so no demo timeline lies in the future.
  const after = (from: Date, days: number) => new Date(from.getTime() + Math.floor(rnd.next() * Math.min(days * dayMs, now - from.getTime())))
  const lastNames = opts.lastNames ?? LAST
  const totals = { customers: 0, deals: 0, cases: 0 }

  for (let start = 0; start < opts.customers; start += batchSize) {
    const n = Math.min(batchSize, opts.customers - start)
    const customers = Array.from({ length: n }, (_, i) => {
      const first = rnd.pick(FIRST)
      const last = rnd.pick(lastNames)
      const company = `${rnd.pick(COMPANY_A)} ${rnd.pick(COMPANY_B)} ${rnd.pick(SUFFIX)}`
      const tierRoll = rnd.next()
      const createdAt = new Date(now - rnd.int(730) * dayMs - rnd.int(dayMs))
      return {
        id: seedId(),
        name: `${first} ${last}`,
        email: `${ascii(first)}.${ascii(last)}${start + i}@${ascii(company.split(' ')[0]!)}${ascii(company.split(' ')[1]!)}.example`,
        phone: rnd.next() < 0.7 ? `+49 30 ${1000000 + rnd.int(8999999)}` : null,
        company,
        owner: owner(),
        tags: TAGS.filter(() => rnd.next() < 0.12),
        data: {
          tier: tierRoll < 0.1 ? 'gold' : tierRoll < 0.4 ? 'silver' : 'bronze',
          industry: rnd.pick(INDUSTRIES),
          ...(rnd.next() < 0.9 ? { annualRevenue: Math.round(Math.exp(11 + rnd.next() * 7)) } : {}),
        },
        createdAt,
        updatedAt: createdAt,
      }
    })
    const related = <T>(perCustomer: number, make: (c: (typeof customers)[number]) => T): T[] => {
      const out: T[] = []
      for (const c of customers) {
        let k = Math.floor(perCustomer) + (rnd.next() < perCustomer % 1 ? 1 : 0)
        while (k-- > 0) out.push(make(c))
      }
      return out
    }
    const deals = related(opts.dealsPerCustomer ?? 0.5, (c) => {
      const createdAt = after(c.createdAt, 60)
      const amount = Math.round(Math.exp(7 + rnd.next() * 5)) * 10
      return {
        id: seedId(),
        name: `${rnd.pick(DEAL_WORDS)} – ${c.company}`,
        customerId: c.id,
        amount,
        stage: rnd.pick(STAGES),
        closeDate: new Date(Math.floor((now + (rnd.int(360) - 180) * dayMs) / dayMs) * dayMs),
        owner: owner(),
        data: { source: rnd.pick(SOURCES), ...(rnd.next() < 0.4 ? { discountPercent: rnd.int(30) } : {}) },
        createdAt,
        updatedAt: createdAt,
      }
    })
    const cases = related(opts.casesPerCustomer ?? 0.4, (c) => {
      const createdAt = after(c.createdAt, 90)
      const subject = rnd.pick(SUBJECTS)
      return {
        id: seedId(),
        subject,
        customerId: c.id,
        status: rnd.pick(STATUSES),
        priority: rnd.pick(PRIORITIES),
        assignee: owner(),
        description: `${c.name} (${c.company}) wrote: “${subject}.” Please get back to them.`,
        data: { channel: rnd.pick(CHANNELS), category: rnd.pick(CATEGORIES) },
        createdAt,
        updatedAt: createdAt,
      }
    })
    await insertRows(db, tenantId, 'Customer', customers)
    await insertRows(db, tenantId, 'Deal', deals)
    await insertRows(db, tenantId, 'Case', cases)
    if (opts.activity) {
      const entry = (entity: string, r: { id: string; createdAt: Date }, customerId: string, title: string) => ({
        id: seedId(),
        entity,
        recordId: r.id,
        customerId,
        kind: 'created',
        summary: `Created ${entity} "${title}"`,
        actor: 'Pulse-8 demo data',
        createdAt: r.createdAt,
      })
      await insertRows(db, tenantId, 'Activity', [
        ...customers.map((c) => entry('customer', c, c.id, c.name)),
        ...deals.map((d) => entry('deal', d, d.customerId, d.name)),
        ...cases.map((k) => entry('case', k, k.customerId, k.subject)),
      ])
    }
    // Fresh statistics once the tables have rows, so the planner (and the foreign-key checks'
    // cached plans, which a new ANALYZE invalidates) stop treating them as empty.
    if (start === 0 || (start / batchSize) % 20 === 19) await db.$executeRaw`ANALYZE "Customer", "Deal", "Case"`
    totals.customers += customers.length
    totals.deals += deals.length
    totals.cases += cases.length
    opts.onProgress?.(totals.customers, opts.customers)
  }
  // The embedded database has no autovacuum: leave statistics that match what was written.
  await db.$executeRaw`ANALYZE "Customer", "Deal", "Case", "Activity"`
  return totals
}

/**
 * The demo tenant's starting records (about 30 customers, 20 deals, 25 cases); only into an empty
 * tenant. `variant` (the tenant's position among the demo tenants) picks its own generator seed and
 * its own half of the surnames, so two demo tenants never show the same customer names: side by
 * side, shared names would look like one tenant's data leaking into the other.
 */
export async function seedDemoRecords(root: Db, tenantId: string, variant = 0): Promise<void> {
  if ((await forTenant(root, tenantId).customer.count()) > 0) return
  const lastNames = LAST.filter((_, i) => i % 2 === variant % 2)
  await seedRecords(root, tenantId, { customers: 30, dealsPerCustomer: 0.67, casesPerCustomer: 0.84, seed: 7 + variant, activity: true, lastNames })
}
