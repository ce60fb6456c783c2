// The trigger builder's schedule preview: the next runs of a five-field cron expression in a time
// zone, computed in the browser with croner (decision 020). The config language's cronProblem is
// asked first, so the preview never accepts an expression that publishing would refuse.
import { Cron } from 'croner'
import { cronProblem, isValidTimeZone } from '../../../server/config-language'

export type CronPreview = { ok: true; runs: Date[] } | { ok: false; problem: string }

export function nextCronRuns(expression: string, timeZone: string, count = 5, from: Date = new Date()): CronPreview {
  const problem = cronProblem(expression)
  if (problem) return { ok: false, problem }
  if (!isValidTimeZone(timeZone)) return { ok: false, problem: `unknown time zone "${timeZone}"` }
  try {
    // Paused: a preview computes dates and never schedules anything.
    const job = new Cron(expression.trim(), { timezone: timeZone, mode: '5-part', paused: true })
    return { ok: true, runs: job.nextRuns(count, from) }
  } catch (err) {
    return { ok: false, problem: (err as Error).message }
  }
}

/** One run as a person reads it in the schedule's own zone: "Mon 6 Jan 2025, 09:00". */
export function formatRun(run: Date, timeZone: string): string {
  return new Intl.DateTimeFormat('en-GB', {
    timeZone,
    weekday: 'short',
    day: 'numeric',
    month: 'short',
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).format(run)
}

/** The zones the picker offers: the runtime's IANA list, with UTC first. */
export function timeZoneChoices(): string[] {
  const intl = Intl as unknown as { supportedValuesOf?: (key: string) => string[] }
  const zones = intl.supportedValuesOf?.('timeZone') ?? []
  return ['UTC', ...zones.filter((z) => z !== 'UTC')]
}
