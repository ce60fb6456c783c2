import { describe, expect, test } from 'vitest'
import { storableProblems } from '../../../server/db/storable-input'

const check = (value: unknown, allowDates = true) => storableProblems(value, { allowDates })

describe('storableProblems', () => {
  test('plain JSON, pairs of surrogates and undefined properties are fine', () => {
    expect(check({ a: [1, 'two', null, true, { b: '\u{1F600}' }], c: undefined })).toEqual([])
  })

  test('names the path of each problem', () => {
    expect(check({ a: ['ok', 'x\u0000'], 'k\u0000': 1, s: 'lone \uDC00', n: Number.NaN, i: Infinity })).toEqual(
      expect.arrayContaining([
        { path: ['a', 1], message: 'text must not contain NUL (U+0000) characters' },
        { path: ['k\u0000'], message: 'a key must not contain NUL (U+0000) characters' },
        { path: ['s'], message: 'text must not contain unpaired UTF-16 surrogates' },
        { path: ['n'], message: 'expected a finite number' },
        { path: ['i'], message: 'expected a finite number' },
      ]),
    )
  })

  test('refuses what JSON has no form for', () => {
    // eslint-disable-next-line no-sparse-arrays
    const problems = check({ big: 1n, fn: () => 1, sym: Symbol('s'), map: new Map(), holes: [1, , 3], proto: JSON.parse('{"__proto__": {}}') })
    expect(problems.map((p) => p.path.join('.')).sort()).toEqual(['big', 'fn', 'holes.1', 'map', 'proto.__proto__', 'sym'])
  })

  test('dates pass only where asked for', () => {
    expect(check({ at: new Date() }, true)).toEqual([])
    expect(check({ at: new Date() }, false)).toEqual([{ path: ['at'], message: 'expected a JSON value, not a date object' }])
  })

  test('bounds depth and the number of problems without recursing', () => {
    let deep: unknown = 'bottom'
    for (let i = 0; i < 50_000; i++) deep = [deep]
    expect(check(deep)).toEqual([{ path: Array(100).fill(0), message: 'nests deeper than 100 levels' }])
    expect(check(Array.from({ length: 1000 }, () => Number.NaN))).toHaveLength(20)
  })
})
