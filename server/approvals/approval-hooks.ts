// The approvals domain's service for the writes of other domains (decision 022), each called inside
// the caller's transaction: the crm's record writes refuse changes to locked fields and start the
// requests of rules that now match; a config publish cancels the pending requests of rules it
// removed; record reads show a record's request. The procedures' side is approvals.ts.
import {
  ENTITY_INFO,
  evaluateCondition,
  parseAddress,
  readField,
  ROLES,
  type ApprovalContent,
  type ApprovalStep,
  type ConfigIndex,
  type Entity,
  type RecordLike,
  type Role,
} from '../config-language'
import { ConflictError, type Actor, type TenantScope, type TenantTx } from '../kernel'
import { recordAudit } from '../audit/audit-log'
import { addRecordActivity } from '../crm/record-facts'
import { sendNotifications, type StoredNotification } from '../notifications/notifications'

export const APPROVAL_STATUSES = ['pending', 'approved', 'rejected', 'withdrawn', 'cancelled'] as const
export type ApprovalStatus = (typeof APPROVAL_STATUSES)[number]

/** What a record read carries: its latest approval request (the pending one first), or null. */
export type RecordApproval = { requestId: string; ruleKey: string; status: ApprovalStatus; step: number; lockedFields: string[] }

/** Roles that decide a role step: the role and those above it (each role includes the rights below). */
export function rolesDeciding(role: Role): Role[] {
  return ROLES.slice(0, ROLES.indexOf(role) + 1)
}

export const recordLink = (entity: Entity, recordId: string) => `/${ENTITY_INFO[entity].path}/${recordId}`

/** Notifies the approvers of `step` who have not decided it yet. */
export async function notifyApprovers(
  tx: TenantTx,
  scope: TenantScope,
  input: { requestId: string; rule: ApprovalContent; step: ApprovalStep; entity: Entity; recordId: string; title: string; decided?: readonly string[] },
): Promise<StoredNotification[]> {
  const { step } = input
  return sendNotifications(tx, scope, {
    roles: step.approverRole ? rolesDeciding(step.approverRole) : undefined,
    userIds: step.approverUserIds?.filter((id) => !input.decided?.includes(id)),
    title: `Approval needed: ${input.rule.label} on ${input.title}`,
    link: recordLink(input.entity, input.recordId),
    source: `approval:${input.requestId}`,
  })
}

/**
 * Opens a request for `rule` on the record unless one is pending (then null): its first step's
 * approvers are notified, the audit log and the record's timeline say so. Pass the notifications
 * to `announceNotifications` after the transaction commits.
 */
export async function openApprovalRequest(
  tx: TenantTx,
  scope: TenantScope,
  actor: Actor,
  input: { ruleKey: string; rule: ApprovalContent; entity: Entity; recordId: string; customerId: string | null; title: string; configVersion: number },
): Promise<{ requestId: string; notifications: StoredNotification[] } | null> {
  const { ruleKey, rule, entity, recordId } = input
  const pending = await tx.approvalRequest.findFirst({ where: { entity, recordId, ruleKey, status: 'pending' }, select: { id: true } })
  if (pending) return null
  const request = await tx.approvalRequest.create({
    data: {
      tenantId: scope.tenantId,
      ruleKey,
      entity,
      recordId,
      configVersion: input.configVersion,
      lockedFields: rule.lockedFields,
      submittedById: actor.userId,
      submittedBy: actor.label,
    },
    select: { id: true },
  })
  await recordAudit(tx, actor, { action: 'approval.requested', target: `approvals/${request.id}`, after: { ruleKey, entity, recordId } })
  await addRecordActivity(tx, scope, actor, {
    entity,
    recordId,
    customerId: input.customerId,
    kind: 'approval',
    summary: `Approval requested: ${rule.label}`,
    changes: { requestId: request.id, ruleKey, status: 'pending' },
  })
  const notifications = await notifyApprovers(tx, scope, { requestId: request.id, rule, step: rule.steps[0]!, entity, recordId, title: input.title })
  return { requestId: request.id, notifications }
}

const same = (a: unknown, b: unknown) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null)

/**
 * After a record write: each live rule of the entity (in key order) whose `when` matches the record
 * now opens a request, unless one is pending. On an update the rule must have become true, or one
 * of its locked fields changed: an approved 25% discount does not ask again when the name changes,
 * a raise to 30% does.
 */
export async function startMatchingApprovals(
  tx: TenantTx,
  scope: TenantScope,
  actor: Actor,
  input: {
    entity: Entity
    before: RecordLike | null
    after: RecordLike & { id: string }
    customerId: string | null
    title: string
    index: ConfigIndex
    configVersion: number
  },
): Promise<StoredNotification[]> {
  const { entity, before, after, index } = input
  const rules = index.list('approvals', entity).sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))
  if (rules.length === 0) return []
  const ctx = { fields: index.fields(entity), entity, conditions: index.conditions(entity) }
  const sent: StoredNotification[] = []
  for (const { key, content: rule } of rules) {
    if (!evaluateCondition(rule.when, after, { ...ctx, previous: before })) continue
    if (before) {
      const matchedBefore = evaluateCondition(rule.when, before, ctx)
      const lockedChanged = rule.lockedFields.some((f) => !same(readField(before, f, entity), readField(after, f, entity)))
      if (matchedBefore && !lockedChanged) continue
    }
    const opened = await openApprovalRequest(tx, scope, actor, {
      ruleKey: key,
      rule,
      entity,
      recordId: after.id,
      customerId: input.customerId,
      title: input.title,
      configVersion: input.configVersion,
    })
    if (opened) sent.push(...opened.notifications)
  }
  return sent
}

/**
 * Refuses a write that changes a field locked by a pending request: CONFLICT naming the request,
 * its rule and the fields. `changed` are API names (custom fields as `data.<name>`). A request
 * whose rule is no longer live locks nothing (the publish that removed it cancels it).
 */
export async function enforceApprovalLocks(
  tx: TenantTx,
  input: { entity: Entity; recordId: string; changed: readonly string[]; index: ConfigIndex },
): Promise<void> {
  const { entity, recordId, index } = input
  if (input.changed.length === 0) return
  const pending = await tx.approvalRequest.findMany({ where: { entity, recordId, status: 'pending' }, select: { id: true, ruleKey: true, lockedFields: true } })
  const changed = new Set(input.changed.map((k) => k.replace(/^data\./, '')))
  for (const request of pending) {
    const rule = index.content('approvals', entity, request.ruleKey)
    if (!rule) continue
    const fields = (request.lockedFields as string[]).filter((f) => changed.has(f))
    if (fields.length === 0) continue
    const labels = fields.map((f) => index.field(entity, f)?.label ?? f)
    throw new ConflictError(
      `${labels.join(', ')} ${fields.length === 1 ? 'is' : 'are'} locked while the approval "${rule.label}" is pending (request ${request.id})`,
      {
        requestId: request.id,
        ruleKey: request.ruleKey,
        fields,
      },
    )
  }
}

/**
 * A publish removed approval rules (their config addresses): their pending requests are cancelled
 * with a reason, in the publish's transaction.
 */
export async function cancelApprovalsOfRemovedRules(tx: TenantTx, actor: Actor, input: { removed: readonly string[]; version: number }): Promise<number> {
  let cancelled = 0
  for (const address of input.removed) {
    const parts = parseAddress(address)
    if (!parts || parts.namespace !== 'approvals') continue
    const { count } = await tx.approvalRequest.updateMany({
      where: { entity: parts.entity, ruleKey: parts.key, status: 'pending' },
      data: { status: 'cancelled', reason: `The approval rule "${parts.key}" was removed by publishing version ${input.version}`, decidedAt: new Date() },
    })
    if (count) await recordAudit(tx, actor, { action: 'approval.cancelled', target: address, after: { cancelled: count, version: input.version } })
    cancelled += count
  }
  return cancelled
}

/** The latest request of each record (a pending one first), for record reads: one query per page. */
export async function approvalOfRecords(scope: Pick<TenantScope, 'db'>, entity: Entity, recordIds: readonly string[]): Promise<Map<string, RecordApproval>> {
  if (recordIds.length === 0) return new Map()
  const rows = await scope.db.approvalRequest.findMany({
    where: { entity, recordId: { in: [...new Set(recordIds)] } },
    orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
    select: { id: true, recordId: true, ruleKey: true, status: true, step: true, lockedFields: true },
  })
  const out = new Map<string, RecordApproval>()
  for (const r of rows) {
    const seen = out.get(r.recordId)
    if (seen && (seen.status === 'pending' || r.status !== 'pending')) continue
    out.set(r.recordId, {
      requestId: r.id,
      ruleKey: r.ruleKey,
      status: r.status as ApprovalStatus,
      step: r.step,
      lockedFields: r.status === 'pending' ? (r.lockedFields as string[]) : [],
    })
  }
  return out
}

/** The record is being deleted: its pending requests end with it (in the delete's transaction). */
export async function cancelApprovalsOfRecord(tx: TenantTx, input: { entity: Entity; recordId: string }): Promise<void> {
  await tx.approvalRequest.updateMany({
    where: { entity: input.entity, recordId: input.recordId, status: 'pending' },
    data: { status: 'cancelled', reason: 'The record was deleted', decidedAt: new Date() },
  })
}
