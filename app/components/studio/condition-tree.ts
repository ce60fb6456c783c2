// Pure helpers over condition trees for the Studio's builders.
import { CHANGE_OPERATORS, type Condition } from '../../../server/config-language'

/**
 * The tree without its change operators (changed / changedTo / changedFrom), which need a before
 * and after and so cannot be counted on stored records: a group keeps its other rows, a `not` of
 * nothing disappears. `omitted` lists the fields whose change rows were left out.
 */
export function withoutChangeOperators(condition: Condition): { condition: Condition | null; omitted: string[] } {
  const omitted = new Set<string>()
  const prune = (c: Condition): Condition | null => {
    if ('all' in c || 'any' in c) {
      const kids = ('all' in c ? c.all : c.any).map(prune).filter((k): k is Condition => k !== null)
      if (kids.length === 0) return null
      return 'all' in c ? { all: kids } : { any: kids }
    }
    if ('not' in c) {
      const inner = prune(c.not)
      return inner ? { not: inner } : null
    }
    if ('field' in c && CHANGE_OPERATORS.includes(c.op)) {
      omitted.add(c.field)
      return null
    }
    return c
  }
  return { condition: prune(condition), omitted: [...omitted] }
}

/** Named conditions (`{ref}`) replaced by their trees, so a preview can send a self-contained filter. */
export function inlineRefs(condition: Condition, resolve: (key: string) => Condition | undefined, depth = 0): Condition | null {
  if (depth > 10) return null
  if ('all' in condition) return { all: condition.all.map((c) => inlineRefs(c, resolve, depth + 1)).filter((c): c is Condition => c !== null) }
  if ('any' in condition) return { any: condition.any.map((c) => inlineRefs(c, resolve, depth + 1)).filter((c): c is Condition => c !== null) }
  if ('not' in condition) {
    const inner = inlineRefs(condition.not, resolve, depth + 1)
    return inner ? { not: inner } : null
  }
  if ('ref' in condition) {
    const target = resolve(condition.ref)
    return target ? inlineRefs(target, resolve, depth + 1) : null
  }
  return condition
}

/** `{{field}}` inserted into a message at the cursor (or appended), with the cursor after it. */
export function insertPlaceholder(message: string, field: string, at: number | null): { message: string; cursor: number } {
  const token = `{{${field}}}`
  const pos = at === null || at < 0 || at > message.length ? message.length : at
  const next = message.slice(0, pos) + token + message.slice(pos)
  return { message: next, cursor: pos + token.length }
}

/** A key not in `taken`, from a base ("notify-assignee", then "notify-assignee-2", …), at most 63 characters. */
export function freeKey(base: string, taken: ReadonlySet<string>): string {
  const slug =
    base
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^[^a-z]+|-+$/g, '')
      .slice(0, 55) || 'item'
  if (!taken.has(slug)) return slug
  for (let i = 2; ; i++) {
    const candidate = `${slug}-${i}`
    if (!taken.has(candidate)) return candidate
  }
}
