// The run log and the dry run in words: what the Studio's run pages and the composer's dry-run
// panel say about a run (status, duration, each step, a loop-guard stop, the causal chain) and about
// a dry run's trace (did the trigger fire, each condition with ✓/✗ and why, what each action would
// do). Pure, so the sentences are unit-tested and the same everywhere.
import type { RouterOutputs } from '../../../server/app-router'
import type { ActionType, TriggerEvent } from '../../../server/config-language'
import { ACTION_TYPE_LABELS, TRIGGER_EVENT_LABELS } from './automation-words'

export type DryRunResult = RouterOutputs['automations']['dryRun']
export type RunStatus = RouterOutputs['automations']['run']['status']
export type StepLog = RouterOutputs['automations']['run']['steps'][number]

export const RUN_STATUS_LABELS: Record<RunStatus, string> = {
  pending: 'Pending',
  running: 'Running',
  succeeded: 'Succeeded',
  failed: 'Failed',
  skipped: 'Skipped',
}

export const RUN_STATUS_TONES: Record<RunStatus, 'success' | 'danger' | 'neutral' | 'info'> = {
  pending: 'neutral',
  running: 'info',
  succeeded: 'success',
  failed: 'danger',
  skipped: 'neutral',
}

export const STEP_STATUS_LABELS: Record<StepLog['status'], string> = { pending: 'Not run', succeeded: 'Succeeded', failed: 'Failed' }

type When = Date | string

const msOf = (d: When) => (typeof d === 'string' ? Date.parse(d) : d.getTime())

/** Milliseconds as a person reads them: "340 ms", "2.4 s", "3 min 5 s". */
export function formatMs(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return '—'
  if (ms < 1000) return `${Math.round(ms)} ms`
  if (ms < 60_000) return `${(ms / 1000).toFixed(ms < 10_000 ? 1 : 0)} s`
  const minutes = Math.floor(ms / 60_000)
  const seconds = Math.round((ms % 60_000) / 1000)
  return seconds ? `${minutes} min ${seconds} s` : `${minutes} min`
}

/** How long a run took, or that it has not finished. */
export function runDuration(startedAt: When, finishedAt: When | null): string {
  return finishedAt === null ? 'not finished' : formatMs(msOf(finishedAt) - msOf(startedAt))
}

/** The event type in words ("A record is updated"); unknown types as stored. */
export function eventWords(event: string): string {
  return (TRIGGER_EVENT_LABELS as Record<string, string>)[event as TriggerEvent] ?? event
}

export function actionTypeWords(type: ActionType | 'unknown'): string {
  return type === 'unknown' ? 'Unknown action' : ACTION_TYPE_LABELS[type]
}

const LOOP_GUARD = 'loop guard: '

/** A run the loop guard stopped (decision 018): the engine's reason starts with "loop guard: ". */
export function isLoopGuardStop(run: { status: RunStatus; reason: string | null }): boolean {
  return run.status === 'skipped' && !!run.reason?.startsWith(LOOP_GUARD)
}

/** Why a run was skipped or failed, as a sentence. */
export function reasonWords(run: { status: RunStatus; reason: string | null }): string | null {
  if (!run.reason) return null
  if (isLoopGuardStop(run)) return `Stopped by the loop guard: ${run.reason.slice(LOOP_GUARD.length)}.`
  if (run.reason.startsWith('conditions not met: ')) return `Skipped: not every condition held (${run.reason.slice('conditions not met: '.length)}).`
  return run.status === 'failed' ? `Failed at ${run.reason}` : run.reason
}

/** One link of a run's causal chain (`<automationKey>:<recordId>`). */
export function chainLink(link: string): { automationKey: string; recordId: string | null } {
  const at = link.indexOf(':')
  return at < 0 ? { automationKey: link, recordId: null } : { automationKey: link.slice(0, at), recordId: link.slice(at + 1) || null }
}

/** A step's result in one short line ("sent: 2, title: …"); long values are cut. */
export function resultWords(result: unknown, max = 200): string {
  if (result === undefined || result === null) return ''
  const text =
    typeof result === 'object' && !Array.isArray(result)
      ? Object.entries(result)
          .map(([k, v]) => `${k}: ${typeof v === 'string' ? v : JSON.stringify(v)}`)
          .join(', ')
      : typeof result === 'string'
        ? result
        : JSON.stringify(result)
  return text.length > max ? `${text.slice(0, max - 1)}…` : text
}

/** A step's outcome in one line: "Succeeded after 2 attempts in 45 ms". */
export function stepWords(step: Pick<StepLog, 'status' | 'attempts' | 'ms'>): string {
  if (step.status === 'pending') return step.attempts ? `Not finished (${step.attempts} attempt${step.attempts === 1 ? '' : 's'})` : 'Not run'
  const attempts = step.attempts > 1 ? ` after ${step.attempts} attempts` : ''
  return `${STEP_STATUS_LABELS[step.status]}${attempts} in ${formatMs(step.ms)}`
}

export type TraceLine = { ok: boolean; text: string }

export type TraceWords = {
  /** One sentence: would it run, and if not the first reason. */
  verdict: string
  trigger: TraceLine
  conditions: Array<TraceLine & { key: string }>
  steps: Array<{ actionKey: string; text: string }>
}

/**
 * A dry run's trace in words. `conditionLabel` names a condition by its label (its key otherwise).
 * Steps keep the "would do" sentence; when the automation would not run they are what it would do
 * if it did, and the verdict says so.
 */
export function traceWords(result: DryRunResult, conditionLabel: (key: string) => string = (k) => k): TraceWords {
  const event = result.trigger.event ? eventWords(result.trigger.event) : 'Unknown trigger'
  const trigger: TraceLine = result.trigger.result
    ? { ok: true, text: `The trigger fires (${event.toLowerCase()}).` }
    : { ok: false, text: `The trigger does not fire: ${sentence(result.trigger.why ?? 'it does not match this event')}` }
  const conditions = result.conditions.map((c) => ({
    key: c.key,
    ok: c.result,
    text: c.result ? `${conditionLabel(c.key)} holds.` : `${conditionLabel(c.key)} does not hold: ${sentence(c.why ?? 'it is false for this record')}`,
  }))
  const steps = result.steps.map((s) => ({ actionKey: s.actionKey, text: sentence(s.wouldDo) }))
  let verdict: string
  if (result.matched) verdict = steps.length ? 'It would run, and do the following.' : 'It would run, but it has no actions.'
  else if (!result.trigger.result) verdict = 'It would not run: the trigger does not fire.'
  else {
    const failed = conditions.filter((c) => !c.ok).map((c) => conditionLabel(c.key))
    verdict = `It would not run: ${failed.length === 1 ? `the condition ${failed[0]} does not hold` : `the conditions ${failed.join(', ')} do not hold`}.`
  }
  return { verdict, trigger, conditions, steps }
}

/** First letter up, a full stop at the end (the engine's reasons are lower-case fragments). */
function sentence(text: string): string {
  const t = text.trim()
  if (!t) return t
  const up = t.charAt(0).toUpperCase() + t.slice(1)
  return /[.!?"”)]$/.test(up) ? up : `${up}.`
}
