// The run log (decision 018): one AutomationRun row per (event, automation), with each condition's
// result and each step's status. The engine writes it step by step, so a run resumed after a worker
// died knows which steps already happened; the `automations` router reads it.
import type { ActionType } from '../config-language'
import { NotFoundError, type TenantScope, type TenantTx } from '../kernel'

export const RUN_STATUSES = ['pending', 'running', 'succeeded', 'failed', 'skipped'] as const
export type RunStatus = (typeof RUN_STATUSES)[number]

export type ConditionResult = { key: string; result: boolean }

export type StepStatus = 'pending' | 'succeeded' | 'failed'
export type StepLog = {
  actionKey: string
  type: ActionType | 'unknown'
  status: StepStatus
  attempts: number
  result?: unknown
  error?: string
  ms: number
}

/** How long runs are kept, and how many per tenant at most (the worker prunes older ones). */
export const RUN_RETENTION = { maxPerTenant: 10_000, maxAgeDays: 30 } as const

/** Longest causal chain (runs causing runs) before the loop guard stops it. */
export const MAX_CHAIN = 5

const RUN_SELECT = {
  id: true,
  automationKey: true,
  configVersion: true,
  eventId: true,
  event: true,
  entity: true,
  recordId: true,
  status: true,
  matched: true,
  conditions: true,
  steps: true,
  chain: true,
  causedByRunId: true,
  reason: true,
  startedAt: true,
  finishedAt: true,
} as const

type StoredRun = {
  id: string
  automationKey: string
  configVersion: number
  eventId: string
  event: string
  entity: string | null
  recordId: string | null
  status: string
  matched: boolean
  conditions: unknown
  steps: unknown
  chain: unknown
  causedByRunId: string | null
  reason: string | null
  startedAt: Date
  finishedAt: Date | null
}

export type AutomationRun = Omit<StoredRun, 'status' | 'conditions' | 'steps' | 'chain'> & {
  status: RunStatus
  conditions: ConditionResult[]
  steps: StepLog[]
  chain: string[]
}

export function toRun(row: StoredRun): AutomationRun {
  return {
    ...row,
    status: row.status as RunStatus,
    conditions: (row.conditions ?? []) as ConditionResult[],
    steps: (row.steps ?? []) as StepLog[],
    chain: (row.chain ?? []) as string[],
  }
}

type RunWriter = Pick<TenantScope['db'], 'automationRun'> | TenantTx

export type NewRun = {
  automationKey: string
  configVersion: number
  eventId: string
  event: string
  entity: string | null
  recordId: string | null
  chain: string[]
  causedByRunId: string | null
  steps: StepLog[]
  /** What is already known when the run opens (a loop guard or a non-match ends it at once). */
  status?: 'running' | 'skipped'
  matched?: boolean
  conditions?: ConditionResult[]
  reason?: string | null
  finishedAt?: Date | null
}

/**
 * The run of `automationKey` for the event: the existing one (an event claimed again after its
 * worker died) or a new one, opened with what is already known (conditions, or the skip). Unique
 * per (event, automation), so two workers meeting on one event share one run instead of making two.
 */
export async function openRun(scope: TenantScope, input: NewRun): Promise<AutomationRun> {
  const where = { eventId: input.eventId, automationKey: input.automationKey }
  const { conditions, status, ...rest } = input
  // Insert first: a new event is the common case; the unique key answers the resumed one.
  try {
    return toRun(
      await scope.db.automationRun.create({
        data: {
          tenantId: scope.tenantId,
          ...rest,
          status: status ?? 'running',
          steps: json(input.steps),
          chain: input.chain,
          ...(conditions ? { conditions: json(conditions) } : {}),
        },
        select: RUN_SELECT,
      }),
    )
  } catch (error) {
    if ((error as { code?: string }).code !== 'P2002') throw error
    return toRun(await scope.db.automationRun.findFirstOrThrow({ where, select: RUN_SELECT }))
  }
}

export type RunPatch = Partial<{
  status: RunStatus
  matched: boolean
  conditions: ConditionResult[]
  steps: StepLog[]
  reason: string | null
  finishedAt: Date | null
}>

export async function saveRun(db: RunWriter, runId: string, patch: RunPatch): Promise<void> {
  const { conditions, steps, ...rest } = patch
  await db.automationRun.updateMany({
    where: { id: runId },
    data: { ...rest, ...(conditions ? { conditions: json(conditions) } : {}), ...(steps ? { steps: json(steps) } : {}) },
  })
}

const json = <T>(value: T) => JSON.parse(JSON.stringify(value)) as object

// ---------------------------------------------------------------------------------------------
// reads (the router's runs / run)

export type RunFilter = { automationKey?: string; recordId?: string; status?: RunStatus; from?: Date; to?: Date; cursor?: string; limit?: number }

/** Runs newest first, filtered (`from`/`to` bound `startedAt`, both inclusive); `cursor` is the last id of the previous page. */
export async function listRuns(scope: TenantScope, input: RunFilter): Promise<{ items: AutomationRun[]; nextCursor: string | null }> {
  const limit = input.limit ?? 25
  const where = {
    ...(input.automationKey ? { automationKey: input.automationKey } : {}),
    ...(input.recordId ? { recordId: input.recordId } : {}),
    ...(input.status ? { status: input.status } : {}),
    ...(input.from || input.to ? { startedAt: { ...(input.from ? { gte: input.from } : {}), ...(input.to ? { lte: input.to } : {}) } } : {}),
  }
  let before: { startedAt: Date; id: string } | null = null
  if (input.cursor) {
    before = await scope.db.automationRun.findFirst({ where: { id: input.cursor }, select: { startedAt: true, id: true } })
    if (!before) throw new NotFoundError('Run not found')
  }
  const rows = await scope.db.automationRun.findMany({
    where: before ? { ...where, OR: [{ startedAt: { lt: before.startedAt } }, { startedAt: before.startedAt, id: { lt: before.id } }] } : where,
    orderBy: [{ startedAt: 'desc' }, { id: 'desc' }],
    take: limit + 1,
    select: RUN_SELECT,
  })
  const items = rows.slice(0, limit).map(toRun)
  return { items, nextCursor: rows.length > limit ? items[items.length - 1]!.id : null }
}

export async function getRun(scope: TenantScope, input: { id: string }): Promise<AutomationRun> {
  const row = await scope.db.automationRun.findFirst({ where: { id: input.id }, select: RUN_SELECT })
  if (!row) throw new NotFoundError('Run not found')
  return toRun(row)
}
