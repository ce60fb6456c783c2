import { describe, expect, test } from 'vitest'
import { compilePattern, fieldValueProblem, isSafePattern, isValidPattern } from '../../../server/config-language'

const field = (pattern: string) => ({ name: 'code', label: 'Code', type: 'text' as const, builtIn: false, required: false, pattern })

describe('field patterns', () => {
  test('match the whole value', () => {
    expect(fieldValueProblem(field('DE\\d{9}'), 'DE123456789')).toBeNull()
    expect(fieldValueProblem(field('DE\\d{9}'), 'xDE123456789')).toBe('must match the pattern DE\\d{9}')
  })

  test('nested repetition is unsafe: never run, and values are turned away rather than let through', () => {
    expect(isValidPattern('(a+)+')).toBe(true)
    expect(isSafePattern('(a+)+')).toBe(false)
    expect(compilePattern('(a+)+')).toBeNull()
    // A value built to make (a+)+ backtrack exponentially answers at once.
    expect(fieldValueProblem(field('(a+)+'), `${'a'.repeat(40)}!`)).toMatch(/pattern is unsafe/)
    expect(fieldValueProblem(field('(a+)+'), 'aaa')).toMatch(/pattern is unsafe/)
  })
})
