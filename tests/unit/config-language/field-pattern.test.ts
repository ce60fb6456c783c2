import { describe, expect, test } from 'vitest'
import {
  MAX_PATTERN_LENGTH,
  MAX_PATTERN_VALUE_LENGTH,
  fieldDefSchema,
  fieldValueProblem,
  patternProblem,
  patternValueProblem,
} from '../../../server/config-language'

const field = (pattern: string) => ({ name: 'code', label: 'Code', type: 'text' as const, builtIn: false, required: false, pattern })

describe('field patterns', () => {
  test('match the whole value', () => {
    expect(fieldValueProblem(field('DE\\d{9}'), 'DE123456789')).toBeNull()
    expect(fieldValueProblem(field('DE\\d{9}'), 'xDE123456789')).toBe('must match the pattern DE\\d{9}')
    expect(fieldValueProblem(field('DE\\d{9}'), 'DE1234567890')).toBe('must match the pattern DE\\d{9}')
    // An alternation is anchored as a whole, not just its first branch.
    expect(patternValueProblem('a|ab', 'ab')).toBeNull()
  })

  test.each(['(a|aa)+', '^(a+)+$', '(x+x+)+y', '(\\w+\\s?)*'])(
    '%s, a backtracking classic, is accepted and answers at once on an adversarial value',
    (pattern) => {
      expect(patternProblem(pattern)).toBeNull()
      // With JavaScript's RegExp each of these takes seconds to ages on such values; RE2 is linear.
      const adversarial = `${(pattern.includes('x') ? 'x' : 'a').repeat(5_000)}!`
      expect(fieldValueProblem(field(pattern), adversarial)).toBe(`must match the pattern ${pattern}`)
    },
  )

  test('a matching value of a classic is accepted', () => {
    expect(fieldValueProblem(field('(a|aa)+'), 'a'.repeat(5_000))).toBeNull()
    expect(fieldValueProblem(field('(x+x+)+y'), `${'x'.repeat(100)}y`)).toBeNull()
  })

  test.each([
    ['(a)\\1', /backreferences/],
    ['(?=a)a', /lookahead/],
    ['(?!a)b', /lookahead/],
    ['(?<=a)b', /lookbehind/],
    ['a{1001}', /above 1000/],
  ])('%s cannot run on RE2: unsupported_pattern with a human message', (pattern, message) => {
    const problem = patternProblem(pattern)
    expect(problem?.code).toBe('unsupported_pattern')
    expect(problem?.message).toMatch(message)
  })

  test('a pattern that is no regular expression at all is invalid_pattern', () => {
    expect(patternProblem('([a-z')?.code).toBe('invalid_pattern')
    expect(patternProblem('a)')?.code).toBe('invalid_pattern')
  })

  test('a published pattern the engine cannot run fails closed: every value is turned away, nothing runs', () => {
    expect(fieldValueProblem(field('(a)\\1'), 'aa')).toMatch(/pattern is not supported/)
    expect(fieldValueProblem(field('([a-z'), 'a')).toMatch(/pattern is not supported/)
  })

  test('pattern length is bounded by the field schema; values checked against a pattern by length', () => {
    const long = 'a'.repeat(MAX_PATTERN_LENGTH + 1)
    const parsed = fieldDefSchema.safeParse(field(long))
    expect(parsed.success).toBe(false)
    expect(parsed.error?.issues[0]?.path).toEqual(['pattern'])
    expect(patternProblem(long)?.code).toBe('invalid_pattern')
    expect(fieldValueProblem(field('a*'), 'a'.repeat(MAX_PATTERN_VALUE_LENGTH))).toBeNull()
    expect(fieldValueProblem(field('a*'), 'a'.repeat(MAX_PATTERN_VALUE_LENGTH + 1))).toMatch(/at most 10000 characters/)
  })

  test('the compiled-pattern cache stays correct past its bound', () => {
    for (let i = 0; i < 1_200; i++) expect(patternValueProblem(`p${i}\\d`, `p${i}7`)).toBeNull()
    expect(patternValueProblem('p0\\d', 'p0x')).toBe('must match the pattern p0\\d')
  })
})
