// The actions an automation run performs, one function per action type. Each is idempotent under
// retry (decision 018): the step index and the run id are its idempotency key, so a run resumed
// after a worker died, or retried by an admin, never applies a step twice:
// - setField / addTag write only what is not there yet; `assign` stores its pick in the step before
//   writing, so a resumed step assigns the same member;
// - createRecord finds the record this run step already created through the outbox (its event
//   carries the run id);
// - notify stores the notifications and the step's success in one transaction;
// - webhook sends the same `Pulse8-Delivery` id (runId:stepIndex) for receivers to deduplicate;
// - requestApproval passes the same idempotency key to the approvals hook.
// Record writes go through the crm's services, attributed to the automation (Actor.cause).
import {
  ASSIGNEE_FIELD,
  ENTITY_INFO,
  readField,
  renderMessage,
  TAGS_FIELD,
  type ActionContent,
  type ActionOf,
  type ConfigIndex,
  type Entity,
  type Role,
} from '../config-language'
import { ConflictError, InvalidError, type Actor, type TenantScope, type TenantTx } from '../kernel'
import { createRecord, getRecord, updateRecord, type CrmActor, type CrmDeps, type RecordRow } from '../crm/record-service'
import { membersWithRole } from '../members/member-directory'
import { announceNotifications, sendNotifications, type StoredNotification } from '../notifications/notifications'
import { deliverWebhook as defaultDeliverWebhook, webhookOptions, type WebhookOptions, type WebhookRequest, type WebhookResult } from './webhook-delivery'
import { readSecret as defaultReadSecret } from '../secrets/secrets'
import type { StepLog } from './run-log'
import { startApprovalRequest } from '../approvals/approvals'

/** The approvals domain's entry point, wired in by the composition root when approvals exist. */
export type RequestApproval = (
  scope: TenantScope,
  actor: Actor,
  input: { ruleKey: string; entity: Entity; recordId: string; configVersion: number; idempotencyKey: string },
) => Promise<unknown>

export type AutomationDeps = CrmDeps & {
  requestApproval?: RequestApproval
  /** Overrides for tests and tools; the real delivery and secret store by default. */
  deliverWebhook?: (request: WebhookRequest, options?: WebhookOptions) => Promise<WebhookResult>
  /** The process's webhook settings (private destinations, retry base): see webhookOptions. */
  env?: Parameters<typeof webhookOptions>[0]
  readSecret?: (scope: TenantScope, name: string) => Promise<string | null>
}

/** What a step acts on and as whom. */
export type StepContext = {
  scope: TenantScope
  deps: AutomationDeps
  index: ConfigIndex
  configVersion: number
  runId: string
  /** The automation (or approval rule) the run belongs to: its actor's label and notifications' source. */
  automationKey: string
  chain: string[]
  entity: Entity
  recordId: string | null
  /** The triggering event as a webhook sends it. */
  event: { id: string; type: string; at: string; fields?: string[] }
  /** The record as the event saw it (the fallback when it no longer exists). */
  eventRecord: Record<string, unknown> | null
  /** The triggering record as this run last read or wrote it (shared by the run's steps). */
  seen: { record: RecordRow | null }
  stepIndex: number
  /** Every step of the run (createRecord counts the ones before it). */
  actions: readonly (ActionContent | undefined)[]
  /** The step's log as stored (a resumed assign reads its earlier pick from `result`). */
  step: StepLog
  /** Persists the step log (assign stores its pick before writing). */
  saveStep(step: StepLog): Promise<void>
  /** Marks the step succeeded inside `tx` (the transaction of its notifications or its record write). */
  succeedIn(tx: TenantTx, result: unknown): Promise<void>
}

export function automationActor(ctx: Pick<StepContext, 'automationKey' | 'runId' | 'chain'>): CrmActor {
  return { userId: null, tokenId: null, label: `automation: ${ctx.automationKey}`, role: 'ADMIN', cause: { runId: ctx.runId, chain: ctx.chain } }
}

/** What a step did: its result, and whether it already stored its success itself. */
export type StepOutcome = { result: unknown; stored?: boolean }

export async function runAction(ctx: StepContext, action: ActionContent): Promise<StepOutcome> {
  switch (action.type) {
    case 'setField':
      return setField(ctx, action)
    case 'assign':
      return assign(ctx, action)
    case 'addTag':
      return addTag(ctx, action)
    case 'createRecord':
      return { result: await createFrom(ctx, action) }
    case 'notify':
      return { result: await notify(ctx, action), stored: true }
    case 'webhook':
      return { result: await webhook(ctx, action) }
    case 'requestApproval':
      return { result: await requestApproval(ctx, action) }
  }
}

// ---------------------------------------------------------------------------------------------
// record writes

function requireRecord(ctx: StepContext, what: string): string {
  if (!ctx.recordId) throw new InvalidError(`${what} needs a record; this event has none`)
  return ctx.recordId
}

/** The record now (null when it was deleted). */
export async function currentRecord(ctx: Pick<StepContext, 'scope' | 'entity' | 'recordId'>): Promise<RecordRow | null> {
  if (!ctx.recordId) return null
  return getRecord(ctx.scope, null, { entity: ctx.entity, id: ctx.recordId }).catch((error: unknown) => {
    if ((error as { name?: string }).name === 'NotFoundError') return null
    throw error
  })
}

/** A field's value as a write sends it: built-in fields at the top, custom ones under `data`. */
export function valuesFor(index: ConfigIndex, entity: Entity, entries: Record<string, unknown>): Record<string, unknown> {
  const values: Record<string, unknown> = {}
  const data: Record<string, unknown> = {}
  for (const [name, value] of Object.entries(entries)) {
    const def = index.field(entity, name)
    if (def && !def.builtIn) data[name] = value
    else values[name] = value
  }
  return Object.keys(data).length ? { ...values, data } : values
}

const STALE_RETRIES = 5

/** The record as of this run: what an earlier step read or wrote, else read now (and remembered). */
async function recordNow(ctx: StepContext): Promise<RecordRow | null> {
  if (!ctx.seen.record) ctx.seen.record = await currentRecord(ctx)
  return ctx.seen.record
}

/** A record as the event or an earlier step saw it, when it is that record with a version to check against. */
function guessOf(ctx: StepContext, id: string): RecordRow | null {
  const guess = ctx.seen.record ?? ctx.eventRecord
  return guess && guess.id === id && typeof guess.version === 'number' ? (guess as RecordRow) : null
}

/**
 * Updates the triggering record with what `change` asks of its current state (null: nothing to
 * do), storing the step's success in the write's transaction. A stale version (someone wrote
 * meanwhile) re-reads the record and tries again. The first try takes the record as the run last
 * saw it (or as the event saw it) without reading: the write names that version, so it commits
 * only if the guess was still current, and saves a read when it was.
 */
async function updateTriggeringRecord(
  ctx: StepContext,
  what: string,
  change: (current: RecordRow) => Record<string, unknown> | null,
  describe: Record<string, unknown>,
): Promise<StepOutcome> {
  const id = requireRecord(ctx, what)
  let guess = guessOf(ctx, id)
  for (let attempt = 1; ; attempt++) {
    const current = guess && change(guess) ? guess : (ctx.seen.record = await getRecord(ctx.scope, null, { entity: ctx.entity, id }))
    const values = change(current)
    if (!values) return { result: { ...describe, changed: false, version: current.version } }
    let result: unknown
    try {
      ctx.seen.record = await updateRecord(ctx.scope, automationActor(ctx), { entity: ctx.entity, id, expectedVersion: current.version, values }, ctx.deps, {
        alsoInTransaction: async (tx, row) => {
          result = { ...describe, changed: row.version !== current.version, version: row.version }
          await ctx.succeedIn(tx, result)
        },
      })
      return { result, stored: true }
    } catch (error) {
      const stale = error instanceof ConflictError && error.details?.expectedVersion !== undefined
      if (!stale || attempt >= STALE_RETRIES) throw error
      if (current === guess) attempt-- // a wrong guess is not one of the retries
      guess = null
    }
  }
}

async function setField(ctx: StepContext, action: ActionOf<'setField'>): Promise<StepOutcome> {
  const def = ctx.index.field(ctx.entity, action.field)
  const same = (current: RecordRow) => JSON.stringify(readField(current, def ?? action.field, ctx.entity) ?? null) === JSON.stringify(action.value)
  return updateTriggeringRecord(ctx, 'setField', (current) => (same(current) ? null : valuesFor(ctx.index, ctx.entity, { [action.field]: action.value })), {
    field: action.field,
    value: action.value,
  })
}

async function addTag(ctx: StepContext, action: ActionOf<'addTag'>): Promise<StepOutcome> {
  return updateTriggeringRecord(
    ctx,
    'addTag',
    (current) => {
      const tags = Array.isArray(current[TAGS_FIELD]) ? (current[TAGS_FIELD] as string[]) : []
      return tags.includes(action.tag) ? null : { [TAGS_FIELD]: [...tags, action.tag] }
    },
    { tag: action.tag },
  )
}

/**
 * The next member of `role` in turn. The cursor is one row per tenant and role, incremented
 * atomically, so instances assigning at the same moment take different members.
 */
export async function nextInTurn(scope: TenantScope, role: Role): Promise<{ userId: string; name: string } | null> {
  const members = await membersWithRole(scope, role)
  if (members.length === 0) return null
  const position = await advanceCursor(scope, role)
  return members[position % members.length]!
}

async function advanceCursor(scope: TenantScope, role: Role): Promise<number> {
  for (;;) {
    const where = { tenantId_role: { tenantId: scope.tenantId, role } }
    const updated = await scope.db.roundRobinCursor
      .update({ where, data: { position: { increment: 1 } }, select: { position: true } })
      .catch((error: unknown) => {
        if ((error as { code?: string }).code === 'P2025') return null
        throw error
      })
    if (updated) return updated.position
    const created = await scope.db.roundRobinCursor
      .create({ data: { tenantId: scope.tenantId, role, position: 0 }, select: { position: true } })
      .catch((error: unknown) => {
        if ((error as { code?: string }).code === 'P2002') return null // another instance made it first: increment it
        throw error
      })
    if (created) return created.position
  }
}

/** Where the cursor stands, without moving it (the dry run's "would assign"). */
export async function peekInTurn(scope: TenantScope, role: Role): Promise<{ userId: string; name: string } | null> {
  const members = await membersWithRole(scope, role)
  if (members.length === 0) return null
  const cursor = await scope.db.roundRobinCursor.findFirst({ where: { role }, select: { position: true } })
  return members[cursor ? (cursor.position + 1) % members.length : 0]!
}

async function assign(ctx: StepContext, action: ActionOf<'assign'>): Promise<StepOutcome> {
  const field = ASSIGNEE_FIELD[ctx.entity]
  requireRecord(ctx, 'assign')
  // The pick is stored before the write: a resumed step assigns the member it picked, and the
  // round-robin cursor moves once per step, not once per attempt.
  const earlier = (ctx.step.result as { userId?: string } | undefined)?.userId
  let userId = earlier
  if (!userId) {
    if ('userId' in action.to) userId = action.to.userId
    else {
      const next = await nextInTurn(ctx.scope, action.to.roundRobinRole)
      if (!next) throw new InvalidError(`No member has the role ${action.to.roundRobinRole.toLowerCase()} to assign to`)
      userId = next.userId
    }
    await ctx.saveStep({ ...ctx.step, result: { userId } })
  }
  return updateTriggeringRecord(ctx, 'assign', (current) => (current[field] === userId ? null : { [field]: userId }), { field, userId })
}

/** Values of a createRecord action, with `{copyFrom}` read from the triggering record. */
export function createValues(ctx: Pick<StepContext, 'index' | 'entity'>, action: ActionOf<'createRecord'>, source: Record<string, unknown> | null) {
  const entries: Record<string, unknown> = {}
  for (const [name, value] of Object.entries(action.values)) {
    if (value !== null && typeof value === 'object' && !Array.isArray(value) && 'copyFrom' in value) {
      const from = value.copyFrom
      entries[name] = source ? (readField(source, ctx.index.field(ctx.entity, from) ?? from, ctx.entity) ?? null) : null
    } else entries[name] = value
  }
  return valuesFor(ctx.index, action.entity, entries)
}

async function createFrom(ctx: StepContext, action: ActionOf<'createRecord'>) {
  // The record this step created on an earlier attempt: the n-th record of the entity this run
  // created is the n-th createRecord step of that entity (steps run in order).
  const nth = ctx.actions.slice(0, ctx.stepIndex).filter((a) => a?.type === 'createRecord' && a.entity === action.entity).length
  const made = await ctx.scope.db.outboxEvent.findMany({
    where: { causedByRunId: ctx.runId, type: 'record.created', entity: action.entity },
    orderBy: { seq: 'asc' },
    select: { recordId: true },
  })
  if (made[nth]?.recordId) return { entity: action.entity, id: made[nth].recordId, existing: true }
  const source = (await recordNow(ctx)) ?? ctx.eventRecord
  const row = await createRecord(ctx.scope, automationActor(ctx), { entity: action.entity, values: createValues(ctx, action, source) }, ctx.deps)
  return { entity: action.entity, id: row!.id }
}

// ---------------------------------------------------------------------------------------------
// notify, webhook, approval

export function recordLink(entity: Entity, recordId: string | null): string | null {
  return recordId ? `/${ENTITY_INFO[entity].path}/${recordId}` : null
}

/** Who a notify action reaches and what it says, read from the record (shared with the dry run). */
export function notificationOf(ctx: Pick<StepContext, 'index' | 'entity' | 'recordId'>, action: ActionOf<'notify'>, record: Record<string, unknown> | null) {
  const fields = ctx.index.fields(ctx.entity)
  const fromFields = (action.userFields ?? []).map((f) => (record ? readField(record, ctx.index.field(ctx.entity, f) ?? f, ctx.entity) : null))
  return {
    userIds: [...(action.users ?? []), ...fromFields.filter((v): v is string => typeof v === 'string' && v !== '')],
    roles: action.roles ?? [],
    title: record ? renderMessage(action.message, record, { fields, entity: ctx.entity }) : action.message,
    link: recordLink(ctx.entity, ctx.recordId),
  }
}

async function notify(ctx: StepContext, action: ActionOf<'notify'>) {
  const record = (await recordNow(ctx)) ?? ctx.eventRecord
  const note = notificationOf(ctx, action, record)
  let sent: StoredNotification[] = []
  const result = () => ({ sent: sent.length, title: note.title })
  await ctx.scope.db.$transaction(async (tx) => {
    sent = await sendNotifications(tx, ctx.scope, { ...note, source: `automation:${ctx.automationKey}` })
    await ctx.succeedIn(tx, result())
  })
  await announceNotifications(ctx.deps.bus, ctx.scope.tenantId, sent)
  return result()
}

async function webhook(ctx: StepContext, action: ActionOf<'webhook'>) {
  const readSecret = ctx.deps.readSecret ?? defaultReadSecret
  const deliver = ctx.deps.deliverWebhook ?? defaultDeliverWebhook
  const secret = action.secretRef ? await readSecret(ctx.scope, action.secretRef) : null
  if (action.secretRef && secret === null) throw new InvalidError(`The secret "${action.secretRef}" does not exist`)
  const record = (await recordNow(ctx)) ?? ctx.eventRecord
  const outcome = await deliver(
    {
      url: action.url,
      body: { event: { ...ctx.event, entity: ctx.entity, recordId: ctx.recordId, automation: ctx.automationKey }, record },
      secret,
      deliveryId: `${ctx.runId}:${ctx.stepIndex}`,
      retries: action.retries,
    },
    webhookOptions(ctx.deps.env ?? {}),
  )
  if (!outcome.ok) throw new Error(`Webhook failed after ${outcome.attempts} attempt(s): ${outcome.error}`)
  return { status: outcome.status, attempts: outcome.attempts }
}

/**
 * The approvals domain's own entry point: opens the request (none when one is already pending for
 * the record and rule, which makes a retried step harmless) and tells the first approvers.
 */
function approvalsService(deps: AutomationDeps): RequestApproval {
  return async (scope, actor, input) => {
    const started = await startApprovalRequest(scope, actor, { ...input, runtimeConfig: deps.runtimeConfig })
    if (!started) return { requested: input.ruleKey, alreadyPending: true }
    await announceNotifications(deps.bus, scope.tenantId, started.notifications)
    return { requested: input.ruleKey, requestId: started.requestId }
  }
}

async function requestApproval(ctx: StepContext, action: ActionOf<'requestApproval'>) {
  const recordId = requireRecord(ctx, 'requestApproval')
  const request = ctx.deps.requestApproval ?? approvalsService(ctx.deps)
  const result = await request(ctx.scope, automationActor(ctx), {
    ruleKey: action.approval,
    entity: ctx.entity,
    recordId,
    configVersion: ctx.configVersion,
    idempotencyKey: `${ctx.runId}:${ctx.stepIndex}`,
  })
  return result ?? { requested: action.approval }
}
