// The generic record service behind the customers, deals and cases routers: list (views in SQL),
// get, create, update, remove, and the export pages. Every write is validated with the schema
// built from the *published* config, runs in one transaction with its Activity row, and is
// announced on the event bus after commit.
import { z } from 'zod'
import {
  ENTITY_INFO,
  isEmptyValue,
  isSystemField,
  viewContentSchema,
  type Condition,
  type Entity,
  type FieldDef,
  type RecordWrite,
  type Role,
  type ViewContent,
} from '../config-language'
import { can } from '../auth/permissions'
import { ConflictError, ForbiddenError, invalidInput, NotFoundError, type TenantScope, type TenantTx } from '../kernel'
import type { TenantDb } from '../db/tenant-db'
import type { CrmActor, CrmDeps } from './deps'
import { listMembers, memberRole } from '../members/member-directory'
import { announceRecordChange, type RecordChange } from './record-events'
import { appendOutboxEvent, appendOutboxEventIfLive, outboxCommitted } from '../automation/outbox'
import { liveModel, type LiveModel } from './live-model'
import { liveVersion } from '../config/live-config'
import { forgetCaseSla, syncCaseSla } from '../sla/case-sla'
import { cancelApprovalsOfRecord, enforceApprovalLocks, startMatchingApprovals } from '../approvals/approval-hooks'
import { announceNotifications, type StoredNotification } from '../notifications/notifications'
import { RECORD_TABLES, selectColumns, toColumnValue, toRecordRow, type RecordRow, type RecordTable } from './record-tables'
import {
  canonicalDateTime,
  compileCondition,
  countTotal,
  decodeCursor,
  DEFAULT_SORT,
  pageResult,
  planQueries,
  searchPredicate,
  sortKeys,
  ViewQueryError,
  type PlannedQuery,
  type QueryIssue,
  type SortInput,
} from './view-query'

type Tx = TenantTx

// ---------------------------------------------------------------------------------------------
// Errors

type IssuePath = (string | number)[]

function asInvalid<T>(run: () => T): T {
  try {
    return run()
  } catch (err) {
    if (err instanceof ViewQueryError) throw invalidInput(err.issues, 'Invalid query')
    throw err
  }
}

const notFound = (table: RecordTable) => new NotFoundError(`${ENTITY_INFO[table.entity].singular} not found`)
const pathOf = (issue: z.core.$ZodIssue): IssuePath => issue.path.filter((p): p is string | number => typeof p !== 'symbol')

// ---------------------------------------------------------------------------------------------
// Prisma access by entity (the three delegates share the operations used here)

type StoredRow = Record<string, unknown> & { id: string; version: number; customerId?: string }
type Delegate = {
  findFirst(args: object): Promise<StoredRow | null>
  findMany(args: object): Promise<StoredRow[]>
  create(args: object): Promise<StoredRow>
  updateMany(args: object): Promise<{ count: number }>
  updateManyAndReturn(args: object): Promise<StoredRow[]>
  deleteMany(args: object): Promise<{ count: number }>
  count(args: object): Promise<number>
}

export function delegateOf(db: TenantDb | Tx, entity: Entity): Delegate {
  return (db as unknown as Record<string, Delegate>)[RECORD_TABLES[entity].delegate]!
}

export function includeOf(table: RecordTable): object | undefined {
  return table.hasCustomer ? { customer: { select: { name: true } } } : undefined
}

// ---------------------------------------------------------------------------------------------
// list

export const listInputShape = {
  /** Key of a published view of the entity (views/<entity>/<key>). */
  view: z.string().max(100).optional(),
  /** A view's content, unpublished (the studio's view builder previews it): needs studio:read. */
  viewDraft: z.unknown().optional(),
  filter: z.unknown().optional(),
  sort: z
    .array(z.strictObject({ field: z.string().max(100), direction: z.enum(['asc', 'desc']) }))
    .max(5)
    .optional(),
  search: z.string().max(200).optional(),
  cursor: z.string().max(4000).optional(),
}
export const listInput = z.strictObject({ ...listInputShape, limit: z.number().int().min(1).max(200).optional() })
export type ListInput = z.infer<typeof listInput>

export type ListResult = {
  rows: RecordRow[]
  /** Exact up to EXACT_TOTAL_UP_TO (view-query.ts), above it the database's estimate. */
  total: number
  /** Whether `total` is an estimate (then it is above EXACT_TOTAL_UP_TO). */
  totalIsEstimate: boolean
  nextCursor: string | null
  view: { key: string; version: number } | null
}

/**
 * Plans a list: resolves the view, checks filter/sort/cursor against the published catalogue and
 * builds the page and count queries. Also used by the export and the views benchmark, so that all
 * three run exactly the same SQL.
 */
export function planList(
  model: LiveModel,
  who: { scope: Pick<TenantScope, 'sql'>; role: Role },
  entity: Entity,
  input: ListInput,
  opts: { defaultLimit?: number } = {},
): { planned: PlannedQuery; view: { key: string; content: ViewContent } | null; draft: boolean } {
  const table = RECORD_TABLES[entity]
  const fields = model.fields(entity)
  if (input.view !== undefined && input.viewDraft !== undefined) throw invalidInput([{ path: ['viewDraft'], message: 'Pass either view or viewDraft' }])
  let view: { key: string; content: ViewContent } | null = null
  if (input.view !== undefined) {
    const content = model.view(entity, input.view, who.role)
    if (!content) throw new NotFoundError(`View ${input.view} not found`)
    view = { key: input.view, content }
  }
  let draft = false
  if (input.viewDraft !== undefined) {
    if (!can(who.role, 'studio:read')) throw new ForbiddenError(`Your role (${who.role.toLowerCase()}) may not preview draft views`)
    const parsed = viewContentSchema.safeParse(input.viewDraft)
    if (!parsed.success)
      throw invalidInput(
        parsed.error.issues.map((i) => ({ path: ['viewDraft', ...pathOf(i)], message: i.message })),
        'Invalid view',
      )
    view = { key: 'draft', content: parsed.data }
    draft = true
  }
  return asInvalid(() => {
    const ctx = { table, fields, resolveRef: model.index.conditions(entity) }
    const where = [searchPredicate(table, input.search)]
    if (view?.content.filter) where.push(compileCondition(view.content.filter, ctx, draft ? ['viewDraft', 'filter'] : ['view']))
    if (input.filter !== undefined) where.push(compileCondition(input.filter, ctx, ['filter']))
    const sort: readonly SortInput[] = input.sort ?? (view?.content.sort.length ? view.content.sort : DEFAULT_SORT)
    const keys = sortKeys(sort, ctx, input.sort ? ['sort'] : draft ? ['viewDraft', 'sort'] : ['view'])
    const cursor = input.cursor ? decodeCursor(keys, input.cursor, ['cursor']) : null
    const limit = input.limit ?? view?.content.pageSize ?? opts.defaultLimit ?? 25
    const planned = planQueries({ tenant: who.scope.sql, table, columns: selectColumns(table), where, keys, cursor, limit })
    return { planned, view, draft }
  })
}

/** A page of an entity's records (a view and/or filter, sort, search, cursor) with the total. */
export async function listRecords(scope: TenantScope, actor: CrmActor, input: ListInput & { entity: Entity }, deps: CrmDeps): Promise<ListResult> {
  const { entity } = input
  const model = await liveModel(scope, deps.runtimeConfig)
  const { planned, view, draft } = planList(model, { scope, role: actor.role }, entity, input)
  const [raw, { total, totalIsEstimate }] = await Promise.all([
    scope.sql.query<Record<string, unknown>>(scope.db, planned.page),
    countTotal(planned, (query) => scope.sql.query<Record<string, unknown>>(scope.db, query)),
  ])
  const { rows, nextCursor } = pageResult(planned, raw)
  return {
    rows: rows.map((r) => toRecordRow(RECORD_TABLES[entity], r)),
    total,
    totalIsEstimate,
    nextCursor,
    view: view && !draft ? { key: view.key, version: model.version } : null,
  }
}

/** Export: pages of up to 1000 rows in the list's order, without a count; columns of the view. */
export const EXPORT_PAGE_SIZE = 1000

export async function exportPage(
  scope: TenantScope,
  actor: CrmActor,
  input: Omit<ListInput, 'limit' | 'viewDraft'> & { entity: Entity },
  deps: CrmDeps,
): Promise<{
  columns: { field: string; label: string; type: FieldDef['type'] | 'id'; builtIn: boolean }[]
  rows: RecordRow[]
  nextCursor: string | null
  /** Member id → what a person reading the file calls them, for user-type columns (see memberLabels). */
  userLabels: Record<string, string>
}> {
  const { entity } = input
  const model = await liveModel(scope, deps.runtimeConfig)
  const { planned, view } = planList(model, { scope, role: actor.role }, entity, { ...input, limit: EXPORT_PAGE_SIZE })
  const raw = await scope.sql.query<Record<string, unknown>>(scope.db, planned.page)
  const { rows, nextCursor } = pageResult(planned, raw)
  const fields = model.fields(entity)
  const byName = new Map(fields.map((f) => [f.name, f]))
  const chosen = view ? view.content.columns.map((c) => byName.get(c.field)).filter((f): f is FieldDef => f !== undefined) : fields
  return {
    columns: [
      { field: 'id', label: 'ID', type: 'id', builtIn: true },
      ...chosen.map((f) => ({ field: f.name, label: f.label, type: f.type, builtIn: f.builtIn })),
    ],
    rows: rows.map((r) => toRecordRow(RECORD_TABLES[entity], r)),
    nextCursor,
    userLabels: chosen.some((f) => f.type === 'user') ? await memberLabels(scope) : {},
  }
}

/**
 * A member's name, or their email when two members share that name: what a spreadsheet reader
 * recognises, and what the CSV import maps back to the member (csv-import.ts memberResolver).
 */
async function memberLabels(scope: TenantScope): Promise<Record<string, string>> {
  const members = await listMembers(scope)
  const count = new Map<string, number>()
  for (const m of members) count.set(m.name, (count.get(m.name) ?? 0) + 1)
  return Object.fromEntries(members.map((m) => [m.userId, count.get(m.name) === 1 ? m.name : m.email]))
}

// ---------------------------------------------------------------------------------------------
// get

/** One record; NotFoundError when it is missing or another tenant's. Reading needs no actor. */
export async function getRecord(scope: Pick<TenantScope, 'db'>, _actor: CrmActor | null, input: { entity: Entity; id: string }): Promise<RecordRow> {
  const { entity, id } = input
  const table = RECORD_TABLES[entity]
  const row = await delegateOf(scope.db, entity).findFirst({ where: { id }, include: includeOf(table) })
  if (!row) throw notFound(table)
  return toRecordRow(table, row)
}

// ---------------------------------------------------------------------------------------------
// writes

type Split = { columns: Record<string, unknown>; data: Record<string, unknown> }

/** A validated write as Prisma columns and custom data (datetimes canonical, see view-query.ts). */
function split(table: RecordTable, fields: readonly FieldDef[], values: Record<string, unknown>): Split {
  const byName = new Map(fields.map((f) => [f.name, f]))
  const columns: Record<string, unknown> = {}
  const data: Record<string, unknown> = {}
  for (const [key, value] of Object.entries(values)) {
    if (key === 'data') continue
    const column = table.columns.get(key)
    if (column && !isSystemField(key)) columns[key] = toColumnValue(column, value)
  }
  const custom = (values.data ?? {}) as Record<string, unknown>
  for (const [key, value] of Object.entries(custom)) {
    if (value === undefined) continue
    const def = byName.get(key)
    data[key] = def?.type === 'datetime' && typeof value === 'string' ? canonicalDateTime(value) : value
  }
  return { columns, data }
}

/** The API value of each written key, for comparisons and the activity (custom as `data.<name>`). */
function apiValues(table: RecordTable, s: Split): Map<string, unknown> {
  const out = new Map<string, unknown>()
  for (const [key, value] of Object.entries(s.columns)) {
    const column = table.columns.get(key)!
    out.set(
      key,
      column.kind === 'date' && value instanceof Date ? value.toISOString().slice(0, 10) : column.kind === 'textArray' && value === null ? [] : value,
    )
  }
  for (const [key, value] of Object.entries(s.data)) out.set(`data.${key}`, value)
  return out
}

function currentValue(row: RecordRow, key: string): unknown {
  return key.startsWith('data.') ? row.data[key.slice(5)] : row[key]
}

const same = (a: unknown, b: unknown) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null)

function valuePath(key: string): IssuePath {
  return key.startsWith('data.') ? ['values', 'data', key.slice(5)] : ['values', key]
}

/** Lookups must name a record of this tenant, user fields a member of it. */
async function checkReferences(tx: Tx, scope: TenantScope, fields: readonly FieldDef[], written: Map<string, unknown>): Promise<QueryIssue[]> {
  const issues: QueryIssue[] = []
  for (const def of fields) {
    const key = def.builtIn ? def.name : `data.${def.name}`
    const value = written.get(key)
    if (typeof value !== 'string' || value === '') continue
    if (def.type === 'lookup' && def.lookupEntity) {
      const found = await delegateOf(tx, def.lookupEntity).count({ where: { id: value } })
      if (!found) issues.push({ path: valuePath(key), message: `${ENTITY_INFO[def.lookupEntity].singular} not found` })
    } else if (def.type === 'user') {
      // Memberships are the members domain's: asked through its directory, in this transaction.
      if ((await memberRole(scope, value, tx)) === null) issues.push({ path: valuePath(key), message: 'Not a member of this workspace' })
    }
  }
  return issues
}

function readOnlyIssues(model: LiveModel, entity: Entity, role: Role, written: Map<string, unknown>, current: RecordRow | null): QueryIssue[] {
  const issues: QueryIssue[] = []
  const fields = model.fields(entity)
  for (const name of model.readOnlyFields(entity, role)) {
    const def = fields.find((f) => f.name === name)
    if (!def) continue
    const key = def.builtIn ? name : `data.${name}`
    if (!written.has(key)) continue
    const value = written.get(key)
    const changes = current ? !same(currentValue(current, key), value) : !isEmptyValue(value)
    if (changes) issues.push({ path: valuePath(key), message: `Read-only for your role (${role.toLowerCase()})` })
  }
  return issues
}

/**
 * Who is responsible for a record (the built-in user fields: owner, assignee) is changed to
 * somebody else only by roles with `crm:reassign` (managers and admins). Others may take an
 * unassigned record or leave it as it is.
 */
function reassignIssues(fields: readonly FieldDef[], actor: CrmActor, written: Map<string, unknown>, current: RecordRow | null): QueryIssue[] {
  if (can(actor.role, 'crm:reassign')) return []
  const self = actor.userId
  const mineOrNobody = (v: unknown) => isEmptyValue(v) || v === self
  const issues: QueryIssue[] = []
  for (const def of fields) {
    if (!def.builtIn || def.type !== 'user' || !written.has(def.name)) continue
    const next = written.get(def.name)
    const before = current ? currentValue(current, def.name) : null
    if (current && same(before, next)) continue
    if (!mineOrNobody(next) || !mineOrNobody(before)) {
      issues.push({ path: valuePath(def.name), message: `Your role (${actor.role.toLowerCase()}) may not assign records to someone else` })
    }
  }
  return issues
}

/** What the caller's role may not write here: read-only fields first, then reassignment (one issue per field). */
function permissionIssues(model: LiveModel, entity: Entity, actor: CrmActor, written: Map<string, unknown>, current: RecordRow | null): QueryIssue[] {
  const issues = readOnlyIssues(model, entity, actor.role, written, current)
  const flagged = new Set(issues.map((i) => i.path.join('.')))
  for (const i of reassignIssues(model.fields(entity), actor, written, current)) if (!flagged.has(i.path.join('.'))) issues.push(i)
  return issues
}

/**
 * A record write's transaction. The reference checks inside run at READ COMMITTED, so a customer
 * deleted at the same moment as a deal is created for it is caught by the foreign key: that race is
 * answered as a CONFLICT (try again), never a 500.
 */
async function writeTransaction<T>(scope: TenantScope, work: (tx: Tx) => Promise<T>, outer?: Tx): Promise<T> {
  // Inside a caller's transaction (another domain's write): its tx, never a second connection,
  // which would deadlock the embedded database (decision 001). Its commit is the caller's.
  if (outer) return work(outer)
  try {
    return await scope.db.$transaction(work)
  } catch (err) {
    const code = (err as { code?: string } | null)?.code
    if (code === 'P2003') throw new ConflictError('A related record changed meanwhile; reload and try again', { reason: 'reference' })
    throw err
  }
}

function zodIssues(error: z.ZodError): QueryIssue[] {
  return error.issues.map((i) => ({ path: ['values', ...pathOf(i)], message: i.message }))
}

function changeOf(actor: CrmActor, entity: Entity, row: RecordRow, kind: RecordChange['kind'], fields: string[]): RecordChange {
  return {
    entity,
    id: row.id,
    version: row.version,
    kind,
    by: { userId: actor.userId, tokenId: actor.tokenId, label: actor.label },
    fields,
    at: new Date().toISOString(),
  }
}

async function writeActivity(
  tx: Tx,
  scope: TenantScope,
  actor: CrmActor,
  table: RecordTable,
  row: RecordRow,
  kind: string,
  summary: string,
  changes: Record<string, { from?: unknown; to?: unknown }>,
): Promise<void> {
  await tx.activity.create({
    data: {
      tenantId: scope.tenantId,
      entity: table.entity,
      recordId: row.id,
      customerId: table.entity === 'customer' ? row.id : (row.customerId as string),
      kind,
      summary,
      actor: actor.label,
      actorUserId: actor.userId,
      actorTokenId: actor.tokenId,
      changes: JSON.parse(JSON.stringify(changes)),
    },
  })
}

/**
 * The record event for automations, in the write's transaction (decision 018). A write on the
 * cached model (`checkModel`) has its model checked against the published head in the same
 * statement: a newer head throws StaleModelError, which rolls the write back for `withLiveModel`
 * to try again on the fresh model.
 */
async function recordOutboxEvent(
  tx: Tx,
  scope: TenantScope,
  actor: CrmActor,
  model: Pick<LiveModel, 'version'> & { checkAtWrite?: boolean },
  change: {
    type: 'record.created' | 'record.updated' | 'record.deleted'
    entity: Entity
    id: string
    fields: string[]
    before: RecordRow | null
    after: RecordRow | null
  },
): Promise<void> {
  const event = {
    type: change.type,
    entity: change.entity,
    recordId: change.id,
    configVersion: model.version,
    payload: { fields: change.fields, before: change.before, after: change.after, by: actor.label },
  }
  if (!model.checkAtWrite) await appendOutboxEvent(tx, scope, actor, event)
  else if (!(await appendOutboxEventIfLive(tx, scope, actor, event))) throw new StaleModelError(`The published config is newer than version ${model.version}`)
}

/**
 * Runs a write on the cached live model, checked when its event is written (no head read before
 * the write: one round trip fewer per write). A write the cached model refused, or that the check
 * stopped, is tried once more on the published model when the cache turns out stale: a publish
 * this instance has not heard of yet never decides the outcome.
 */
async function withLiveModel<T>(
  scope: TenantScope,
  deps: Pick<CrmDeps, 'runtimeConfig'>,
  write: (model: LiveModel & { checkAtWrite?: boolean }) => Promise<T>,
): Promise<T> {
  const cached = await cachedWriteModel(scope, deps)
  try {
    return await write({ ...cached, checkAtWrite: true })
  } catch (err) {
    if (!(err instanceof StaleModelError) && (await liveVersion(scope.db)) <= cached.version) throw err
    return write(await recordWriteModel(scope, deps))
  }
}

const recordTitle = (table: RecordTable, row: RecordRow) => `${table.entity} "${String(row[table.titleField] ?? row.id)}"`

/**
 * What a record write sets off in other domains, in its transaction: the case's SLA clock
 * (sla/case-sla.ts) and the approval requests of rules that now match (approvals/approval-hooks.ts).
 * Returns the notifications to announce after commit.
 */
async function afterRecordWrite(
  tx: Tx,
  scope: TenantScope,
  actor: CrmActor,
  model: LiveModel,
  input: { table: RecordTable; before: RecordRow | null; after: RecordRow; deps: CrmDeps },
): Promise<StoredNotification[]> {
  const { table, before, after } = input
  if (table.entity === 'case') {
    await syncCaseSla(tx, scope, { caseRecord: after, index: model.index, configVersion: model.version, now: (input.deps.now ?? (() => new Date()))() })
  }
  return startMatchingApprovals(tx, scope, actor, {
    entity: table.entity,
    before,
    after,
    customerId: table.entity === 'customer' ? after.id : ((after.customerId as string | undefined) ?? null),
    title: recordTitle(table, after),
    index: model.index,
    configVersion: model.version,
  })
}

/**
 * A record write inside another domain's transaction (the inbox creates a customer in the same
 * transaction as the message): the caller's `tx`, the live model it read before opening it
 * (`recordWriteModel`: no config read inside the transaction), and where to put the announcement,
 * which the caller runs once its transaction has committed.
 */
export type InTransaction = { tx: Tx; model: LiveModel; afterCommit: (announce: () => Promise<void>) => void }

/** The live model a write enforces, read fresh; for `InTransaction.model`. */
export function recordWriteModel(scope: TenantScope, deps: Pick<CrmDeps, 'runtimeConfig'>): Promise<LiveModel> {
  return liveModel(scope, deps.runtimeConfig, { fresh: true })
}

/** The cached live model (no query), for a caller that checks it with `assertLiveModel` before writing. */
export function cachedWriteModel(scope: TenantScope, deps: Pick<CrmDeps, 'runtimeConfig'>): Promise<LiveModel> {
  return liveModel(scope, deps.runtimeConfig)
}

/** A caller's model is older than the published head: read `recordWriteModel` and try again. */
export class StaleModelError extends Error {
  override name = 'StaleModelError'
}

/**
 * For a caller that writes a record only on some paths (the inbox creates a customer for an unknown
 * sender only) and so starts from the cached model instead of paying a head-version read on every
 * call: checks, inside its transaction and before the write, that the model is still the published
 * one, so a publish is enforced at once all the same (decision 007). Throws StaleModelError.
 */
export async function assertLiveModel(tx: Tx, model: Pick<LiveModel, 'version'>): Promise<void> {
  if ((await liveVersion(tx)) > model.version) throw new StaleModelError(`The published config is newer than version ${model.version}`)
}

export type CreateOptions = { kind?: 'created' | 'imported'; dryRun?: boolean; inTransaction?: InTransaction }

/**
 * Validates and inserts one record. With `dryRun`, validates everything (references included)
 * and returns null without writing.
 */
export async function createRecord(
  scope: TenantScope,
  actor: CrmActor,
  input: { entity: Entity; values: unknown } & CreateOptions,
  deps: CrmDeps,
): Promise<RecordRow | null> {
  // Inside another domain's transaction the caller chose (and checks) the model; a dry run writes
  // no event to check it with, so it reads the published one.
  if (input.inTransaction) return createRecordOn(input.inTransaction.model, scope, actor, input, deps)
  if (input.dryRun) return createRecordOn(await recordWriteModel(scope, deps), scope, actor, input, deps)
  return withLiveModel(scope, deps, (model) => createRecordOn(model, scope, actor, input, deps))
}

async function createRecordOn(
  model: LiveModel & { checkAtWrite?: boolean },
  scope: TenantScope,
  actor: CrmActor,
  input: { entity: Entity; values: unknown } & CreateOptions,
  deps: CrmDeps,
): Promise<RecordRow | null> {
  const { entity, values } = input
  const table = RECORD_TABLES[entity]
  const outer = input.inTransaction
  const fields = model.fields(entity)
  const parsed = model.createSchema(entity).safeParse(values)
  if (!parsed.success) throw invalidInput(zodIssues(parsed.error), 'Invalid values')
  const s = split(table, fields, parsed.data as RecordWrite)
  const written = apiValues(table, s)
  // Read-only applies to what the caller sent, not to defaults the schema filled in.
  const sent = new Set(apiValues(table, split(table, fields, values as Record<string, unknown>)).keys())
  const sentValues = new Map([...written].filter(([k]) => sent.has(k)))
  const readOnly = permissionIssues(model, entity, actor, sentValues, null)
  if (readOnly.length) throw invalidInput(readOnly, 'Invalid values')

  const row = await writeTransaction(
    scope,
    async (tx) => {
      const refs = await checkReferences(tx, scope, fields, written)
      if (refs.length) throw invalidInput(refs, 'Invalid values')
      if (input.dryRun) return null
      const created = await delegateOf(tx, entity).create({
        data: { tenantId: scope.tenantId, ...s.columns, data: s.data, createdById: actor.userId },
        include: includeOf(table),
      })
      const rec = toRecordRow(table, created)
      const changes = Object.fromEntries([...written].filter(([, v]) => !isEmptyValue(v)).map(([k, v]) => [k, { to: v }]))
      const kind = input.kind ?? 'created'
      await writeActivity(tx, scope, actor, table, rec, kind, `${kind === 'imported' ? 'Imported' : 'Created'} ${recordTitle(table, rec)}`, changes)
      await recordOutboxEvent(tx, scope, actor, model, { type: 'record.created', entity, id: rec.id, fields: [...written.keys()], before: null, after: rec })
      const sent = await afterRecordWrite(tx, scope, actor, model, { table, before: null, after: rec, deps })
      return { rec, sent }
    },
    outer?.tx,
  )
  if (!row) return null
  const announce = async () => {
    outboxCommitted(deps.bus)
    await announceRecordChange(deps.bus, scope.tenantId, changeOf(actor, entity, row.rec, 'created', [...written.keys()]))
    await announceNotifications(deps.bus, scope.tenantId, row.sent)
  }
  if (outer) outer.afterCommit(announce)
  else await announce()
  return row.rec
}

/** A stale version: the details name the record and both versions, so a client can reload it. */
const stale = (table: RecordTable, id: string, current: number, expected: number) =>
  new ConflictError(`This ${table.entity} changed meanwhile (version ${current}, you edited ${expected}); reload it`, {
    entity: table.entity,
    id,
    expectedVersion: expected,
    currentVersion: current,
  })

export type UpdateOptions = {
  /**
   * Work that must commit or roll back with this write (the automation run log stores a step's
   * success here, decision 018), given the record as written. Runs also when nothing changed.
   */
  alsoInTransaction?: (tx: Tx, row: RecordRow) => Promise<void>
}

/** Partial update: only the keys sent are validated and changed; a stale version is a CONFLICT. */
export async function updateRecord(
  scope: TenantScope,
  actor: CrmActor,
  input: { entity: Entity; id: string; expectedVersion: number; values: unknown },
  deps: CrmDeps,
  opts: UpdateOptions = {},
): Promise<RecordRow> {
  return withLiveModel(scope, deps, (model) => updateRecordOn(model, scope, actor, input, deps, opts))
}

async function updateRecordOn(
  model: LiveModel & { checkAtWrite?: boolean },
  scope: TenantScope,
  actor: CrmActor,
  input: { entity: Entity; id: string; expectedVersion: number; values: unknown },
  deps: CrmDeps,
  opts: UpdateOptions,
): Promise<RecordRow> {
  const { entity, id, expectedVersion, values } = input
  const table = RECORD_TABLES[entity]
  const fields = model.fields(entity)
  const parsed = model.updateSchema(entity).safeParse(values)
  if (!parsed.success) throw invalidInput(zodIssues(parsed.error), 'Invalid values')
  // A cleared custom field arrives as null and is removed from `data` below.
  const s = split(table, fields, parsed.data as Record<string, unknown>)
  const written = apiValues(table, s)

  const result = await writeTransaction(scope, async (tx) => {
    const stored = await delegateOf(tx, entity).findFirst({ where: { id }, include: includeOf(table) })
    if (!stored) throw notFound(table)
    const current = toRecordRow(table, stored)
    if (current.version !== expectedVersion) throw stale(table, id, current.version, expectedVersion)
    const readOnly = permissionIssues(model, entity, actor, written, current)
    if (readOnly.length) throw invalidInput(readOnly, 'Invalid values')
    const changed = [...written].filter(([k, v]) => !same(currentValue(current, k), v))
    if (changed.length === 0) {
      await opts.alsoInTransaction?.(tx, current)
      return { row: current, fields: [] as string[], sent: [] as StoredNotification[] }
    }
    await enforceApprovalLocks(tx, { entity, recordId: id, changed: changed.map(([k]) => k), index: model.index })
    const refs = await checkReferences(tx, scope, fields, new Map(changed))
    if (refs.length) throw invalidInput(refs, 'Invalid values')

    const data = { ...current.data }
    for (const [k, v] of Object.entries(s.data)) {
      if (v === null) delete data[k]
      else data[k] = v
    }
    const columns = Object.fromEntries(Object.entries(s.columns).filter(([k]) => changed.some(([c]) => c === k)))
    const [updated] = await delegateOf(tx, entity).updateManyAndReturn({
      where: { id, version: expectedVersion },
      data: { ...columns, data, version: { increment: 1 } },
      include: includeOf(table),
    })
    if (!updated) throw stale(table, id, expectedVersion + 1, expectedVersion)
    const row = toRecordRow(table, updated)
    const changes = Object.fromEntries(changed.map(([k, v]) => [k, { from: currentValue(current, k) ?? null, to: v ?? null }]))
    const names = changed.map(([k]) => k)
    // The timeline speaks the tenant's words: field labels from the live config ("Discount %"),
    // never the API names (`data.discountPercent`); `changes` keeps the names for machines.
    const label = (name: string) => fields.find((f) => f.name === name.replace(/^data\./, ''))?.label ?? name.replace(/^data\./, '')
    await writeActivity(tx, scope, actor, table, row, 'updated', `Updated ${names.map(label).join(', ')}`, changes)
    await recordOutboxEvent(tx, scope, actor, model, { type: 'record.updated', entity, id, fields: names, before: current, after: row })
    const sent = await afterRecordWrite(tx, scope, actor, model, { table, before: current, after: row, deps })
    await opts.alsoInTransaction?.(tx, row)
    return { row, fields: names, sent }
  })
  if (result.fields.length) {
    outboxCommitted(deps.bus)
    await announceRecordChange(deps.bus, scope.tenantId, changeOf(actor, entity, result.row, 'updated', result.fields))
  }
  await announceNotifications(deps.bus, scope.tenantId, result.sent)
  return result.row
}

/** Deletes a record (manager+). A customer that still has deals or cases is a CONFLICT. */
export async function removeRecord(
  scope: TenantScope,
  actor: CrmActor,
  input: { entity: Entity; id: string; expectedVersion?: number },
  deps: CrmDeps,
): Promise<{ id: string; deleted: true }> {
  const { entity, id, expectedVersion } = input
  const table = RECORD_TABLES[entity]
  const row = await withLiveModel(scope, deps, (model) =>
    writeTransaction(scope, async (tx) => {
      const stored = await delegateOf(tx, entity).findFirst({ where: { id }, include: includeOf(table) })
      if (!stored) throw notFound(table)
      const current = toRecordRow(table, stored)
      if (expectedVersion !== undefined && current.version !== expectedVersion) throw stale(table, id, current.version, expectedVersion)
      if (entity === 'customer') {
        const [deals, cases] = await Promise.all([tx.deal.count({ where: { customerId: id } }), tx.case.count({ where: { customerId: id } })])
        if (deals + cases > 0) {
          throw new ConflictError(`This customer still has ${deals} deal(s) and ${cases} case(s); delete or move them first`, { entity, id, deals, cases })
        }
      }
      const res = await delegateOf(tx, entity).deleteMany({ where: { id, version: current.version } })
      if (res.count === 0) throw stale(table, id, current.version + 1, current.version)
      await writeActivity(tx, scope, actor, table, current, 'deleted', `Deleted ${recordTitle(table, current)}`, {})
      await recordOutboxEvent(tx, scope, actor, model, { type: 'record.deleted', entity, id, fields: [], before: current, after: null })
      if (entity === 'case') await forgetCaseSla(tx, { caseId: id })
      await cancelApprovalsOfRecord(tx, { entity, recordId: id })
      return current
    }),
  )
  outboxCommitted(deps.bus)
  await announceRecordChange(deps.bus, scope.tenantId, changeOf(actor, entity, row, 'deleted', []))
  return { id, deleted: true }
}

export type { Condition }
// What callers of these services (the automation engine) name in their own signatures.
export type { CrmActor, CrmDeps, RecordRow }
