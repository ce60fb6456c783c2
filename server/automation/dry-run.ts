// The dry run: an automation (published, the Studio's working copy, or content not saved yet)
// against one record and an optional simulated change, answered as the trace the engine would
// follow: did the trigger fire, each condition's result with why it failed, and what each action
// would do. It only reads: no record, outbox event, run, audit entry, notification or cursor move.
import {
  ASSIGNEE_FIELD,
  automationContentSchema,
  buildConfigIndex,
  ENTITY_INFO,
  evaluateCondition,
  readField,
  walkCondition,
  writeField,
  type ActionContent,
  type AutomationContent,
  type Condition,
  type ConfigIndex,
  type Entity,
  type EvaluationContext,
  type FieldCondition,
} from '../config-language'
import { draftConfigItems, liveSnapshot } from '../config/live-config'
import { getRecord } from '../crm/record-service'
import { invalidInput, NotFoundError, type TenantScope } from '../kernel'
import { memberNames, membersWithRole } from '../members/member-directory'
import { createValues, notificationOf, peekInTurn, type AutomationDeps } from './actions'
import { configAt, triggerFieldsChanged } from './engine'

export type DryRunInput = {
  /** An automation by key: the published one, or the working copy with `draft`. */
  automationKey?: string
  draft?: boolean
  /** Or content not saved yet; its trigger, conditions and actions are read from the working copy. */
  automation?: unknown
  recordId: string
  /** For update triggers: the change to simulate (values as a write sends them). */
  change?: { fields?: string[]; values: Record<string, unknown> }
}

export type DryRunResult = {
  matched: boolean
  trigger: { event: string | null; result: boolean; why?: string }
  conditions: Array<{ key: string; result: boolean; why?: string }>
  steps: Array<{ actionKey: string; type: ActionContent['type'] | 'unknown'; wouldDo: string }>
}

export async function dryRun(scope: TenantScope, input: DryRunInput, deps: Pick<AutomationDeps, 'runtimeConfig' | 'requestApproval'>): Promise<DryRunResult> {
  const { index, content } = await automationOf(scope, input, deps)
  const entity = content.entity
  const record = await getRecord(scope, null, { entity, id: input.recordId })
  const fields = index.fields(entity)

  // The record after the simulated change, and which fields that change touches.
  let after: Record<string, unknown> = record
  const changed: string[] = []
  for (const [name, value] of Object.entries(input.change?.values ?? {})) {
    const def = index.field(entity, name)
    after = writeField(after, def ?? { name, builtIn: true }, value)
    changed.push(def && !def.builtIn ? `data.${name}` : name)
  }
  if (input.change?.fields) changed.push(...input.change.fields)

  const trigger = index.content('triggers', entity, content.trigger)
  const event = trigger?.event ?? null
  let triggerResult: DryRunResult['trigger']
  if (!trigger) triggerResult = { event, result: false, why: `The trigger ${content.trigger} does not exist` }
  else if (event === 'record.updated' && !input.change) triggerResult = { event, result: false, why: 'An update trigger needs a simulated change' }
  else if (event === 'record.updated' && !triggerFieldsChanged(trigger.fields, changed))
    triggerResult = { event, result: false, why: `The change does not touch ${trigger.fields!.join(', ')}` }
  else triggerResult = { event, result: true }
  if (!content.enabled) triggerResult = { ...triggerResult, result: false, why: 'The automation is disabled' }

  const previous = event === 'record.updated' ? record : null
  const ctx: EvaluationContext = { previous, fields, entity, conditions: index.conditions(entity) }
  const conditions = content.conditions.map((key) => {
    const when = index.content('conditions', entity, key)?.when
    if (!when) return { key, result: false, why: `The condition ${key} does not exist` }
    const result = evaluateCondition(when, after, ctx)
    return result ? { key, result } : { key, result, why: explain(when, after, ctx) }
  })

  const steps: DryRunResult['steps'] = []
  for (const actionKey of content.actions) {
    const action = index.content('actions', entity, actionKey)
    steps.push({
      actionKey,
      type: action?.type ?? 'unknown',
      wouldDo: action ? await wouldDo(scope, index, entity, input.recordId, after, action, deps) : `Nothing: the action ${actionKey} does not exist`,
    })
  }
  return { matched: triggerResult.result && conditions.every((c) => c.result), trigger: triggerResult, conditions, steps }
}

async function automationOf(
  scope: TenantScope,
  input: DryRunInput,
  deps: Pick<AutomationDeps, 'runtimeConfig'>,
): Promise<{ index: ConfigIndex; content: AutomationContent }> {
  if ((input.automationKey === undefined) === (input.automation === undefined)) {
    throw invalidInput([{ path: ['automationKey'], message: 'Pass either automationKey or automation' }])
  }
  if (input.automation !== undefined) {
    const parsed = automationContentSchema.safeParse(input.automation)
    if (!parsed.success) {
      throw invalidInput(
        parsed.error.issues.map((i) => ({ path: ['automation', ...i.path.filter((p): p is string | number => typeof p !== 'symbol')], message: i.message })),
      )
    }
    return { index: buildConfigIndex(await draftConfigItems(scope)), content: parsed.data }
  }
  const index = input.draft
    ? buildConfigIndex(await draftConfigItems(scope))
    : await configAt(scope, deps, (await liveSnapshot(deps.runtimeConfig, scope)).version)
  const content = index.content('automations', '-', input.automationKey!)
  if (!content) throw new NotFoundError(`Automation ${input.automationKey} not found`)
  return { index, content }
}

const shown = (value: unknown) => (value === undefined || value === null || value === '' ? 'empty' : JSON.stringify(value))

/** Why a condition is false: its first few failing field tests, in words. */
function explain(when: Condition, record: Record<string, unknown>, ctx: EvaluationContext): string {
  const reasons: string[] = []
  walkCondition(when, (node) => {
    if (!('field' in node) || reasons.length >= 3) return
    if (evaluateCondition(node, record, ctx)) return
    reasons.push(leafReason(node, record, ctx))
  })
  return reasons.length ? reasons.join('; ') : 'The condition is false for this record'
}

function leafReason(leaf: FieldCondition, record: Record<string, unknown>, ctx: EvaluationContext): string {
  const def = ctx.fields?.find((f) => f.name === leaf.field)
  const label = def?.label ?? leaf.field
  const now = readField(record, def ?? leaf.field, ctx.entity)
  const before = ctx.previous ? readField(ctx.previous, def ?? leaf.field, ctx.entity) : undefined
  switch (leaf.op) {
    case 'changed':
    case 'changedTo':
    case 'changedFrom':
      if (!ctx.previous) return `${label}: ${leaf.op} needs a change (this trigger has no previous values)`
      return `${label} went from ${shown(before)} to ${shown(now)}, not ${leaf.op} ${shown(leaf.value)}`
    case 'isEmpty':
    case 'isNotEmpty':
      return `${label} is ${shown(now)}, expected ${leaf.op === 'isEmpty' ? 'empty' : 'a value'}`
    default:
      return `${label} is ${shown(now)}, expected ${leaf.op} ${shown(leaf.value)}`
  }
}

async function names(scope: TenantScope, ids: readonly string[]): Promise<string[]> {
  const known = await memberNames(scope, ids)
  return ids.map((id) => known.get(id) ?? `${id} (not a member)`)
}

async function wouldDo(
  scope: TenantScope,
  index: ConfigIndex,
  entity: Entity,
  recordId: string,
  record: Record<string, unknown>,
  action: ActionContent,
  deps: Pick<AutomationDeps, 'requestApproval'>,
): Promise<string> {
  const label = (e: Entity, name: string) => index.field(e, name)?.label ?? name
  switch (action.type) {
    case 'setField': {
      const now = readField(record, index.field(entity, action.field) ?? action.field, entity)
      const same = JSON.stringify(now ?? null) === JSON.stringify(action.value)
      return `Set ${label(entity, action.field)} to ${shown(action.value)}${same ? ' (already set: no change)' : ''}`
    }
    case 'assign': {
      const field = label(entity, ASSIGNEE_FIELD[entity])
      if ('userId' in action.to) return `Set ${field} to ${(await names(scope, [action.to.userId]))[0]}`
      const next = await peekInTurn(scope, action.to.roundRobinRole)
      return next
        ? `Set ${field} to ${next.name} (the next ${action.to.roundRobinRole.toLowerCase()} in turn)`
        : `Fail: no member has the role ${action.to.roundRobinRole.toLowerCase()}`
    }
    case 'addTag': {
      const tags = Array.isArray(record.tags) ? (record.tags as string[]) : []
      return `Add the tag "${action.tag}"${tags.includes(action.tag) ? ' (already tagged: no change)' : ''}`
    }
    case 'createRecord': {
      const values = createValues({ index, entity }, action, record)
      const flat = { ...values, ...((values.data as Record<string, unknown> | undefined) ?? {}) }
      delete flat.data
      const parts = Object.entries(flat).map(([k, v]) => `${label(action.entity, k)} ${shown(v)}`)
      return `Create a ${ENTITY_INFO[action.entity].singular.toLowerCase()} with ${parts.join(', ')}`
    }
    case 'notify': {
      const note = notificationOf({ index, entity, recordId }, action, record)
      const byRole = note.roles.length ? await membersWithRole(scope, note.roles) : []
      const people = [...new Set([...(await names(scope, note.userIds)), ...byRole.map((m) => m.name)])]
      return people.length ? `Notify ${people.join(', ')}: "${note.title}"` : `Notify nobody (no recipient is a member): "${note.title}"`
    }
    case 'webhook':
      return `POST the event and record to ${action.url}${action.secretRef ? `, signed with the secret "${action.secretRef}"` : ', unsigned'}, retried up to ${action.retries} time(s)`
    case 'requestApproval':
      return `Request the approval "${action.approval}"${deps.requestApproval ? '' : ' (fails: approvals are not available yet)'}`
  }
}
