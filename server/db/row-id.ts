// Ids for rows written with raw SQL (bulk seeds, the outbox's conditional insert), shaped like the
// ones Prisma's `@default(cuid())` makes: `c` + 24 base-36 characters. Random, not time-ordered:
// nothing orders by id (the outbox orders by `seq`, lists by their timestamps).
import { randomBytes } from 'node:crypto'

const ID_ALPHABET = '0123456789abcdefghijklmnopqrstuvwxyz'

export function rowId(): string {
  let s = 'c'
  for (const b of randomBytes(24)) s += ID_ALPHABET[b % 36]
  return s
}
