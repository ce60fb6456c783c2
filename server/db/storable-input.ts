// What PostgreSQL (text, jsonb) and our JSON-walking code can take. Every procedure's input is
// checked here by one middleware (server/trpc/init.ts), so a NUL, an unpaired surrogate, a "__proto__" key, a
// non-finite number, a value JSON has no form for or a nesting thousands deep is the client's bad
// input, answered as zod issues with their paths, instead of a 500 from the database or a stack
// overflow further down. Config drafts (stored and hashed as JSON) ask for plain JSON only.

export type InputProblem = { path: (string | number)[]; message: string }

export type StorableOptions = {
  /** Whether Date objects pass (superjson sends them; jsonb content must not hold them). */
  allowDates: boolean
  maxDepth?: number
  /** Stop after this many problems: the first few are what a person can act on. */
  maxProblems?: number
}

/** Far deeper than any real input (a condition tree 20 groups deep inside a form is about 50). */
export const MAX_INPUT_DEPTH = 100
const MAX_PROBLEMS = 20

// A lone surrogate: with the `u` flag a proper pair is one code point and does not match.
const UNPAIRED_SURROGATE = /[\uD800-\uDFFF]/u

function textProblem(text: string): string | null {
  if (text.includes('\u0000')) return 'must not contain NUL (U+0000) characters'
  if (UNPAIRED_SURROGATE.test(text)) return 'must not contain unpaired UTF-16 surrogates'
  return null
}

/** An object literal (or JSON.parse's output), not a Map, boxed primitive or class instance. */
function isPlainRecord(value: object): boolean {
  const proto = Object.getPrototypeOf(value)
  return proto === Object.prototype || proto === null
}

/** Where `root` holds something that cannot be stored; iterative, so depth itself cannot hurt. */
export function storableProblems(root: unknown, opts: StorableOptions): InputProblem[] {
  const maxDepth = opts.maxDepth ?? MAX_INPUT_DEPTH
  const maxProblems = opts.maxProblems ?? MAX_PROBLEMS
  const problems: InputProblem[] = []
  const stack: { value: unknown; path: (string | number)[] }[] = [{ value: root, path: [] }]
  while (stack.length && problems.length < maxProblems) {
    const { value, path } = stack.pop()!
    if (value === null || value === undefined || typeof value === 'boolean') continue
    if (typeof value === 'number') {
      if (!Number.isFinite(value)) problems.push({ path, message: 'expected a finite number' })
    } else if (typeof value === 'string') {
      const problem = textProblem(value)
      if (problem) problems.push({ path, message: `text ${problem}` })
    } else if (typeof value !== 'object') {
      problems.push({ path, message: `${typeof value} is not a JSON value` })
    } else if (value instanceof Date) {
      if (!opts.allowDates) problems.push({ path, message: 'expected a JSON value, not a date object' })
    } else if (path.length >= maxDepth) {
      problems.push({ path, message: `nests deeper than ${maxDepth} levels` })
    } else if (Array.isArray(value)) {
      // Indexes, not for..of: a hole is undefined here and reported, where JSON would write null.
      for (let i = 0; i < value.length; i++) {
        if (value[i] === undefined) problems.push({ path: [...path, i], message: 'undefined is not a JSON value' })
        else stack.push({ value: value[i], path: [...path, i] })
      }
    } else if (!isPlainRecord(value)) {
      problems.push({ path, message: 'expected a JSON object, array, string, number, boolean or null' })
    } else {
      for (const [key, child] of Object.entries(value)) {
        const problem = textProblem(key)
        // An own "__proto__" (JSON.parse makes one) is a key no schema has, and Prisma crashes on it.
        if (key === '__proto__') problems.push({ path: [...path, key], message: '"__proto__" is not allowed as a key' })
        else if (problem) problems.push({ path: [...path, key], message: `a key ${problem}` })
        else stack.push({ value: child, path: [...path, key] })
      }
    }
  }
  return problems
}
