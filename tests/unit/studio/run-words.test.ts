import { describe, expect, test } from 'vitest'
import {
  chainLink,
  formatMs,
  isLoopGuardStop,
  reasonWords,
  resultWords,
  runDuration,
  stepWords,
  traceWords,
  type DryRunResult,
} from '../../../app/components/studio/run-words'

describe('durations', () => {
  test('milliseconds, seconds and minutes read as people say them', () => {
    expect(formatMs(0)).toBe('0 ms')
    expect(formatMs(340.4)).toBe('340 ms')
    expect(formatMs(2_440)).toBe('2.4 s')
    expect(formatMs(12_400)).toBe('12 s')
    expect(formatMs(185_000)).toBe('3 min 5 s')
    expect(formatMs(120_000)).toBe('2 min')
    expect(formatMs(-1)).toBe('—')
  })

  test('a run is timed from start to finish, and an unfinished one says so', () => {
    expect(runDuration('2026-01-01T00:00:00.000Z', '2026-01-01T00:00:01.500Z')).toBe('1.5 s')
    expect(runDuration(new Date('2026-01-01T00:00:00.000Z'), new Date('2026-01-01T00:00:00.045Z'))).toBe('45 ms')
    expect(runDuration('2026-01-01T00:00:00.000Z', null)).toBe('not finished')
  })
})

describe('runs in words', () => {
  test('a loop-guard stop is told apart from a non-match and a failure', () => {
    const guard = { status: 'skipped' as const, reason: 'loop guard: ping already ran for this record in this chain' }
    expect(isLoopGuardStop(guard)).toBe(true)
    expect(reasonWords(guard)).toBe('Stopped by the loop guard: ping already ran for this record in this chain.')
    const miss = { status: 'skipped' as const, reason: 'conditions not met: is-urgent' }
    expect(isLoopGuardStop(miss)).toBe(false)
    expect(reasonWords(miss)).toBe('Skipped: not every condition held (is-urgent).')
    expect(reasonWords({ status: 'failed', reason: 'call-crm: HTTP 500' })).toBe('Failed at call-crm: HTTP 500')
    expect(reasonWords({ status: 'succeeded', reason: null })).toBeNull()
  })

  test('a chain link names the automation and the record', () => {
    expect(chainLink('escalate-urgent:case_1')).toEqual({ automationKey: 'escalate-urgent', recordId: 'case_1' })
    expect(chainLink('new-year:')).toEqual({ automationKey: 'new-year', recordId: null })
  })

  test('steps say their outcome, attempts and time', () => {
    expect(stepWords({ status: 'succeeded', attempts: 1, ms: 12 })).toBe('Succeeded in 12 ms')
    expect(stepWords({ status: 'failed', attempts: 3, ms: 2_100 })).toBe('Failed after 3 attempts in 2.1 s')
    expect(stepWords({ status: 'pending', attempts: 0, ms: 0 })).toBe('Not run')
  })

  test('results are one short line', () => {
    expect(resultWords({ sent: 2, title: 'Urgent case: Server down' })).toBe('sent: 2, title: Urgent case: Server down')
    expect(resultWords(undefined)).toBe('')
    expect(resultWords('x'.repeat(300), 10)).toBe(`${'x'.repeat(9)}…`)
  })
})

describe('a dry run trace in words', () => {
  const labels: Record<string, string> = { 'is-urgent': 'Is urgent', 'is-open': 'Is open' }
  const label = (k: string) => labels[k] ?? k

  test('a non-match names the conditions that do not hold, with why, and still says what each action would do', () => {
    const result: DryRunResult = {
      matched: false,
      trigger: { event: 'record.created', result: true },
      conditions: [
        { key: 'is-open', result: true },
        { key: 'is-urgent', result: false, why: 'Priority is "normal", expected eq "urgent"' },
      ],
      steps: [{ actionKey: 'notify-managers', type: 'notify', wouldDo: 'Notify Max Manager: "Urgent case: X"' }],
    }
    expect(traceWords(result, label)).toEqual({
      verdict: 'It would not run: the condition Is urgent does not hold.',
      trigger: { ok: true, text: 'The trigger fires (a record is created).' },
      conditions: [
        { key: 'is-open', ok: true, text: 'Is open holds.' },
        { key: 'is-urgent', ok: false, text: 'Is urgent does not hold: Priority is "normal", expected eq "urgent"' },
      ],
      steps: [{ actionKey: 'notify-managers', text: 'Notify Max Manager: "Urgent case: X"' }],
    })
  })

  test('a trigger that does not fire is the reason, in a sentence', () => {
    const words = traceWords({
      matched: false,
      trigger: { event: 'record.updated', result: false, why: 'The change does not touch priority' },
      conditions: [],
      steps: [],
    })
    expect(words.verdict).toBe('It would not run: the trigger does not fire.')
    expect(words.trigger).toEqual({ ok: false, text: 'The trigger does not fire: The change does not touch priority.' })
  })

  test('a match says it would run', () => {
    const words = traceWords(
      { matched: true, trigger: { event: 'record.updated', result: true }, conditions: [{ key: 'is-urgent', result: true }], steps: [] },
      label,
    )
    expect(words.verdict).toBe('It would run, but it has no actions.')
    expect(words.conditions).toEqual([{ key: 'is-urgent', ok: true, text: 'Is urgent holds.' }])
  })
})
