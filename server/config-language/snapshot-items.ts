// The one reader of a stored snapshot's content (jsonb): parsed, not cast, so a snapshot written by
// an older version or edited by hand fails here with a clear message instead of deep inside a
// renderer. Content stays unknown: the config index parses each item against its namespace.
import { z } from 'zod'
import { addressFields, type ConfigItem } from './address'

const snapshotItemsSchema = z.array(z.object({ ...addressFields, content: z.unknown() }))

/** A snapshot's stored `content` as config items; throws when it is not a list of items. */
export function readSnapshotItems(json: unknown): ConfigItem[] {
  const parsed = snapshotItemsSchema.safeParse(json)
  if (!parsed.success) throw new Error(`stored config snapshot is malformed: ${parsed.error.issues[0]?.message ?? 'unknown problem'}`)
  return parsed.data as ConfigItem[]
}
