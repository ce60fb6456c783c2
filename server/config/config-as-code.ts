// Config as code: a tenant's configuration as a JSON file, and the steps to load such a file as
// drafts. Works on any AppCaller (in-process, or a typed client over HTTP), so the CLI and the
// tests drive exactly the procedures the Studio uses — validated the same way as a publish.
import { z } from 'zod'
import { addressText, addressOf, canonicalJson, configItemSchema, diffConfigSets, sortItems, type ConfigDiff, type ConfigItem } from '../config-language'

export const configFileSchema = z.object({
  format: z.literal('pulse8-config/1'),
  tenant: z.string(),
  version: z.number().int(),
  exportedAt: z.string(),
  items: z.array(configItemSchema),
})
export type ConfigFile = z.infer<typeof configFileSchema>

/** The subset of the config router the CLI needs; both an in-process caller and a tRPC client fit. */
export interface ConfigApi {
  list(): Promise<{ version: number; items: { namespace: string; entity: string; key: string; draftRevision: number; state: string }[] }>
  get(a: { namespace: string; entity: string; key: string }): Promise<{ content: unknown }>
  saveDraft(input: { namespace: string; entity: string; key: string; expectedRevision: number; content?: unknown; delete?: true }): Promise<unknown>
  validate(): Promise<{ errors: Issue[]; warnings: Issue[] }>
  snapshot(input: { version: number }): Promise<{ items: ConfigItem[] }>
}
type Issue = { item: string; path: (string | number)[]; code: string; message: string }

export async function exportConfig(api: ConfigApi, tenant: string): Promise<ConfigFile> {
  const { version } = await api.list()
  const snap = await api.snapshot({ version })
  return { format: 'pulse8-config/1', tenant, version, exportedAt: new Date().toISOString(), items: sortItems(snap.items) }
}

export function parseConfigFile(text: string): ConfigFile {
  let json: unknown
  try {
    json = JSON.parse(text)
  } catch (err) {
    throw new Error(`The file is not valid JSON: ${(err as Error).message}`, { cause: err })
  }
  const parsed = configFileSchema.safeParse(json)
  if (!parsed.success) {
    throw new Error(`The file is not a Pulse-8 config export: ${parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ')}`)
  }
  return parsed.data
}

/** The working copy (drafts, or live where there is no draft) as a set. */
async function workingSet(api: ConfigApi) {
  const list = await api.list()
  const rows = list.items.filter((i) => i.state !== 'deleted')
  const items = await Promise.all(
    rows.map(async ({ namespace, entity, key }) => ({ namespace, entity, key, content: (await api.get({ namespace, entity, key })).content }) as ConfigItem),
  )
  return { list, items: sortItems(items) }
}

export type ImportResult = { saved: string[]; deleted: string[]; unchanged: number; errors: Issue[]; warnings: Issue[] }

/**
 * Loads `file` as drafts: items that differ are saved, items absent from the file are marked for
 * removal, identical ones are left alone. Nothing is published. Returns the validation of the result.
 */
export async function importConfig(api: ConfigApi, file: ConfigFile): Promise<ImportResult> {
  const { list, items } = await workingSet(api)
  const current = new Map(items.map((i) => [addressOf(i), i]))
  const revisions = new Map(list.items.map((i) => [addressText(i), i.draftRevision]))
  const result: ImportResult = { saved: [], deleted: [], unchanged: 0, errors: [], warnings: [] }
  for (const item of file.items) {
    const address = addressOf(item)
    const existing = current.get(address)
    current.delete(address)
    if (existing && canonicalJson(existing.content) === canonicalJson(item.content)) {
      result.unchanged++
      continue
    }
    await api.saveDraft({ namespace: item.namespace, entity: item.entity, key: item.key, expectedRevision: revisions.get(address) ?? 0, content: item.content })
    result.saved.push(address)
  }
  for (const [address, item] of current) {
    await api.saveDraft({ namespace: item.namespace, entity: item.entity, key: item.key, expectedRevision: revisions.get(address) ?? 0, delete: true })
    result.deleted.push(address)
  }
  const { errors, warnings } = await api.validate()
  return { ...result, errors, warnings }
}

/** The file against the live config (what a publish after `import` would change). */
export async function diffAgainstLive(api: ConfigApi, file: ConfigFile): Promise<ConfigDiff> {
  const { version } = await api.list()
  const live = await api.snapshot({ version })
  return diffConfigSets(live.items, file.items)
}

export function formatDiff(diff: ConfigDiff): string {
  const lines: string[] = []
  for (const a of diff.added) lines.push(`+ ${a}`)
  for (const r of diff.removed) lines.push(`- ${r}`)
  for (const c of diff.changed) {
    lines.push(`~ ${c.address}`)
    for (const ch of c.changes) {
      const path = ch.path.join('.') || '(root)'
      const fmt = (v: unknown) => (v === undefined ? '' : JSON.stringify(v).slice(0, 120))
      lines.push(
        `    ${ch.kind.padEnd(9)} ${path}${ch.kind === 'changed' ? `: ${fmt(ch.before)} → ${fmt(ch.after)}` : ch.kind === 'added' ? `: ${fmt(ch.after)}` : ch.kind === 'removed' ? `: ${fmt(ch.before)}` : ''}`,
      )
    }
  }
  return lines.length ? lines.join('\n') : 'No differences.'
}

export function formatIssues(issues: Issue[]): string {
  return issues.map((i) => `  ${i.item} ${i.path.join('.') || '(root)'} [${i.code}] ${i.message}`).join('\n')
}
