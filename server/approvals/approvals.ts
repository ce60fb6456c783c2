// Approval requests as the approvals router and the automation engine see them (decision 022):
// the caller's queue, a record's requests with their decisions, deciding a step, withdrawing, and
// `startApprovalRequest` for the engine's `requestApproval` action. Starting on record writes,
// field locks and cancelling on publish are in approval-hooks.ts.
import { buildConfigIndex, ENTITIES, type ApprovalContent, type ApprovalStep, type ConfigIndex, type Entity, type Role } from '../config-language'
import { ConflictError, ForbiddenError, NotFoundError, type Actor, type TenantScope, type TenantTx } from '../kernel'
import { recordAudit } from '../audit/audit-log'
import { appendOutboxEvent } from '../automation/outbox'
import { liveSnapshot } from '../config/live-config'
import type { RuntimeConfigCache } from '../config/runtime-config'
import { addRecordActivity, recordFacts } from '../crm/record-facts'
import { memberNames } from '../members/member-directory'
import { announceNotifications, sendNotifications, type StoredNotification } from '../notifications/notifications'
import type { EventBus } from '../realtime/event-bus'
import { notifyApprovers, openApprovalRequest, recordLink, rolesDeciding, type ApprovalStatus } from './approval-hooks'

export type ApprovalDeps = { bus: EventBus; runtimeConfig: RuntimeConfigCache }
/** Who acts, with the role they act in (role steps are decided by role). */
export type ApprovalActor = Actor & { role: Role }

export type ApprovalStepView = { index: number; approverRole: Role | null; approverUserIds: string[]; approvers: string }
/** Instants are ISO 8601 strings, like a record row's. */
export type ApprovalDecisionView = { step: number; userId: string | null; actor: string; decision: 'approve' | 'reject'; comment: string | null; at: string }
export type ApprovalRequestView = {
  id: string
  ruleKey: string
  ruleLabel: string
  entity: Entity
  recordId: string
  recordTitle: string
  status: ApprovalStatus
  step: number
  steps: ApprovalStepView[]
  lockedFields: string[]
  submittedById: string | null
  submittedBy: string
  reason: string | null
  createdAt: string
  decidedAt: string | null
  decisions: ApprovalDecisionView[]
  /** Whether the caller may decide the current step now. */
  canDecide: boolean
  /** Whether the caller may withdraw it (the submitter, while pending). */
  canWithdraw: boolean
}

type StoredRequest = Awaited<ReturnType<typeof loadRequests>>[number]

async function loadRequests(db: TenantScope['db'] | TenantTx, where: object, opts: { take?: number } = {}) {
  return db.approvalRequest.findMany({
    where,
    orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
    include: { decisions: { orderBy: [{ at: 'asc' }, { id: 'asc' }] } },
    take: opts.take,
  })
}

async function liveIndex(scope: TenantScope, runtimeConfig: RuntimeConfigCache, fresh = false): Promise<{ index: ConfigIndex; version: number }> {
  const live = await liveSnapshot(runtimeConfig, scope, { fresh })
  return { index: buildConfigIndex(live.items), version: live.version }
}

const asEntity = (e: string) => ((ENTITIES as readonly string[]).includes(e) ? (e as Entity) : null)

/** Whether `actor` may decide `step` of a request now (role steps: any one member at or above the role; user steps: each listed user once). */
function mayDecide(step: ApprovalStep | undefined, actor: ApprovalActor, decidedBy: readonly (string | null)[]): boolean {
  if (!step) return false
  if (step.approverRole) return rolesDeciding(step.approverRole).includes(actor.role)
  return actor.userId !== null && (step.approverUserIds ?? []).includes(actor.userId) && !decidedBy.includes(actor.userId)
}

function decisionsOfStep(request: StoredRequest, step: number) {
  return request.decisions.filter((d) => d.step === step)
}

async function viewsOf(scope: TenantScope, actor: ApprovalActor, index: ConfigIndex, requests: StoredRequest[]): Promise<ApprovalRequestView[]> {
  const titles = new Map<string, string>()
  for (const entity of ENTITIES) {
    const ids = requests.filter((r) => r.entity === entity).map((r) => r.recordId)
    for (const [id, facts] of await recordFacts(scope.db, entity, ids)) titles.set(`${entity}:${id}`, facts.title)
  }
  const userIds = requests.flatMap((r) => (index.content('approvals', r.entity as Entity, r.ruleKey)?.steps ?? []).flatMap((s) => s.approverUserIds ?? []))
  const names = await memberNames(scope, userIds)
  return requests.map((r) => {
    const entity = r.entity as Entity
    const rule = index.content('approvals', entity, r.ruleKey)
    const steps = (rule?.steps ?? []).map((s, i) => ({
      index: i,
      approverRole: s.approverRole ?? null,
      approverUserIds: s.approverUserIds ?? [],
      approvers: s.approverRole
        ? `any ${s.approverRole.toLowerCase()}`
        : `all of ${(s.approverUserIds ?? []).map((id) => names.get(id) ?? 'a former member').join(', ')}`,
    }))
    const pending = r.status === 'pending'
    return {
      id: r.id,
      ruleKey: r.ruleKey,
      ruleLabel: rule?.label ?? r.ruleKey,
      entity,
      recordId: r.recordId,
      recordTitle: titles.get(`${entity}:${r.recordId}`) ?? `${entity} ${r.recordId}`,
      status: r.status as ApprovalStatus,
      step: r.step,
      steps,
      lockedFields: pending ? (r.lockedFields as string[]) : [],
      submittedById: r.submittedById,
      submittedBy: r.submittedBy,
      reason: r.reason,
      createdAt: r.createdAt.toISOString(),
      decidedAt: r.decidedAt?.toISOString() ?? null,
      decisions: r.decisions.map((d) => ({
        step: d.step,
        userId: d.userId,
        actor: d.actor,
        decision: d.decision as 'approve' | 'reject',
        comment: d.comment,
        at: d.at.toISOString(),
      })),
      canDecide:
        pending &&
        mayDecide(
          rule?.steps[r.step],
          actor,
          decisionsOfStep(r, r.step).map((d) => d.userId),
        ),
      canWithdraw: pending && actor.userId !== null && actor.userId === r.submittedById,
    }
  })
}

export const PENDING_PAGE_SIZE = 50
/** How many pending requests one queue read looks through (the queue filters by step in memory). */
const PENDING_SCAN_LIMIT = 2_000

/** Pending requests the caller may decide now, oldest first; `cursor` is the last id of the previous page. */
export async function pendingApprovals(
  scope: TenantScope,
  actor: ApprovalActor,
  input: { cursor?: string; limit?: number },
  deps: ApprovalDeps,
): Promise<{ items: ApprovalRequestView[]; nextCursor: string | null }> {
  const { index } = await liveIndex(scope, deps.runtimeConfig)
  const limit = input.limit ?? PENDING_PAGE_SIZE
  const all = await loadRequests(scope.db, { status: 'pending' }, { take: PENDING_SCAN_LIMIT })
  const decidable = all.filter((r) => {
    const rule = index.content('approvals', r.entity as Entity, r.ruleKey)
    return mayDecide(
      rule?.steps[r.step],
      actor,
      decisionsOfStep(r, r.step).map((d) => d.userId),
    )
  })
  let start = 0
  if (input.cursor) {
    const at = decidable.findIndex((r) => r.id === input.cursor)
    if (at < 0 && !all.some((r) => r.id === input.cursor)) throw new NotFoundError('Approval request not found')
    start = at + 1
  }
  const page = decidable.slice(start, start + limit)
  return { items: await viewsOf(scope, actor, index, page), nextCursor: start + limit < decidable.length ? page[page.length - 1]!.id : null }
}

/** A record's requests with their decisions, oldest first. Another tenant's record is not found. */
export async function approvalsForRecord(
  scope: TenantScope,
  actor: ApprovalActor,
  input: { entity: Entity; id: string },
  deps: ApprovalDeps,
): Promise<ApprovalRequestView[]> {
  const facts = await recordFacts(scope.db, input.entity, [input.id])
  if (!facts.has(input.id)) throw new NotFoundError(`${input.entity === 'case' ? 'Case' : input.entity === 'deal' ? 'Deal' : 'Customer'} not found`)
  const { index } = await liveIndex(scope, deps.runtimeConfig)
  return viewsOf(scope, actor, index, await loadRequests(scope.db, { entity: input.entity, recordId: input.id }))
}

/** Locks the request row for the rest of the transaction (two approvers of an all-of step queue here). */
async function lockRequest(tx: TenantTx, requestId: string): Promise<StoredRequest> {
  await tx.approvalRequest.updateMany({ where: { id: requestId }, data: { step: { increment: 0 } } })
  const [request] = await loadRequests(tx, { id: requestId })
  if (!request) throw new NotFoundError('Approval request not found')
  return request
}

async function endRequest(tx: TenantTx, request: StoredRequest, status: ApprovalStatus, reason: string): Promise<void> {
  await tx.approvalRequest.updateMany({ where: { id: request.id, status: 'pending' }, data: { status, reason, decidedAt: new Date() } })
}

/**
 * Decides the current step. Reject ends the request; approve completes a role step (any one
 * member) or counts towards a users step (all of them), then moves on or completes it. Each
 * decision is audited, appears on the record's timeline and appends `approval.decided` to the
 * outbox; a final one carries the rule's `onApprove` / `onReject` action keys for the automation
 * engine and notifies the submitter and the record's owner.
 */
export async function decideApproval(
  scope: TenantScope,
  actor: ApprovalActor,
  input: { requestId: string; decision: 'approve' | 'reject'; comment?: string; expectedStep: number },
  deps: ApprovalDeps,
): Promise<ApprovalRequestView> {
  const { index, version } = await liveIndex(scope, deps.runtimeConfig, true)
  const sent: StoredNotification[] = []
  const cancelled = await scope.db.$transaction(async (tx) => {
    const request = await lockRequest(tx, input.requestId)
    const entity = asEntity(request.entity)!
    if (request.status !== 'pending') {
      throw new ConflictError(`This request is already ${request.status}`, { requestId: request.id, status: request.status })
    }
    if (request.step !== input.expectedStep) {
      throw new ConflictError(`This request moved on to step ${request.step + 1} meanwhile; reload it`, {
        requestId: request.id,
        expectedStep: input.expectedStep,
        currentStep: request.step,
      })
    }
    const rule = index.content('approvals', entity, request.ruleKey)
    const facts = (await recordFacts(tx, entity, [request.recordId])).get(request.recordId)
    if (!rule || !rule.steps[request.step] || !facts) {
      // Lazily, for a publish that ran before this code knew to cancel (or a deleted record).
      await endRequest(tx, request, 'cancelled', !facts ? 'The record was deleted' : `The approval rule "${request.ruleKey}" is no longer live`)
      return true
    }
    const step = rule.steps[request.step]!
    const before = decisionsOfStep(request, request.step)
    if (
      !mayDecide(
        step,
        actor,
        before.map((d) => d.userId),
      )
    ) {
      throw new ForbiddenError(
        step.approverRole && !rolesDeciding(step.approverRole).includes(actor.role)
          ? `Step ${request.step + 1} is decided by ${step.approverRole.toLowerCase()}s`
          : 'You are not an approver of this step, or you already decided it',
      )
    }
    await tx.approvalDecision.create({
      data: {
        tenantId: scope.tenantId,
        requestId: request.id,
        step: request.step,
        userId: actor.userId,
        actor: actor.label,
        decision: input.decision,
        comment: input.comment ?? null,
      },
    })
    const approvedBy = new Set([...before.filter((d) => d.decision === 'approve').map((d) => d.userId), actor.userId])
    const stepDone = input.decision === 'reject' || !step.approverUserIds || step.approverUserIds.every((id) => approvedBy.has(id))
    const lastStep = request.step + 1 >= rule.steps.length
    const status: ApprovalStatus = input.decision === 'reject' ? 'rejected' : stepDone && lastStep ? 'approved' : 'pending'
    const nextStep = status === 'pending' && stepDone ? request.step + 1 : request.step
    await tx.approvalRequest.updateMany({
      where: { id: request.id },
      data: { status, step: nextStep, decidedAt: status === 'pending' ? null : new Date() },
    })
    await settleDecision(tx, scope, actor, { request, entity, rule, facts, decision: input.decision, comment: input.comment, status, nextStep, version, sent })
    return false
  })
  await announceNotifications(deps.bus, scope.tenantId, sent)
  if (cancelled)
    throw new ConflictError('This request was cancelled: its rule is no longer live or its record is gone', { requestId: input.requestId, status: 'cancelled' })
  const [stored] = await loadRequests(scope.db, { id: input.requestId })
  return (await viewsOf(scope, actor, index, [stored!]))[0]!
}

/** The consequences of one decision: timeline, audit, outbox event, notifications. */
async function settleDecision(
  tx: TenantTx,
  scope: TenantScope,
  actor: ApprovalActor,
  d: {
    request: StoredRequest
    entity: Entity
    rule: ApprovalContent
    facts: { title: string; responsibleId: string | null; customerId: string | null }
    decision: 'approve' | 'reject'
    comment?: string
    status: ApprovalStatus
    nextStep: number
    version: number
    sent: StoredNotification[]
  },
): Promise<void> {
  const { request, entity, rule, facts, status } = d
  const final = status !== 'pending'
  const verb = d.decision === 'approve' ? 'Approved' : 'Rejected'
  await addRecordActivity(tx, scope, actor, {
    entity,
    recordId: request.recordId,
    customerId: facts.customerId,
    kind: 'approval',
    summary: `${verb} (step ${request.step + 1}): ${rule.label}${d.comment ? ` — “${d.comment}”` : ''}`,
    changes: { requestId: request.id, ruleKey: request.ruleKey, decision: d.decision, step: request.step, status },
  })
  await recordAudit(tx, actor, {
    action: `approval.${d.decision === 'approve' ? 'approved' : 'rejected'}`,
    target: `approvals/${request.id}`,
    before: { status: 'pending', step: request.step },
    after: { status, step: d.nextStep, comment: d.comment ?? null },
  })
  const finalActions = final ? ((status === 'approved' ? rule.onApprove : rule.onReject) ?? []) : []
  await appendOutboxEvent(tx, scope, actor, {
    type: 'approval.decided',
    entity,
    recordId: request.recordId,
    configVersion: d.version,
    payload: {
      requestId: request.id,
      ruleKey: request.ruleKey,
      decision: d.decision,
      step: request.step,
      status,
      final,
      // The engine runs these (the rule's onApprove / onReject action keys) when the request ends.
      actions: finalActions,
    },
  })
  // The rule's on-approve / on-reject actions are how a tenant tells people (the default notifies
  // the owner). The built-in notice goes to the submitter, and to the record's responsible person
  // only when the rule has no such actions, so nobody hears the same outcome twice.
  const told =
    finalActions.length === 0 ? [request.submittedById, facts.responsibleId] : [request.submittedById === facts.responsibleId ? null : request.submittedById]
  const recipients = [...new Set(told.filter((id): id is string => id !== null))]
  if (final) {
    if (recipients.length) {
      d.sent.push(
        ...(await sendNotifications(tx, scope, {
          userIds: recipients,
          title: `${rule.label}: the request on ${facts.title} was ${status}`,
          body: d.comment ? `${actor.label}: ${d.comment}` : `Decided by ${actor.label}`,
          link: recordLink(entity, request.recordId),
          source: `approval:${request.id}`,
        })),
      )
    }
  } else if (d.nextStep !== request.step) {
    d.sent.push(
      ...(await notifyApprovers(tx, scope, {
        requestId: request.id,
        rule,
        step: rule.steps[d.nextStep]!,
        entity,
        recordId: request.recordId,
        title: facts.title,
      })),
    )
  }
}

/** The submitter takes a pending request back: its fields unlock, nothing runs. */
export async function withdrawApproval(
  scope: TenantScope,
  actor: ApprovalActor,
  input: { requestId: string },
  deps: ApprovalDeps,
): Promise<ApprovalRequestView> {
  const { index } = await liveIndex(scope, deps.runtimeConfig)
  await scope.db.$transaction(async (tx) => {
    const request = await lockRequest(tx, input.requestId)
    if (actor.userId === null || request.submittedById !== actor.userId) throw new ForbiddenError('Only the person who submitted this request may withdraw it')
    if (request.status !== 'pending') throw new ConflictError(`This request is already ${request.status}`, { requestId: request.id, status: request.status })
    await endRequest(tx, request, 'withdrawn', `Withdrawn by ${actor.label}`)
    const entity = request.entity as Entity
    const facts = (await recordFacts(tx, entity, [request.recordId])).get(request.recordId)
    await addRecordActivity(tx, scope, actor, {
      entity,
      recordId: request.recordId,
      customerId: facts?.customerId ?? null,
      kind: 'approval',
      summary: `Withdrew the approval request: ${index.content('approvals', entity, request.ruleKey)?.label ?? request.ruleKey}`,
      changes: { requestId: request.id, ruleKey: request.ruleKey, status: 'withdrawn' },
    })
    await recordAudit(tx, actor, {
      action: 'approval.withdrawn',
      target: `approvals/${request.id}`,
      before: { status: 'pending' },
      after: { status: 'withdrawn' },
    })
  })
  const [stored] = await loadRequests(scope.db, { id: input.requestId })
  return (await viewsOf(scope, actor, index, [stored!]))[0]!
}

/**
 * The automation engine's `requestApproval` action: opens a request for the live rule `ruleKey`
 * on the record (null when one is already pending). Runs in `tx` when given (the engine's run),
 * else in its own transaction. The caller announces `notifications` after its commit
 * (`announceNotifications`).
 */
export async function startApprovalRequest(
  scope: TenantScope,
  actor: Actor,
  input: { ruleKey: string; entity: Entity; recordId: string; configVersion: number; runtimeConfig: RuntimeConfigCache },
  tx?: TenantTx,
): Promise<{ requestId: string; notifications: StoredNotification[] } | null> {
  const { index } = await liveIndex(scope, input.runtimeConfig)
  const rule = index.content('approvals', input.entity, input.ruleKey)
  if (!rule) throw new NotFoundError(`Approval rule ${input.entity}/${input.ruleKey} not found`)
  const run = async (t: TenantTx) => {
    const facts = (await recordFacts(t, input.entity, [input.recordId])).get(input.recordId)
    if (!facts) throw new NotFoundError('Record not found')
    return openApprovalRequest(t, scope, actor, { ...input, rule, customerId: facts.customerId, title: facts.title })
  }
  return tx ? run(tx) : scope.db.$transaction(run)
}
