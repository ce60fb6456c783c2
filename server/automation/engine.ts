// The automation engine (decision 018): for one outbox event, the automations of the config
// version live when it happened whose trigger matches, each checked against the loop guard, its
// conditions evaluated and recorded, and its actions run in order with every step's outcome stored
// before the next one starts. Also `runActions` (approvals run their onApprove / onReject lists
// through it) and `retryRun` (an admin re-runs a failed run's failed steps).
import {
  automationsFor,
  buildConfigIndex,
  ConditionEvaluationError,
  evaluateCondition,
  isEntity,
  type ActionContent,
  type AutomationContent,
  type ConfigIndex,
  type Entity,
  type TriggerEvent,
} from '../config-language'
import { snapshotAt } from '../config/live-config'
import { ConflictError, NotFoundError, type TenantScope } from '../kernel'
import { runAction, type AutomationDeps, type StepContext } from './actions'
import { getRun, MAX_CHAIN, openRun, saveRun, type AutomationRun, type ConditionResult, type StepLog } from './run-log'

/** An outbox event as the worker claimed it. */
export type ClaimedEvent = {
  id: string
  type: string
  entity: string | null
  recordId: string | null
  payload: unknown
  configVersion: number
  causedByRunId: string | null
  chain: unknown
  createdAt: Date
}

type RecordPayload = { fields?: string[]; before?: Record<string, unknown> | null; after?: Record<string, unknown> | null; automationKey?: string }

// Indexing a snapshot costs more than the event it serves: keep the recent ones per tenant+version.
const MAX_INDEXES = 200
const indexes = new Map<string, ConfigIndex>()

/** The config index of the tenant's snapshot `version` (config/live-config.ts reads it). */
export async function configAt(scope: TenantScope, deps: Pick<AutomationDeps, 'runtimeConfig'>, version: number): Promise<ConfigIndex> {
  const key = `${scope.tenantId}:${version}`
  let index = indexes.get(key)
  if (index) {
    indexes.delete(key)
  } else {
    index = buildConfigIndex((await snapshotAt(deps.runtimeConfig, scope, version)).items)
    if (indexes.size >= MAX_INDEXES) indexes.delete(indexes.keys().next().value!)
  }
  indexes.set(key, index)
  return index
}

/** Whether a record.updated trigger's `fields` saw a change (custom fields arrive as `data.<name>`). */
export function triggerFieldsChanged(triggerFields: readonly string[] | undefined, changed: readonly string[]): boolean {
  if (!triggerFields?.length) return true
  return triggerFields.some((f) => changed.includes(f) || changed.includes(`data.${f}`))
}

/** The automations an event starts, in run order. */
export function matchingAutomations(index: ConfigIndex, event: Pick<ClaimedEvent, 'type' | 'entity' | 'payload'>) {
  if (!event.entity || !isEntity(event.entity)) return []
  const entity = event.entity
  const payload = (event.payload ?? {}) as RecordPayload
  return automationsFor(index, entity, event.type as TriggerEvent).filter((a) => {
    const trigger = index.content('triggers', entity, a.content.trigger)
    if (event.type === 'record.updated') return triggerFieldsChanged(trigger?.fields, payload.fields ?? [])
    if (event.type === 'schedule') return payload.automationKey === a.key
    return true
  })
}

/** Each condition of an automation against the record, in order; an unevaluable one is false. */
export function evaluateConditions(
  index: ConfigIndex,
  automation: Pick<AutomationContent, 'entity' | 'conditions'>,
  record: Record<string, unknown> | null,
  previous: Record<string, unknown> | null,
): ConditionResult[] {
  const entity = automation.entity
  const ctx = { previous, fields: index.fields(entity), entity, conditions: index.conditions(entity) }
  return automation.conditions.map((key) => {
    const when = index.content('conditions', entity, key)?.when
    if (!when || !record) return { key, result: false }
    try {
      return { key, result: evaluateCondition(when, record, ctx) }
    } catch (error) {
      if (error instanceof ConditionEvaluationError) return { key, result: false }
      throw error
    }
  })
}

/** Runs every automation the event matches. Throws only what should make the worker try again. */
export async function processEvent(scope: TenantScope, event: ClaimedEvent, deps: AutomationDeps, hooks: EngineHooks = {}): Promise<void> {
  const index = await configAt(scope, deps, event.configVersion)
  for (const automation of matchingAutomations(index, event)) {
    await runAutomation(scope, event, automation, index, deps, hooks)
  }
  await runApprovalOutcome(scope, event, deps)
}

type ApprovalDecidedPayload = { ruleKey?: string; final?: boolean; actions?: string[] }

/**
 * A decided approval request runs its rule's onApprove / onReject actions (in the event's payload,
 * decision 022) as one run, idempotent per event like any other.
 */
async function runApprovalOutcome(scope: TenantScope, event: ClaimedEvent, deps: AutomationDeps): Promise<void> {
  if (event.type !== 'approval.decided' || !event.entity || !event.recordId) return
  const payload = (event.payload ?? {}) as ApprovalDecidedPayload
  if (!payload.final || !payload.actions?.length) return
  await runActions(
    scope,
    {
      label: `approval:${payload.ruleKey ?? 'rule'}`,
      idempotencyKey: `${event.id}:approval-outcome`,
      entity: event.entity as Entity,
      recordId: event.recordId,
      actionKeys: payload.actions,
      configVersion: event.configVersion,
      chain: Array.isArray(event.chain) ? (event.chain as string[]) : [],
      causedByRunId: event.causedByRunId,
    },
    deps,
  )
}

/** Test seams: called after each step's outcome is stored (a test may stall here to "kill" a worker). */
export type EngineHooks = { afterStep?: (info: { runId: string; stepIndex: number; automationKey: string }) => Promise<void> | void }

const linkOf = (automationKey: string, recordId: string | null) => `${automationKey}:${recordId ?? '-'}`

async function runAutomation(
  scope: TenantScope,
  event: ClaimedEvent,
  automation: { key: string; content: AutomationContent },
  index: ConfigIndex,
  deps: AutomationDeps,
  hooks: EngineHooks,
): Promise<void> {
  const { key, content } = automation
  const eventChain = Array.isArray(event.chain) ? (event.chain as string[]) : []
  const link = linkOf(key, event.recordId)
  // The loop guard: a change made by automations may start automations, to a bounded depth, and
  // never the same automation for the same record twice in one chain.
  const guard =
    eventChain.length >= MAX_CHAIN
      ? `loop guard: depth ${eventChain.length} reached (at most ${MAX_CHAIN})`
      : eventChain.includes(link)
        ? `loop guard: ${key} already ran for this record in this chain`
        : null
  const payload = (event.payload ?? {}) as RecordPayload
  const record = payload.after ?? payload.before ?? null
  const previous = event.type === 'record.updated' ? (payload.before ?? null) : null
  const conditions = guard ? [] : evaluateConditions(index, content, record, previous)
  const matched = !guard && conditions.every((c) => c.result)
  const failing = conditions.filter((c) => !c.result).map((c) => c.key)
  // Guard and conditions depend on the event alone, so the run opens with its outcome (one write
  // for a skipped run); a run found already open (its event claimed again) carries on as stored.
  const skip = guard ?? (matched ? null : `conditions not met: ${failing.join(', ')}`)
  const run = await openRun(scope, {
    automationKey: key,
    configVersion: event.configVersion,
    eventId: event.id,
    event: event.type,
    entity: event.entity,
    recordId: event.recordId,
    chain: [...eventChain, link],
    causedByRunId: event.causedByRunId,
    steps: content.actions.map((actionKey) => ({
      actionKey,
      type: index.content('actions', content.entity, actionKey)?.type ?? 'unknown',
      status: 'pending',
      attempts: 0,
      ms: 0,
    })),
    ...(guard ? {} : { matched, conditions }),
    ...(skip ? { status: 'skipped', reason: skip, finishedAt: new Date() } : {}),
  })
  if (run.status !== 'running' && run.status !== 'pending') return // skipped, or finished before a worker died
  await executeSteps(scope, run, index, deps, hooks, {
    entity: content.entity,
    actionKeys: content.actions,
    event: { id: event.id, type: event.type, at: event.createdAt.toISOString(), ...(payload.fields ? { fields: payload.fields } : {}) },
    eventRecord: record,
  })
}

type StepsInput = {
  entity: Entity
  actionKeys: readonly string[]
  event: StepContext['event']
  eventRecord: Record<string, unknown> | null
}

/**
 * Runs the run's steps that have not succeeded, in order, storing each outcome before the next
 * starts; the first failure stops the run (later steps stay pending, for a retry to run). The last
 * step's success also finishes the run, in the same write (in the step's own transaction when it
 * has one), so a run of fast steps costs no separate closing write.
 */
async function executeSteps(scope: TenantScope, run: AutomationRun, index: ConfigIndex, deps: AutomationDeps, hooks: EngineHooks, input: StepsInput) {
  const actions: (ActionContent | undefined)[] = input.actionKeys.map((k) => index.content('actions', input.entity, k))
  const steps: StepLog[] = input.actionKeys.map(
    (actionKey, i) => run.steps[i] ?? { actionKey, type: actions[i]?.type ?? 'unknown', status: 'pending', attempts: 0, ms: 0 },
  )
  const lastToRun = steps.findLastIndex((s) => s.status !== 'succeeded')
  const seen: StepContext['seen'] = { record: null }
  let failure: string | null = null
  let finished = false
  for (let i = 0; i < steps.length; i++) {
    if (steps[i]!.status === 'succeeded') continue
    const action = actions[i]
    const started = performance.now()
    steps[i] = { ...steps[i]!, attempts: steps[i]!.attempts + 1, status: 'pending', error: undefined }
    const done = (status: 'succeeded' | 'failed', extra: Partial<StepLog>) => {
      steps[i] = { ...steps[i]!, ...extra, status, ms: Math.round(performance.now() - started) }
      return steps
    }
    const succeed = async (db: Parameters<typeof saveRun>[0], result: unknown) => {
      const last = i === lastToRun
      await saveRun(db, run.id, { steps: done('succeeded', { result }), ...(last ? { status: 'succeeded', reason: null, finishedAt: new Date() } : {}) })
      finished = last
    }
    const ctx: StepContext = {
      scope,
      deps,
      index,
      configVersion: run.configVersion,
      runId: run.id,
      automationKey: run.automationKey,
      chain: run.chain,
      entity: input.entity,
      recordId: run.recordId,
      event: input.event,
      eventRecord: input.eventRecord,
      seen,
      stepIndex: i,
      actions,
      step: steps[i]!,
      saveStep: async (step) => {
        steps[i] = step
        await saveRun(scope.db, run.id, { steps })
      },
      succeedIn: (tx, result) => succeed(tx, result),
    }
    try {
      if (!action) throw new Error(`The action ${input.actionKeys[i]} is missing from config version ${run.configVersion}`)
      const outcome = await runAction(ctx, action)
      if (!outcome.stored) await succeed(scope.db, outcome.result)
    } catch (error) {
      failure = `${input.actionKeys[i]}: ${messageOf(error)}`
      finished = false
      await saveRun(scope.db, run.id, { steps: done('failed', { error: messageOf(error) }) })
    }
    await hooks.afterStep?.({ runId: run.id, stepIndex: i, automationKey: run.automationKey })
    if (failure) break
  }
  if (!finished) await saveRun(scope.db, run.id, { status: failure ? 'failed' : 'succeeded', reason: failure, finishedAt: new Date(), steps })
}

function messageOf(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error)
  return text.length > 1_000 ? `${text.slice(0, 999)}…` : text
}

/**
 * Runs a list of actions of `entity` for one record outside an automation (approvals' onApprove /
 * onReject), logged as a run of `label`. `idempotencyKey` names the occasion: calling again with
 * the same key resumes that run instead of acting twice.
 */
export async function runActions(
  scope: TenantScope,
  input: {
    label: string
    idempotencyKey: string
    entity: Entity
    recordId: string
    actionKeys: readonly string[]
    configVersion: number
    chain?: string[]
    causedByRunId?: string | null
  },
  deps: AutomationDeps,
): Promise<AutomationRun> {
  const index = await configAt(scope, deps, input.configVersion)
  const run = await openRun(scope, {
    automationKey: input.label,
    configVersion: input.configVersion,
    eventId: input.idempotencyKey,
    event: 'actions',
    entity: input.entity,
    recordId: input.recordId,
    chain: [...(input.chain ?? []), linkOf(input.label, input.recordId)],
    causedByRunId: input.causedByRunId ?? null,
    steps: [],
  })
  if (run.status === 'running' || run.status === 'pending') {
    await saveRun(scope.db, run.id, { matched: true })
    await executeSteps(
      scope,
      run,
      index,
      deps,
      {},
      {
        entity: input.entity,
        actionKeys: input.actionKeys,
        event: { id: input.idempotencyKey, type: 'actions', at: new Date().toISOString() },
        eventRecord: null,
      },
    )
  }
  return getRun(scope, { id: run.id })
}

/**
 * Re-runs a failed run's steps that did not succeed (an admin's retry), with the config version and
 * event of the original run. A run that is not failed is a CONFLICT.
 */
export async function retryRun(scope: TenantScope, input: { id: string }, deps: AutomationDeps): Promise<AutomationRun> {
  const run = await getRun(scope, input)
  const claimed = await scope.db.automationRun.updateMany({ where: { id: run.id, status: 'failed' }, data: { status: 'running', finishedAt: null } })
  if (claimed.count === 0) throw new ConflictError(`Only a failed run can be retried; this one is ${run.status}`, { id: run.id, status: run.status })
  const index = await configAt(scope, deps, run.configVersion)
  const event = await scope.db.outboxEvent.findFirst({ where: { id: run.eventId }, select: { type: true, payload: true, createdAt: true } })
  const payload = (event?.payload ?? {}) as RecordPayload
  const entity = run.entity && isEntity(run.entity) ? run.entity : null
  if (!entity) throw new NotFoundError('The run has no entity to act on')
  // The steps as the run logged them: step i of the retry is step i of the original run.
  const actionKeys = run.steps.length ? run.steps.map((s) => s.actionKey) : (index.content('automations', '-', run.automationKey)?.actions ?? [])
  await executeSteps(
    scope,
    run,
    index,
    deps,
    {},
    {
      entity,
      actionKeys,
      event: { id: run.eventId, type: run.event, at: (event?.createdAt ?? run.startedAt).toISOString(), ...(payload.fields ? { fields: payload.fields } : {}) },
      eventRecord: payload.after ?? payload.before ?? null,
    },
  )
  return getRun(scope, { id: run.id })
}
