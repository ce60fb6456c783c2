// Validation issues in people's words: the one translation from a zod issue (a procedure's input
// schema, a record schema, a browser form's resolver) to the sentence a form shows, naming the
// field by its label ("Company name must be at least 2 characters"), never zod's own wording
// ("Too small: expected string to have >=2 characters") or an API field name.
//
// Our own checks (code `custom`: record values, references, permissions) already speak this
// language (field-values.ts); only their first letter is adjusted. Everything zod says by itself is
// rewritten from the issue's structured data, whatever zod's message is.

/** The parts of a zod 4 issue this needs (duck-typed: issues also arrive as plain JSON). */
export type IssueLike = {
  code?: string
  message?: string
  input?: unknown
  origin?: string
  expected?: string
  format?: string
  minimum?: number | bigint
  maximum?: number | bigint
  inclusive?: boolean
  divisor?: number | bigint
  values?: readonly unknown[]
}

const TYPE_WORDS: Record<string, string> = {
  string: 'text',
  number: 'a number',
  int: 'a whole number',
  bigint: 'a whole number',
  boolean: 'yes or no',
  array: 'a list',
  object: 'a group of values',
  date: 'a date',
}

const FORMAT_WORDS: Record<string, string> = {
  email: 'an email address, like name@example.com',
  url: 'a web address starting with http:// or https://',
  uuid: 'an identifier',
  cuid: 'an identifier',
  date: 'a date',
  datetime: 'a date and time',
  time: 'a time',
}

const plural = (n: number | bigint, one: string, many = `${one}s`) => `${n} ${Number(n) === 1 ? one : many}`

/** What is wrong, as the rest of a sentence whose subject is the field ("must be …"). */
function predicate(issue: IssueLike): string {
  const origin = issue.origin ?? ''
  switch (issue.code) {
    case 'too_small': {
      const n = issue.minimum ?? 0
      if (origin === 'string') return Number(n) <= 1 ? 'is required' : `must be at least ${plural(n, 'character')}`
      if (origin === 'array' || origin === 'set') return Number(n) <= 1 ? 'needs at least one entry' : `needs at least ${plural(n, 'entry', 'entries')}`
      return issue.inclusive === false ? `must be more than ${n}` : `must be at least ${n}`
    }
    case 'too_big': {
      const n = issue.maximum ?? 0
      if (origin === 'string') return `must be at most ${plural(n, 'character')}`
      if (origin === 'array' || origin === 'set') return `can have at most ${plural(n, 'entry', 'entries')}`
      return issue.inclusive === false ? `must be less than ${n}` : `must be at most ${n}`
    }
    case 'invalid_type':
      if (issue.input === undefined || issue.input === null) return 'is required'
      return `must be ${TYPE_WORDS[issue.expected ?? ''] ?? 'a valid value'}`
    case 'invalid_format':
      return `must be ${FORMAT_WORDS[issue.format ?? ''] ?? 'written in the required format'}`
    case 'invalid_value':
      return issue.values && issue.values.length > 0 && issue.values.length <= 8
        ? `must be one of: ${issue.values.map((v) => String(v)).join(', ')}`
        : 'is not one of the choices'
    case 'not_multiple_of':
      return `must be a multiple of ${issue.divisor}`
    case 'unrecognized_keys':
      return 'contains something this form does not take'
    default:
      return 'is not valid'
  }
}

const capitalize = (s: string) => (s ? s.charAt(0).toUpperCase() + s.slice(1) : s)

/**
 * The sentence for one issue. With `label`, the field is named ("Password must be at least 8
 * characters"); without, the sentence starts with the predicate ("Must be at least 8 characters"),
 * for a message shown right under its labelled input.
 */
export function humanIssueMessage(issue: IssueLike, label?: string): string {
  if (issue.code === 'custom' || issue.code === undefined) {
    const own = issue.message?.trim() || 'is not valid'
    if (own === 'Required') return label ? `${label} is required` : 'Required'
    // Our own wording is a predicate ("must be a number") or a sentence; only a predicate gets the label.
    return label && /^(must|is|are|needs|can)\b/.test(own) ? `${label} ${own}` : capitalize(own)
  }
  const rest = predicate(issue)
  return label ? `${label} ${rest}` : capitalize(rest)
}
