import { describe, expect, test } from 'vitest'
import { csvField, guessDelimiter, parseCsv, toCsv } from '../../../app/components/crm/csv'

describe('parseCsv', () => {
  test('reads quoted fields with escaped quotes, delimiters and line breaks', () => {
    const text = 'Name,Notes,Tier\r\n"Acme, Inc.","He said ""hi""\nand left",gold\r\nGlobex,,silver\r\n'
    const csv = parseCsv(text)
    expect(csv.headers).toEqual(['Name', 'Notes', 'Tier'])
    expect(csv.rows).toEqual([
      { Name: 'Acme, Inc.', Notes: 'He said "hi"\nand left', Tier: 'gold' },
      { Name: 'Globex', Notes: '', Tier: 'silver' },
    ])
    expect(csv.warnings).toEqual([])
  })

  test('drops a BOM, skips blank lines, accepts LF and CR line ends', () => {
    const csv = parseCsv('\uFEFFa,b\n1,2\n\n3,4\r5,6')
    expect(csv.headers).toEqual(['a', 'b'])
    expect(csv.rows.map((r) => r.a)).toEqual(['1', '3', '5'])
  })

  test('guesses semicolon and tab delimiters from the header line', () => {
    expect(guessDelimiter('a;b;c\n1,5;2;3')).toBe(';')
    expect(guessDelimiter('a\tb\n1\t2')).toBe('\t')
    expect(parseCsv('Name;Revenue\nAcme;1,5').rows).toEqual([{ Name: 'Acme', Revenue: '1,5' }])
  })

  test('names blank and duplicate headers, and warns about ragged rows and an open quote', () => {
    const csv = parseCsv('Name,,Name\n1,2\n"open')
    expect(csv.headers).toEqual(['Name', 'Column 2', 'Name (2)'])
    expect(csv.rows[0]).toEqual({ Name: '1', 'Column 2': '2', 'Name (2)': '' })
    expect(csv.warnings).toHaveLength(2)
  })
})

describe('writing CSV', () => {
  test('quotes when needed and guards formulas, but not plain negative numbers', () => {
    expect(csvField('plain')).toBe('plain')
    expect(csvField('a,b')).toBe('"a,b"')
    expect(csvField('say "x"')).toBe('"say ""x"""')
    expect(csvField('=SUM(A1)')).toBe("'=SUM(A1)")
    expect(csvField('-5')).toBe('-5')
    expect(csvField(null)).toBe('')
    expect(toCsv(['a', 'b'], [[1, 'x\ny']])).toBe('a,b\r\n1,"x\ny"\r\n')
  })

  test('what it writes, it reads back', () => {
    const rows = [['Acme, Inc.', 'line1\nline2', '"quoted"']]
    expect(parseCsv(toCsv(['a', 'b', 'c'], rows)).rows).toEqual([{ a: 'Acme, Inc.', b: 'line1\nline2', c: '"quoted"' }])
  })
})
