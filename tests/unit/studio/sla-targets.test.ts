import { describe, expect, test } from 'vitest'
import {
  defaultBusinessHours,
  describeDays,
  formatMinutes,
  joinMinutes,
  parseTimeInput,
  previewDueTimes,
  splitMinutes,
  toggleDay,
} from '../../../app/components/studio/sla-targets'
import { slaContentSchema, type BusinessHours } from '../../../server/config-language'
import { plannedTimes } from '../../../server/sla/sla-clock'

describe('targets: hours and minutes in the builder, minutes in the policy', () => {
  test('a stored target splits into the two inputs', () => {
    expect(splitMinutes(90)).toEqual({ hours: 1, minutes: 30 })
    expect(splitMinutes(60)).toEqual({ hours: 1, minutes: 0 })
    expect(splitMinutes(45)).toEqual({ hours: 0, minutes: 45 })
    expect(splitMinutes(24 * 60)).toEqual({ hours: 24, minutes: 0 })
  })

  test('the inputs join back into minutes; a blank input is 0', () => {
    expect(joinMinutes('1', '30')).toEqual({ ok: true, minutes: 90 })
    expect(joinMinutes('2', '')).toEqual({ ok: true, minutes: 120 })
    expect(joinMinutes('', '45')).toEqual({ ok: true, minutes: 45 })
    expect(joinMinutes(' 8 ', '0')).toEqual({ ok: true, minutes: 480 })
  })

  test('every split target joins back to itself', () => {
    for (const total of [1, 59, 60, 61, 479, 1440, 525_600]) {
      const { hours, minutes } = splitMinutes(total)
      expect(joinMinutes(String(hours), String(minutes))).toEqual({ ok: true, minutes: total })
    }
  })

  test('refuses what the schema would refuse, in words', () => {
    expect(joinMinutes('0', '0')).toEqual({ ok: false, problem: 'A target is at least 1 minute' })
    expect(joinMinutes('', '')).toEqual({ ok: false, problem: 'A target is at least 1 minute' })
    expect(joinMinutes('1.5', '0')).toEqual({ ok: false, problem: 'Hours are a whole number, 0 or more' })
    expect(joinMinutes('-1', '0')).toEqual({ ok: false, problem: 'Hours are a whole number, 0 or more' })
    expect(joinMinutes('1', '60')).toEqual({ ok: false, problem: 'Minutes are a whole number from 0 to 59' })
    expect(joinMinutes('x', '0')).toMatchObject({ ok: false })
    expect(joinMinutes('8760', '1')).toEqual({ ok: false, problem: 'A target is at most 8760 hours' })
    // The schema agrees at the edges.
    const policy = (minutes: number) => ({
      label: 'P',
      when: { all: [] },
      firstResponseMinutes: minutes,
      resolutionMinutes: 60,
      businessHours: null,
      warnAtPercent: 80,
    })
    expect(slaContentSchema.safeParse(policy(525_600)).success).toBe(true)
    expect(slaContentSchema.safeParse(policy(525_601)).success).toBe(false)
  })

  test('targets in words', () => {
    expect(formatMinutes(30)).toBe('30 min')
    expect(formatMinutes(60)).toBe('1 h')
    expect(formatMinutes(90)).toBe('1 h 30 min')
  })
})

describe('business hours input', () => {
  test('time inputs become HH:MM; unfinished ones are not times yet', () => {
    expect(parseTimeInput('09:00')).toBe('09:00')
    expect(parseTimeInput('9:05')).toBe('09:05')
    expect(parseTimeInput('17:30:00')).toBe('17:30')
    expect(parseTimeInput('23:59')).toBe('23:59')
    expect(parseTimeInput('')).toBeNull()
    expect(parseTimeInput('24:00')).toBeNull()
    expect(parseTimeInput('12:60')).toBeNull()
    expect(parseTimeInput('noon')).toBeNull()
  })

  test('days stay in week order without repeats, numbered like Date#getDay', () => {
    expect(toggleDay([1, 2, 3], 0, true)).toEqual([1, 2, 3, 0])
    expect(toggleDay([1, 2, 3], 2, false)).toEqual([1, 3])
    expect(toggleDay([5, 1], 1, true)).toEqual([1, 5])
    expect(toggleDay([], 6, true)).toEqual([6])
  })

  test('days in words collapse runs', () => {
    expect(describeDays([1, 2, 3, 4, 5])).toBe('Mon–Fri')
    expect(describeDays([1, 3, 6])).toBe('Mon, Wed, Sat')
    expect(describeDays([6, 0])).toBe('Sat, Sun')
    expect(describeDays([0, 1, 2, 3, 4, 5, 6])).toBe('Mon–Sun')
    expect(describeDays([])).toBe('')
  })

  test('office hours to start from fit the schema, in the given zone or UTC', () => {
    expect(defaultBusinessHours('Europe/Berlin')).toEqual({ timeZone: 'Europe/Berlin', days: [1, 2, 3, 4, 5], start: '09:00', end: '17:00' })
    expect(defaultBusinessHours('Not/AZone').timeZone).toBe('UTC')
  })
})

describe('previewDueTimes: "a case opened now would be due …"', () => {
  const berlin: BusinessHours = { timeZone: 'Europe/Berlin', days: [1, 2, 3, 4, 5], start: '09:00', end: '17:00' }

  test('around the clock: plain minutes', () => {
    const start = new Date('2025-01-03T10:00:00Z')
    const preview = previewDueTimes({ firstResponseMinutes: 60, resolutionMinutes: 240, businessHours: null, warnAtPercent: 75 }, start)
    expect(preview).toEqual({
      ok: true,
      firstResponseDue: new Date('2025-01-03T11:00:00Z'),
      firstResponseWarn: new Date('2025-01-03T10:45:00Z'),
      resolutionDue: new Date('2025-01-03T14:00:00Z'),
      resolutionWarn: new Date('2025-01-03T13:00:00Z'),
    })
  })

  test('business hours: a Friday-afternoon case is due on Monday, the same instants the server clock plans', () => {
    // Friday 3 January 2025, 16:00 in Berlin (15:00 UTC): one business hour left that day.
    const start = new Date('2025-01-03T15:00:00Z')
    const policy = { label: 'P', when: { all: [] }, firstResponseMinutes: 120, resolutionMinutes: 8 * 60, businessHours: berlin, warnAtPercent: 50 }
    const preview = previewDueTimes(policy, start)
    if (!preview.ok) throw new Error(preview.problem)
    expect(preview.firstResponseDue).toEqual(new Date('2025-01-06T09:00:00Z')) // Monday 10:00 Berlin
    expect(preview.firstResponseWarn).toEqual(new Date('2025-01-03T16:00:00Z')) // Friday 17:00 Berlin
    const planned = plannedTimes(policy, start)
    expect([preview.firstResponseDue, preview.resolutionDue, preview.firstResponseWarn, preview.resolutionWarn]).toEqual([
      planned.firstResponseDueAt,
      planned.resolutionDueAt,
      planned.firstResponseWarnAt,
      planned.resolutionWarnAt,
    ])
  })

  test('an unfinished policy says why there is no preview', () => {
    const start = new Date('2025-01-03T15:00:00Z')
    const base = { firstResponseMinutes: 60, resolutionMinutes: 240, warnAtPercent: 80 }
    expect(previewDueTimes({ ...base, businessHours: { ...berlin, timeZone: 'Mars/Olympus' } }, start)).toEqual({
      ok: false,
      problem: 'unknown time zone "Mars/Olympus"',
    })
    expect(previewDueTimes({ ...base, businessHours: { ...berlin, days: [] } }, start)).toEqual({ ok: false, problem: 'no business days are ticked' })
    expect(previewDueTimes({ ...base, businessHours: { ...berlin, start: '17:00', end: '09:00' } }, start)).toEqual({
      ok: false,
      problem: 'business hours end before they start',
    })
    expect(previewDueTimes({ ...base, firstResponseMinutes: 0, businessHours: null }, start)).toEqual({ ok: false, problem: 'a target is not set' })
  })
})
