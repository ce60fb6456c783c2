// Field patterns: an admin-written regular expression every record write checks (server) and every
// record form checks (browser, through the same record schema). Patterns run on re2js, the
// JavaScript port of RE2: matching is linear in the value's length whatever the pattern, so no
// pattern can stall the server (JavaScript's backtracking RegExp takes exponential time on
// `(a|aa)+` against "aaa…b"). JavaScript RegExp is used only to tell a pattern that is no regular
// expression at all (invalid_pattern) from one that RE2 does not support (unsupported_pattern:
// backreferences, lookaround, …); it never runs against a value. See docs/decisions/011.
import { RE2JS } from 're2js'

/** Longest pattern source (fieldDefSchema's bound): keeps compiled programs, and so matching, small. */
export const MAX_PATTERN_LENGTH = 500

/**
 * Longest value checked against a pattern. Matching is linear, but a large compiled program times
 * a long value is still work on the event loop; no identifier-like value a pattern is for is longer.
 */
export const MAX_PATTERN_VALUE_LENGTH = 10_000

export type PatternProblem = { code: 'invalid_pattern' | 'unsupported_pattern'; message: string }

type Compiled = { ok: true; re: RE2JS } | { ok: false; problem: PatternProblem }

// Bounded so a stream of distinct patterns (drafts being typed, many tenants) cannot grow memory;
// Map keeps insertion order, and a hit is re-inserted, so the first key is the least recently used.
const CACHE_SIZE = 500
const cache = new Map<string, Compiled>()

function compileUncached(source: string): Compiled {
  if (source.length > MAX_PATTERN_LENGTH) {
    return { ok: false, problem: { code: 'invalid_pattern', message: `a pattern has at most ${MAX_PATTERN_LENGTH} characters` } }
  }
  try {
    return { ok: true, re: RE2JS.compile(source) }
  } catch (error) {
    const detail = error instanceof Error ? error.message.replace(/^error parsing regexp: /, '') : String(error)
    let jsValid = true
    try {
      // Compiling only (never matching): tells "not a regular expression" from "not supported".
      new RegExp(source)
    } catch {
      jsValid = false
    }
    if (!jsValid) return { ok: false, problem: { code: 'invalid_pattern', message: `"${source}" is not a valid regular expression (${detail})` } }
    return {
      ok: false,
      problem: {
        code: 'unsupported_pattern',
        message: `"${source}" uses syntax the pattern engine does not support (${detail}); backreferences (\\1), lookahead/lookbehind ((?=…), (?!…), (?<=…)) and repeat counts above 1000 cannot be used`,
      },
    }
  }
}

function compile(source: string): Compiled {
  let compiled = cache.get(source)
  if (compiled) {
    cache.delete(source)
  } else {
    compiled = compileUncached(source)
    if (cache.size >= CACHE_SIZE) cache.delete(cache.keys().next().value as string)
  }
  cache.set(source, compiled)
  return compiled
}

/** Why a pattern cannot be used (config validation's invalid_pattern / unsupported_pattern), or null. */
export function patternProblem(source: string): PatternProblem | null {
  const compiled = compile(source)
  return compiled.ok ? null : compiled.problem
}

/**
 * Why `value` does not satisfy the field pattern, or null. The whole value must match (like HTML's
 * pattern attribute). Fails closed: a pattern that cannot be compiled (only possible in a snapshot
 * published before a rule existed) turns every value away rather than letting it through.
 */
export function patternValueProblem(source: string, value: string): string | null {
  const compiled = compile(source)
  if (!compiled.ok) return 'cannot be checked: the field’s pattern is not supported; an admin must change it'
  if (value.length > MAX_PATTERN_VALUE_LENGTH) return `must be at most ${MAX_PATTERN_VALUE_LENGTH} characters to be checked against the pattern`
  return compiled.re.testExact(value) ? null : `must match the pattern ${source}`
}
