// customers.importRows: CSV rows (already split into cells by the browser) mapped onto fields,
// each row validated with the published schema and inserted in its own transaction, so a row is
// either wholly imported or reported with its reasons; never half-imported.
import { z } from 'zod'
import { isSystemField } from '../config-language'
import { InvalidError, invalidInput, type TenantScope } from '../kernel'
import { importValue } from '../config-language/csv'
import type { CrmActor, CrmDeps } from './deps'
import { liveModel } from './live-model'
import { listMembers } from '../members/member-directory'
import { createRecord } from './record-service'

export const importRowsInput = z.strictObject({
  /** Cells by CSV column name; at most 500 rows per call (the browser sends chunks). */
  rows: z
    .array(z.record(z.string().max(200), z.string().max(20_000)))
    .min(1)
    .max(500),
  /** CSV column → field name (built-in, or custom without the `data.` prefix); unmapped columns are ignored. */
  mapping: z.record(z.string().max(200), z.string().max(100)),
  /** Validate only (references included); nothing is written. */
  dryRun: z.boolean().optional(),
})
export type ImportRowsInput = z.infer<typeof importRowsInput>

export type ImportRowError = { path: string; message: string; column?: string }
export type ImportRowResult = { index: number; ok: boolean; id?: string; errors?: ImportRowError[] }

export async function importCustomerRows(scope: TenantScope, actor: CrmActor, input: ImportRowsInput, deps: CrmDeps): Promise<ImportRowResult[]> {
  const model = await liveModel(scope, deps.runtimeConfig, { fresh: true })
  const fields = new Map(
    model
      .fields('customer')
      .filter((f) => !isSystemField(f.name))
      .map((f) => [f.name, f]),
  )
  const mappingIssues: { path: (string | number)[]; message: string }[] = []
  const columnOf = new Map<string, string>()
  for (const [column, field] of Object.entries(input.mapping)) {
    if (!fields.has(field)) mappingIssues.push({ path: ['mapping', column], message: `Unknown field "${field}"` })
    else if (columnOf.has(field))
      mappingIssues.push({ path: ['mapping', column], message: `"${field}" is already mapped from column "${columnOf.get(field)}"` })
    else columnOf.set(field, column)
  }
  if (mappingIssues.length) throw invalidInput(mappingIssues, 'Invalid mapping')

  const memberIdOf = [...columnOf.keys()].some((f) => fields.get(f)!.type === 'user') ? await memberResolver(scope) : null
  const results: ImportRowResult[] = []
  for (const [index, row] of input.rows.entries()) {
    const values: Record<string, unknown> & { data: Record<string, unknown> } = { data: {} }
    for (const [field, column] of columnOf) {
      const def = fields.get(field)!
      let value = importValue(row[column] ?? '', def)
      if (value === undefined) continue
      if (def.type === 'user' && memberIdOf) value = memberIdOf(String(value))
      if (def.builtIn) values[field] = value
      else values.data[field] = value
    }
    try {
      const created = await createRecord(scope, actor, { entity: 'customer', values, kind: 'imported', dryRun: input.dryRun }, deps)
      results.push(created ? { index, ok: true, id: created.id } : { index, ok: true })
    } catch (err) {
      if (err instanceof InvalidError && err.issues.length) {
        results.push({
          index,
          ok: false,
          errors: err.issues.map((i) => {
            const path = i.path.slice(1).map(String)
            const field = path[0] === 'data' ? path[1] : path[0]
            const column = field !== undefined ? columnOf.get(field) : undefined
            return { path: path.join('.'), message: i.message, ...(column !== undefined ? { column } : {}) }
          }),
        })
      } else {
        deps.logger.error('import row failed', { index, error: String(err) })
        results.push({ index, ok: false, errors: [{ path: '', message: 'This row could not be saved' }] })
      }
    }
  }
  return results
}

/**
 * User cells as people write them in a spreadsheet: a member's email or (unambiguous) name, or
 * their id. Anything else is left as it is, for the record schema to reject with its reason.
 */
async function memberResolver(scope: TenantScope): Promise<(cell: string) => string> {
  const members = await listMembers(scope)
  const byKey = new Map<string, string | null>()
  const add = (key: string, id: string) => {
    const k = key.trim().toLowerCase()
    byKey.set(k, byKey.has(k) && byKey.get(k) !== id ? null : id) // null: two members share it
  }
  for (const m of members) {
    add(m.userId, m.userId)
    add(m.email, m.userId)
    add(m.name, m.userId)
  }
  return (cell) => byKey.get(cell.trim().toLowerCase()) ?? cell
}
