// Views executed in SQL must answer exactly like the config language's evaluator: every operator
// on built-in and custom fields (and its negation), AND/OR/NOT groups and named conditions, sorts
// on custom numbers, dates and datetimes with empty values, keyset pagination that neither repeats
// nor skips rows while rows are inserted between pages, and input that tries SQL.
import { TRPCError } from '@trpc/server'
import { beforeAll, describe, expect, it } from 'vitest'
import { z } from 'zod'
import {
  CHANGE_OPERATORS,
  evaluateCondition,
  isEmptyValue,
  LIST_OPERATORS,
  operatorsFor,
  readField,
  VALUELESS_OPERATORS,
  type Condition,
  type FieldDef,
  type Operator,
} from '../../server/config-language'
import { useHarness } from '../support/harness'
import { expectTRPCError } from '../support/trpc-error'

const h = useHarness()
type Caller = Awaited<ReturnType<typeof h.asUser>>
type Row = Awaited<ReturnType<Caller['customers']['list']>>['rows'][number]

const EXTRA_FIELDS = [
  { name: 'batch', label: 'Test batch', type: 'text' },
  { name: 'score', label: 'Score', type: 'number' },
  { name: 'since', label: 'Customer since', type: 'date' },
  { name: 'lastContact', label: 'Last contact', type: 'datetime' },
  { name: 'vip', label: 'VIP', type: 'boolean' },
  { name: 'segments', label: 'Segments', type: 'multiselect', options: ['smb', 'mid', 'ent'].map((v) => ({ value: v, label: v })) },
  { name: 'region', label: 'Region', type: 'select', options: ['north', 'south', 'east', 'west'].map((v) => ({ value: v, label: v })) },
  { name: 'notes', label: 'Notes', type: 'textarea' },
  { name: 'site', label: 'Website', type: 'url' },
]

const HOUR = 3_600_000

/** Fixture customers (all in batch "ops"), with values, gaps, case and unicode variety. */
function fixtures(ownerId: string): Record<string, unknown>[] {
  const at = (h: number) => new Date(Date.UTC(2026, 0, 15, 12) + h * HOUR).toISOString()
  return [
    {
      name: 'Ärzte Verbund',
      email: 'kontakt@aerzte.example',
      company: 'Ärzte eG',
      owner: ownerId,
      tags: ['vip', 'health'],
      data: {
        tier: 'gold',
        industry: 'Healthcare',
        annualRevenue: 5_000_000,
        score: 90,
        since: '2019-03-01',
        lastContact: at(0),
        vip: true,
        segments: ['ent'],
        region: 'north',
        notes: 'Long standing',
        site: 'https://aerzte.example',
      },
    },
    {
      name: 'blue harbor',
      email: 'ops@blueharbor.example',
      company: 'Blue Harbor Ltd',
      tags: ['partner'],
      data: {
        tier: 'silver',
        industry: 'logistics',
        annualRevenue: 750_000,
        score: 40,
        since: '2021-07-15',
        lastContact: '2026-01-15T14:00:00+02:00',
        vip: false,
        segments: ['smb', 'mid'],
        region: 'south',
      },
    },
    {
      name: 'Blue Harbor East',
      company: 'Blue Harbor Ltd',
      data: { tier: 'bronze', industry: 'Logistics', score: 40, since: '2021-07-15', segments: ['mid'], region: 'east', notes: 'Sister company' },
    },
    {
      name: 'Cedar Foods',
      email: 'hello@cedar.example',
      phone: '+49 30 123456',
      owner: ownerId,
      tags: [],
      data: {
        tier: 'gold',
        industry: 'Retail',
        annualRevenue: 12_000_000,
        score: 75.5,
        lastContact: at(-48),
        vip: true,
        segments: ['ent', 'mid'],
        region: 'west',
      },
    },
    {
      name: 'Delta Robotics',
      email: 'info@delta.example',
      data: { tier: 'bronze', annualRevenue: 0, score: 0, since: '2024-12-31', vip: false, segments: [] },
    },
    {
      name: 'Echo Media',
      company: 'echo media',
      tags: ['newsletter', 'vip'],
      data: { tier: 'silver', industry: 'Media', annualRevenue: 300_000, score: -5, since: '2025-02-28', lastContact: at(5) },
    },
    {
      name: 'Fjord Energy',
      phone: '+47 22 000000',
      data: {
        tier: 'bronze',
        industry: 'Energy',
        annualRevenue: 9_999_999.99,
        since: '2018-01-01',
        lastContact: at(-1),
        region: 'north',
        site: 'https://fjord.example/about',
      },
    },
    {
      name: 'Zoë Ünïcødé 🚀',
      email: 'zoe@unicode.example',
      company: 'Ünïcødé SARL',
      data: { tier: 'gold', industry: 'Software', score: 99, region: 'south', notes: 'Emoji 🚀 and ümlauts' },
    },
    {
      name: 'Gamma Textiles',
      owner: ownerId,
      data: {
        tier: 'silver',
        industry: 'textiles',
        annualRevenue: 1_000_000,
        score: 60,
        since: '2022-05-05',
        lastContact: at(24),
        vip: true,
        segments: ['smb'],
      },
    },
    {
      name: 'Harbor Capital',
      email: 'desk@harborcap.example',
      company: 'Harbor Capital AG',
      tags: ['partner', 'vip'],
      data: { tier: 'bronze', industry: 'Finance', annualRevenue: 20_000_000, score: 60, lastContact: at(-200) },
    },
  ].map((r) => ({ ...r, data: { batch: 'ops', ...r.data } }))
}

const OPS: Condition = { field: 'batch', op: 'eq', value: 'ops' }

async function ids(caller: Caller, input: Parameters<Caller['customers']['list']>[0]): Promise<string[]> {
  const out: string[] = []
  let cursor: string | undefined
  do {
    const page = await caller.customers.list({ ...input, cursor, limit: 4 })
    out.push(...page.rows.map((r) => r.id))
    cursor = page.nextCursor ?? undefined
  } while (cursor)
  return out
}

/** Operands to try per field and operator, taken from the fixture values. */
function operands(def: FieldDef, op: Operator, rows: Row[]): unknown[] {
  if (VALUELESS_OPERATORS.includes(op)) return [undefined]
  const present = rows.map((r) => readField(r, def)).filter((v) => !isEmptyValue(v))
  const flat = present.flatMap((v) => (Array.isArray(v) ? v : [v])) as (string | number | boolean)[]
  const distinct = [...new Set(flat.map((v) => JSON.stringify(v)))].map((v) => JSON.parse(v) as string | number | boolean)
  if (distinct.length === 0) return []
  const mid = distinct.length > 1 ? distinct[Math.floor(distinct.length / 2)]! : distinct[0]!
  if (LIST_OPERATORS.includes(op)) return [distinct.slice(0, 2), [mid]]
  if (def.type === 'boolean') return [true, false]
  if (def.type === 'datetime') {
    // The same instant written with another offset, and a date (midnight UTC).
    const t = new Date(String(mid))
    return [
      new Date(t.getTime() + 2 * HOUR)
        .toISOString()
        .replace('Z', '+02:00')
        .replace(/\.\d{3}/, ''),
      String(mid).slice(0, 10),
    ]
  }
  if (op === 'contains' && typeof mid === 'string') return def.type === 'multiselect' ? [mid] : [mid.slice(1, 4).toUpperCase(), 'zzz-none']
  if (op === 'startsWith' && typeof mid === 'string') return [mid.slice(0, 3).toUpperCase(), mid.slice(0, 3)]
  if ((op === 'eq' || op === 'neq') && typeof mid === 'string' && def.type !== 'select' && def.type !== 'user' && def.type !== 'lookup')
    return [mid, mid.toUpperCase()]
  return [mid, distinct[0]]
}

describe('views in SQL', () => {
  let admin: Caller
  let agent: Caller
  let rows: Row[]
  let fields: FieldDef[]

  beforeAll(async () => {
    admin = await h.asUser('admin@acme.test', 'acme')
    agent = await h.asUser('agent@acme.test', 'acme')
    const objects = { namespace: 'objects' as const, entity: 'customer', key: 'fields' }
    const item = await admin.config.get(objects)
    await admin.config.saveDraft({
      ...objects,
      expectedRevision: item.draftRevision,
      content: { fields: [...(item.content as { fields: object[] }).fields, ...EXTRA_FIELDS] },
    })
    await admin.config.saveDraft({
      namespace: 'conditions',
      entity: 'customer',
      key: 'is-big',
      expectedRevision: 0,
      content: { label: 'Big', when: { field: 'annualRevenue', op: 'gte', value: 1_000_000 } },
    })
    await admin.config.saveDraft({
      namespace: 'views',
      entity: 'customer',
      key: 'admins-only',
      expectedRevision: 0,
      content: {
        label: 'Admins only',
        columns: [{ field: 'name' }],
        sort: [{ field: 'score', direction: 'desc' }],
        pageSize: 3,
        filter: OPS,
        visibleTo: ['ADMIN'],
      },
    })
    const { version } = await admin.config.list()
    await admin.config.publish({ expectedVersion: version, message: 'view test fields' })
    const live = await admin.runtime.config()
    fields = (live.items.find((i) => i.namespace === 'objects' && i.entity === 'customer')!.content as { fields: FieldDef[] }).fields
    const ownerId = (await agent.auth.me()).user!.id
    for (const values of fixtures(ownerId)) await agent.customers.create({ values })
    rows = (await agent.customers.list({ filter: OPS, limit: 200 })).rows
    expect(rows).toHaveLength(10)
  })

  it('answers every operator on every field like evaluateCondition, and its negation too', async () => {
    let checked = 0
    for (const def of fields) {
      if (def.name === 'batch') continue
      for (const op of operatorsFor(def.type)) {
        if (CHANGE_OPERATORS.includes(op)) continue
        for (const value of operands(def, op, rows)) {
          const leaf = (value === undefined ? { field: def.name, op } : { field: def.name, op, value }) as Condition
          for (const cond of [leaf, { not: leaf } as Condition]) {
            const expected = rows.filter((r) => evaluateCondition(cond, r, { fields, entity: 'customer' })).map((r) => r.id)
            const got = await ids(agent, { filter: { all: [OPS, cond] }, sort: [{ field: 'name', direction: 'asc' }] })
            expect(new Set(got), JSON.stringify(cond)).toEqual(new Set(expected))
            expect(got.length, JSON.stringify(cond)).toBe(expected.length)
            checked++
          }
        }
      }
    }
    expect(checked).toBeGreaterThan(200)
  })

  it('spells out a few semantics: neq/notIn include empty values, text matching ignores case', async () => {
    // Sorted here, not by the database: collations differ between servers.
    const names = async (filter: Condition) => (await agent.customers.list({ filter: { all: [OPS, filter] } })).rows.map((r) => String(r.name)).sort()
    expect(await names({ field: 'region', op: 'neq', value: 'north' })).toHaveLength(8)
    expect(await names({ field: 'region', op: 'notIn', value: ['north', 'south'] })).toHaveLength(6)
    expect(await names({ field: 'industry', op: 'eq', value: 'logistics' })).toEqual(['blue harbor'])
    expect(await names({ field: 'industry', op: 'contains', value: 'LOGIST' })).toHaveLength(2)
    expect(await names({ field: 'name', op: 'contains', value: 'ÜNÏ' })).toEqual(['Zoë Ünïcødé 🚀'])
    expect(await names({ field: 'name', op: 'startsWith', value: 'ärz' })).toEqual(['Ärzte Verbund'])
    expect(await names({ field: 'segments', op: 'contains', value: 'mid' })).toEqual(['Blue Harbor East', 'Cedar Foods', 'blue harbor'])
    expect(await names({ field: 'segments', op: 'in', value: ['smb', 'ent'] })).toHaveLength(4)
    expect(await names({ field: 'segments', op: 'isEmpty' })).toHaveLength(5)
    expect(await names({ field: 'tags', op: 'contains', value: 'vip' })).toEqual(['Echo Media', 'Harbor Capital', 'Ärzte Verbund'])
    // 14:00+02:00 is 12:00Z, the same instant as the first fixture's.
    expect(await names({ field: 'lastContact', op: 'eq', value: '2026-01-15T12:00:00Z' })).toEqual(['blue harbor', 'Ärzte Verbund'])
    expect(await names({ field: 'annualRevenue', op: 'gt', value: 9_999_999.98 })).toEqual(['Cedar Foods', 'Fjord Energy', 'Harbor Capital'])
  })

  it('combines AND/OR/NOT groups and named conditions', async () => {
    const groups: Condition[] = [
      {
        any: [
          { field: 'tier', op: 'eq', value: 'gold' },
          {
            all: [
              { field: 'vip', op: 'eq', value: false },
              { field: 'score', op: 'gte', value: 40 },
            ],
          },
        ],
      },
      {
        all: [
          { not: { field: 'email', op: 'isEmpty' } },
          {
            any: [
              { field: 'region', op: 'in', value: ['north', 'west'] },
              { field: 'since', op: 'lt', value: '2020-01-01' },
            ],
          },
        ],
      },
      {
        not: {
          any: [
            { field: 'tags', op: 'contains', value: 'vip' },
            { field: 'company', op: 'contains', value: 'harbor' },
          ],
        },
      },
      { any: [] },
      { all: [] },
      { not: { all: [] } },
      { all: [{ ref: 'is-big' }, { not: { field: 'tier', op: 'eq', value: 'gold' } }] },
    ]
    const resolve = (key: string) => (key === 'is-big' ? ({ field: 'annualRevenue', op: 'gte', value: 1_000_000 } as Condition) : undefined)
    for (const cond of groups) {
      const expected = rows.filter((r) => evaluateCondition(cond, r, { fields, entity: 'customer', conditions: resolve })).map((r) => r.id)
      expect(new Set(await ids(agent, { filter: { all: [OPS, cond] } })), JSON.stringify(cond)).toEqual(new Set(expected))
    }
    const bad = await expectTRPCError(agent.customers.list({ filter: { ref: 'became-gold' } }), 'BAD_REQUEST')
    expect(bad.message).toMatch(/changedTo/)
    await expectTRPCError(agent.customers.list({ filter: { ref: 'no-such-condition' } }), 'BAD_REQUEST')
  })

  function expectedOrder(key: (r: Row) => number | string | null, dir: 'asc' | 'desc'): string[] {
    return [...rows]
      .sort((a, b) => {
        const ka = key(a)
        const kb = key(b)
        if (ka === null || kb === null) return ka === kb ? (a.id < b.id ? -1 : 1) * (dir === 'asc' ? 1 : -1) : ka === null ? 1 : -1
        if (ka !== kb) return (ka < kb ? -1 : 1) * (dir === 'asc' ? 1 : -1)
        return (a.id < b.id ? -1 : 1) * (dir === 'asc' ? 1 : -1)
      })
      .map((r) => r.id)
  }

  it('sorts on a custom number, date and datetime (empty last), paginated by cursor', async () => {
    const num = (r: Row) => (typeof r.data.score === 'number' ? r.data.score : null)
    const date = (r: Row) => (typeof r.data.since === 'string' ? r.data.since : null)
    const time = (r: Row) => (typeof r.data.lastContact === 'string' ? Date.parse(r.data.lastContact) : null)
    for (const dir of ['asc', 'desc'] as const) {
      expect(await ids(agent, { filter: OPS, sort: [{ field: 'score', direction: dir }] })).toEqual(expectedOrder(num, dir))
      expect(await ids(agent, { filter: OPS, sort: [{ field: 'since', direction: dir }] })).toEqual(expectedOrder(date, dir))
      expect(await ids(agent, { filter: OPS, sort: [{ field: 'lastContact', direction: dir }] })).toEqual(expectedOrder(time, dir))
    }
    // Several keys in mixed directions: pages concatenate to the single-page answer.
    for (const sort of [
      [
        { field: 'tier', direction: 'asc' },
        { field: 'annualRevenue', direction: 'desc' },
      ],
      [
        { field: 'company', direction: 'desc' },
        { field: 'score', direction: 'asc' },
      ],
      [{ field: 'name', direction: 'asc' }],
      [
        { field: 'vip', direction: 'desc' },
        { field: 'createdAt', direction: 'asc' },
      ],
    ] as const) {
      const whole = (await agent.customers.list({ filter: OPS, sort: [...sort], limit: 200 })).rows.map((r) => r.id)
      expect(await ids(agent, { filter: OPS, sort: [...sort] })).toEqual(whole)
    }
    await expectTRPCError(agent.customers.list({ sort: [{ field: 'segments', direction: 'asc' }] }), 'BAD_REQUEST')
  })

  it('pages without duplicates or gaps while rows are inserted between pages', async () => {
    const make = (i: number, score: number | null) =>
      agent.customers.create({ values: { name: `Paged ${i}`, data: { batch: 'paging', ...(score === null ? {} : { score }) } } })
    const scoreOf = (i: number) => (i % 7 === 0 ? null : (i * 37) % 50)
    const original = new Set<string>()
    for (let i = 0; i < 40; i++) original.add((await make(i, scoreOf(i))).id)
    for (const sort of [[{ field: 'score', direction: 'asc' }], [{ field: 'createdAt', direction: 'desc' }], [{ field: 'name', direction: 'desc' }]] as const) {
      const seen: string[] = []
      let cursor: string | undefined
      let n = 1000
      do {
        const page = await agent.customers.list({ filter: { field: 'batch', op: 'eq', value: 'paging' }, sort: [...sort], limit: 7, cursor })
        seen.push(...page.rows.map((r) => r.id))
        cursor = page.nextCursor ?? undefined
        // Concurrent writers: new rows land before and after the cursor.
        for (let k = 0; k < 3; k++) await make(n, scoreOf(n++))
      } while (cursor)
      expect(new Set(seen).size, 'no duplicates').toBe(seen.length)
      for (const id of original) expect(seen, 'no gaps').toContain(id)
    }
  })

  it('counts the total over the same filter and uses the view page size', async () => {
    const page = await agent.customers.list({ filter: { all: [OPS, { field: 'tier', op: 'eq', value: 'gold' }] }, limit: 2 })
    expect(page.total).toBe(3)
    expect(page.rows).toHaveLength(2)
    expect(page.nextCursor).not.toBeNull()
    const rest = await agent.customers.list({ filter: { all: [OPS, { field: 'tier', op: 'eq', value: 'gold' }] }, limit: 2, cursor: page.nextCursor! })
    expect(rest).toMatchObject({ total: 3, nextCursor: null })
    expect(rest.rows).toHaveLength(1)
  })

  it('runs published views: their filter AND the ad-hoc one, their sort unless sort is given', async () => {
    const gold = await agent.customers.list({ view: 'gold', filter: OPS })
    expect(gold.view).toEqual({ key: 'gold', version: expect.any(Number) })
    expect(gold.rows.map((r) => r.name)).toEqual(['Cedar Foods', 'Ärzte Verbund', 'Zoë Ünïcødé 🚀'])
    const byScore = await agent.customers.list({ view: 'gold', filter: OPS, sort: [{ field: 'score', direction: 'desc' }] })
    expect(byScore.rows.map((r) => r.name)).toEqual(['Zoë Ünïcødé 🚀', 'Ärzte Verbund', 'Cedar Foods'])
    await expectTRPCError(agent.customers.list({ view: 'no-such-view' }), 'NOT_FOUND')
    // visibleTo: ADMIN only.
    await expectTRPCError(agent.customers.list({ view: 'admins-only' }), 'NOT_FOUND')
    const adminsOnly = await admin.customers.list({ view: 'admins-only' })
    expect(adminsOnly.rows.map((r) => r.data.score)).toEqual([99, 90, 75.5])
    expect(adminsOnly.total).toBe(10)
  })

  it('previews an unpublished view (studio:read), checking it like a publish would', async () => {
    const draft = {
      label: 'Draft',
      columns: [{ field: 'name' }],
      filter: { all: [OPS, { field: 'tier', op: 'eq', value: 'silver' }] },
      sort: [{ field: 'score', direction: 'asc' }],
      pageSize: 2,
    }
    const preview = await admin.customers.list({ viewDraft: draft })
    expect(preview).toMatchObject({ total: 3, view: null })
    expect(preview.rows.map((r) => r.name)).toEqual(['Echo Media', 'blue harbor'])
    const manager = await h.asUser('manager@acme.test', 'acme')
    expect((await manager.customers.list({ viewDraft: draft })).total).toBe(3)
    await expectTRPCError(agent.customers.list({ viewDraft: draft }), 'FORBIDDEN')
    const err = await expectTRPCError(
      admin.customers.list({ viewDraft: { ...draft, filter: { field: 'tier', op: 'changedTo', value: 'gold' } } }),
      'BAD_REQUEST',
    )
    expect((err.cause as z.ZodError).issues.map((i) => i.path.join('.'))).toEqual(['viewDraft.filter.op'])
    await expectTRPCError(admin.customers.list({ viewDraft: { ...draft, pageSize: 0 } }), 'BAD_REQUEST')
  })

  it('treats SQL in values as data and rejects SQL in field names; the table survives', async () => {
    const evil = [`Robert'); DROP TABLE "Customer";--`, `x' OR '1'='1`, `50% off_sale \\ "quoted"`, `$1 :: text; SELECT pg_sleep(5)`]
    for (const name of evil) await agent.customers.create({ values: { name, company: name, data: { batch: 'evil', industry: name } } })
    for (const name of evil) {
      for (const field of ['name', 'industry']) {
        const page = await agent.customers.list({ filter: { field, op: 'eq', value: name } })
        expect(page.rows.map((r) => r.name)).toEqual([name])
      }
      expect((await agent.customers.list({ search: name })).rows.map((r) => r.name)).toEqual([name])
    }
    expect((await agent.customers.list({ filter: { field: 'batch', op: 'eq', value: 'evil' }, search: '%' })).rows.map((r) => r.name)).toEqual([evil[2]])
    expect((await agent.customers.list({ filter: { field: 'name', op: 'startsWith', value: '_' } })).total).toBe(0)
    expect((await agent.customers.list({ filter: { field: 'name', op: 'in', value: evil } })).total).toBe(4)

    const badInputs: Array<Parameters<Caller['customers']['list']>[0]> = [
      { filter: { field: 'name"; DROP TABLE "Customer"; --', op: 'eq', value: 'x' } },
      { filter: { field: 'tier) OR (1=1', op: 'eq', value: 'x' } },
      { filter: { field: 'pgSleep', op: 'eq', value: 'x' } },
      { filter: { field: 'name', op: 'eq; drop table', value: 'x' } as unknown as Condition },
      { filter: { field: 'score', op: 'gt', value: `1; DROP TABLE "Customer"` } },
      { filter: { field: 'since', op: 'lt', value: `2020-01-01'; --` } },
      { sort: [{ field: 'name DESC; DROP TABLE "Customer"', direction: 'asc' }] },
      { sort: [{ field: 'name', direction: 'asc; drop' as 'asc' }] },
      {
        cursor: Buffer.from(JSON.stringify({ v: [`x'; DROP TABLE "Customer"; --`], id: 'x', k: 'score:asc' })).toString('base64url'),
        sort: [{ field: 'score', direction: 'asc' }],
      },
      { cursor: Buffer.from(JSON.stringify({ v: ['2026-02-30 10:00:00'], id: 'x', k: 'createdAt:desc' })).toString('base64url') },
      { cursor: 'not even base64 json' },
      { view: `all'; DROP TABLE "Customer"; --` },
    ]
    for (const input of badInputs) {
      const err = await callBad(agent, input)
      expect(['BAD_REQUEST', 'NOT_FOUND'], JSON.stringify(input)).toContain(err.code)
    }
    // A cursor carrying text for a text sort is only ever a bind parameter.
    const textCursor = Buffer.from(JSON.stringify({ v: [`zz'); DROP TABLE "Customer";--`], id: `'; --`, k: 'name:asc' })).toString('base64url')
    expect((await agent.customers.list({ sort: [{ field: 'name', direction: 'asc' }], cursor: textCursor })).rows.length).toBeGreaterThan(0)

    const [table] = await h.services.db.$queryRaw<{ t: string | null }[]>`SELECT to_regclass('public."Customer"')::text AS t`
    expect(table!.t).toBe('"Customer"')
    expect((await agent.customers.list({ limit: 1 })).total).toBeGreaterThan(60)
  })
})

async function callBad(caller: Caller, input: unknown): Promise<TRPCError> {
  const err = await caller.customers.list(input as Parameters<Caller['customers']['list']>[0]).then(
    () => null,
    (e: unknown) => e,
  )
  expect(err, JSON.stringify(input)).toBeInstanceOf(TRPCError)
  return err as TRPCError
}
