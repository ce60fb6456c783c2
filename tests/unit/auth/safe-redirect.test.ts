// safeRedirect: every redirect target from input stays on this site, however it is disguised.
import { describe, expect, it } from 'vitest'
import { safeRedirect } from '../../../app/utils/safe-redirect'

const OFF_SITE = [
  ['tab between slashes (issue 9, finding 2)', '/\t/evil.test/x'],
  ['newline between slashes', '/\n/evil.test'],
  ['carriage return', '/\r/evil.test'],
  ['NUL', '/\u0000/evil.test'],
  ['C1 control', '/\u0085/evil.test'],
  ['ideographic space', '/\u3000/evil.test'],
  ['leading space', ' //evil.test'],
  ['protocol-relative', '//evil.test'],
  ['slash backslash', '/\\evil.test'],
  ['backslash backslash', '\\\\evil.test'],
  ['slash backslash after a dot segment', '/.\\/evil.test'],
  ['dot segments resolving to //', '/a/../..//evil.test'],
  ['absolute URL', 'https://evil.test/'],
  ['scheme-relative with credentials', '//user@evil.test'],
  ['javascript:', 'javascript:alert(1)'],
  ['data:', 'data:text/html,<script>alert(1)</script>'],
  ['encoded double slash', '/%2F%2Fevil.test'],
  ['encoded slash after slash', '/%2F/evil.test'],
  ['double-encoded double slash', '/%252F%252Fevil.test'],
  ['encoded backslash', '/%5Cevil.test'],
  ['encoded tab', '/%09/evil.test'],
  ['broken percent-encoding', '/%E0%A4%A'],
  ['relative path', 'evil.test'],
  ['empty', ''],
  ['very long', `/${'a'.repeat(3_000)}`],
] as const

describe('safeRedirect', () => {
  it.each(OFF_SITE)('refuses %s', (_name, target) => {
    expect(safeRedirect(target)).toBe('/')
    expect(safeRedirect(target, '/home')).toBe('/home')
  })

  it.each([
    ['/', '/'],
    ['/deals', '/deals'],
    ['/customers/abc?view=all&q=a%20b#notes', '/customers/abc?view=all&q=a%20b#notes'],
    ['/x?next=%2F%2Fevil.test', '/x?next=%2F%2Fevil.test'], // only the path decides where the browser goes
    ['/a/./b/../c', '/a/c'], // normalised the way the browser resolves it
    ['/a\\b', '/a/b'],
  ])('keeps the same-origin path %s as %s', (target, expected) => {
    expect(safeRedirect(target)).toBe(expected)
  })

  it('refuses what is not a string (a File from a form, null, undefined)', () => {
    expect(safeRedirect(null)).toBe('/')
    expect(safeRedirect(undefined)).toBe('/')
    expect(safeRedirect(new File(['x'], 'x.txt'))).toBe('/')
  })
})
