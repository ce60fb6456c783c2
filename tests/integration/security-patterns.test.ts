// Issue 9, finding 1 (ReDoS): field patterns run on a linear-time engine (re2js), so a tenant's
// pattern cannot freeze the process for every tenant. Before, `(a|aa)+` passed the nested-repetition
// heuristic and `customers.create` with "a"×44+"b" blocked the event loop for ~18 s; with 5,000
// characters this file would hang until killed. Finishing at all is the liveness check.
import { TRPCError } from '@trpc/server'
import { z } from 'zod'
import { describe, expect, it } from 'vitest'
import { useHarness } from '../support/harness'
import { expectTRPCError } from '../support/trpc-error'

const h = useHarness()

type Caller = Awaited<ReturnType<typeof h.asUser>>
type Field = { name: string; label: string; type: string; pattern?: string }
const CUSTOMER_FIELDS = { namespace: 'objects' as const, entity: 'customer', key: 'fields' }

function issuesOf(err: TRPCError): { path: string; message: string }[] {
  expect(err.cause).toBeInstanceOf(z.ZodError)
  return (err.cause as z.ZodError).issues.map((i) => ({ path: i.path.join('.'), message: i.message }))
}

async function saveCustomerFields(admin: Caller, add: Field[]) {
  const item = await admin.config.get(CUSTOMER_FIELDS)
  const content = item.content as { fields: Field[] }
  return admin.config.saveDraft({ ...CUSTOMER_FIELDS, expectedRevision: item.draftRevision, content: { fields: [...content.fields, ...add] } })
}

async function publish(admin: Caller, message: string) {
  const { version } = await admin.config.list()
  return (await admin.config.publish({ expectedVersion: version, message })).version
}

describe('field patterns (ReDoS)', () => {
  it('publishes backtracking classics and answers adversarial values at once: BAD_REQUEST at the field path', async () => {
    const admin = await h.asUser('admin@acme.test', 'acme')
    const saved = await saveCustomerFields(admin, [
      { name: 'alternation', label: 'Alternation', type: 'text', pattern: '(a|aa)+' },
      { name: 'nested', label: 'Nested', type: 'text', pattern: '^(a+)+$' },
      { name: 'polynomial', label: 'Polynomial', type: 'textarea', pattern: '(x+x+)+y' },
    ])
    // The old heuristic refused ^(a+)+$ (unsafe_pattern); RE2 runs it in linear time.
    expect(saved.errors).toEqual([])
    await publish(admin, 'patterns that backtrack in JavaScript')

    const agent = await h.asUser('agent@acme.test', 'acme')
    const cases = [
      ['alternation', `${'a'.repeat(5_000)}b`, '(a|aa)+'],
      ['nested', `${'a'.repeat(5_000)}!`, '^(a+)+$'],
      ['polynomial', 'x'.repeat(5_000), '(x+x+)+y'],
    ] as const
    for (const [field, value, pattern] of cases) {
      const err = await expectTRPCError(agent.customers.create({ values: { name: `Adversarial ${field}`, data: { [field]: value } } }), 'BAD_REQUEST')
      expect(issuesOf(err)).toEqual([{ path: `values.data.${field}`, message: `must match the pattern ${pattern}` }])
    }
    // All three in one write: each reported at its own path.
    const all = await expectTRPCError(
      agent.customers.create({ values: { name: 'All adversarial', data: Object.fromEntries(cases.map(([f, v]) => [f, v])) } }),
      'BAD_REQUEST',
    )
    expect(
      issuesOf(all)
        .map((i) => i.path)
        .sort(),
    ).toEqual(['values.data.alternation', 'values.data.nested', 'values.data.polynomial'])

    const ok = await agent.customers.create({ values: { name: 'Matching', data: { alternation: 'a'.repeat(5_000), nested: 'aaaa', polynomial: 'xxy' } } })
    expect(ok.data).toMatchObject({ alternation: 'a'.repeat(5_000), nested: 'aaaa', polynomial: 'xxy' })
  })

  it('refuses what RE2 cannot run as unsupported_pattern at saveDraft and validate, and bounds pattern length', async () => {
    const admin = await h.asUser('admin@globex.test', 'globex')
    const saved = await saveCustomerFields(admin, [
      { name: 'backref', label: 'Backreference', type: 'text', pattern: '(a)\\1' },
      { name: 'lookahead', label: 'Lookahead', type: 'text', pattern: '(?=a)a' },
    ])
    const fields = ((await admin.config.get(CUSTOMER_FIELDS)).content as { fields: Field[] }).fields
    const at = (name: string) => ['fields', fields.findIndex((f) => f.name === name), 'pattern']
    const expected = [
      expect.objectContaining({
        item: 'objects/customer/fields',
        code: 'unsupported_pattern',
        path: at('backref'),
        message: expect.stringMatching(/backreferences/),
      }),
      expect.objectContaining({
        item: 'objects/customer/fields',
        code: 'unsupported_pattern',
        path: at('lookahead'),
        message: expect.stringMatching(/lookahead/),
      }),
    ]
    expect(saved.errors).toEqual(expected)
    expect((await admin.config.validate()).errors).toEqual(expected)
    expect((await admin.config.validate({ item: CUSTOMER_FIELDS })).errors).toEqual(expected)
    const { version } = await admin.config.list()
    await expectTRPCError(admin.config.publish({ expectedVersion: version, message: 'unsupported' }), 'BAD_REQUEST')
    await admin.config.discardDraft(CUSTOMER_FIELDS)

    const long = await saveCustomerFields(admin, [{ name: 'longPattern', label: 'Long', type: 'text', pattern: 'a'.repeat(501) }])
    expect(long.errors).toEqual([expect.objectContaining({ code: 'invalid_structure', path: expect.arrayContaining(['pattern']) })])
    await admin.config.discardDraft(CUSTOMER_FIELDS)
  })

  it('fails closed on a published snapshot that still holds a pattern RE2 cannot run', async () => {
    const admin = await h.asUser('admin@globex.test', 'globex')
    await saveCustomerFields(admin, [{ name: 'legacy', label: 'Legacy', type: 'text', pattern: '[a-z]+' }])
    const version = await publish(admin, 'legacy pattern')
    // A snapshot published before unsupported_pattern existed: rewrite it as such in place.
    const tenantId = h.tenantId('globex')
    const db = h.services.db
    const snap = await db.configSnapshot.findUniqueOrThrow({ where: { tenantId_version: { tenantId, version } } })
    const content = JSON.parse(JSON.stringify(snap.content).replace('"[a-z]+"', JSON.stringify('(a)\\1')))
    expect(JSON.stringify(content)).toContain('(a)\\\\1')
    await db.configSnapshot.update({ where: { tenantId_version: { tenantId, version } }, data: { content } })

    const err = await expectTRPCError(admin.customers.create({ values: { name: 'Legacy', data: { legacy: 'aa' } } }), 'BAD_REQUEST')
    expect(issuesOf(err)).toEqual([{ path: 'values.data.legacy', message: expect.stringMatching(/pattern is not supported/) }])
    // Records that leave the field empty are unaffected.
    await admin.customers.create({ values: { name: 'Legacy, no value' } })
  })
})
