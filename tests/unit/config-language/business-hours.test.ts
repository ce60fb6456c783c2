import { describe, expect, it } from 'vitest'
import { addBusinessMinutes, defaultConfig, isWithinBusinessHours, type BusinessHours, type SlaContent } from '../../../server/config-language'

// The default config's policies, so the expectations follow its hours (09:00–17:00 Berlin, Mon–Fri).
const policies = new Map(defaultConfig().flatMap((i) => (i.namespace === 'sla' ? [[i.key, i.content as SlaContent]] : [])))
const normal = policies.get('normal')!
const urgent = policies.get('urgent')!
const berlin = normal.businessHours!
const at = (iso: string) => new Date(iso)

describe('addBusinessMinutes', () => {
  it('the default hours are what these expectations assume', () => {
    expect(berlin).toEqual({ timeZone: 'Europe/Berlin', days: [1, 2, 3, 4, 5], start: '09:00', end: '17:00' })
    expect(normal.firstResponseMinutes).toBe(240)
    expect(urgent.businessHours).toBeNull()
  })

  it('around the clock (null hours): plain minutes, an urgent case created at T is due at T + 30 min', () => {
    const created = at('2026-01-17T03:12:45.500Z') // a Saturday night: no office hours apply
    expect(addBusinessMinutes(created, urgent.firstResponseMinutes, urgent.businessHours).toISOString()).toBe('2026-01-17T03:42:45.500Z')
    // Across the spring-forward night it is still 30 real minutes.
    expect(addBusinessMinutes(at('2026-03-29T00:45:00Z'), 30, null).toISOString()).toBe('2026-03-29T01:15:00.000Z')
  })

  it('a normal case created Friday 16:30 Berlin is due Monday 12:30 Berlin (4 business hours)', () => {
    // Winter: Berlin is UTC+1. 30 minutes on Friday, 3h30 on Monday.
    expect(addBusinessMinutes(at('2026-01-16T15:30:00Z'), normal.firstResponseMinutes, berlin).toISOString()).toBe('2026-01-19T11:30:00.000Z')
  })

  it('across the spring-forward weekend: Friday 16:30 CET → Monday 12:30 CEST', () => {
    expect(addBusinessMinutes(at('2026-03-27T15:30:00Z'), 240, berlin).toISOString()).toBe('2026-03-30T10:30:00.000Z')
  })

  it('across the fall-back weekend: Friday 16:30 CEST → Monday 12:30 CET', () => {
    expect(addBusinessMinutes(at('2026-10-23T14:30:00Z'), 240, berlin).toISOString()).toBe('2026-10-26T11:30:00.000Z')
  })

  it('a window that spans the change counts real minutes: the skipped hour is not business time', () => {
    const allDay: BusinessHours = { timeZone: 'Europe/Berlin', days: [0, 1, 2, 3, 4, 5, 6], start: '00:00', end: '23:59' }
    const sundayMidnight = at('2026-03-28T23:00:00Z') // 00:00 CET on the night clocks go forward
    // That Sunday's window is 22 h 59 min long: it closes at 23:59 CEST.
    expect(addBusinessMinutes(sundayMidnight, 22 * 60 + 59, allDay).toISOString()).toBe('2026-03-29T21:59:00.000Z')
    // One more minute than that runs into Monday 00:00 CEST.
    expect(addBusinessMinutes(sundayMidnight, 23 * 60, allDay).toISOString()).toBe('2026-03-29T22:01:00.000Z')
  })

  it('a start outside the hours begins counting at the next opening', () => {
    expect(addBusinessMinutes(at('2026-01-17T09:00:00Z'), 60, berlin).toISOString()).toBe('2026-01-19T09:00:00.000Z') // Saturday → Monday 10:00
    expect(addBusinessMinutes(at('2026-01-13T06:00:00Z'), 60, berlin).toISOString()).toBe('2026-01-13T09:00:00.000Z') // Tuesday 07:00 → 10:00
    expect(addBusinessMinutes(at('2026-01-13T17:00:00Z'), 60, berlin).toISOString()).toBe('2026-01-14T09:00:00.000Z') // Tuesday 18:00 → Wednesday 10:00
  })

  it('a target met at closing time is due at closing time, not the next morning', () => {
    expect(addBusinessMinutes(at('2026-01-16T15:00:00Z'), 60, berlin).toISOString()).toBe('2026-01-16T16:00:00.000Z')
  })

  it('multi-day targets: 24 and 72 business hours from Monday 10:00', () => {
    const monday = at('2026-01-12T09:00:00Z')
    expect(addBusinessMinutes(monday, 24 * 60, berlin).toISOString()).toBe('2026-01-15T09:00:00.000Z') // Thursday 10:00
    expect(addBusinessMinutes(monday, 72 * 60, berlin).toISOString()).toBe('2026-01-23T09:00:00.000Z') // Friday of the next week, 10:00
  })

  it('fractions of a minute are kept (warn at 80% of a target)', () => {
    expect(addBusinessMinutes(at('2026-01-12T09:00:00Z'), 0.8 * 45, berlin).toISOString()).toBe('2026-01-12T09:36:00.000Z')
  })

  it('refuses a negative target', () => {
    expect(() => addBusinessMinutes(at('2026-01-12T09:00:00Z'), -1, berlin)).toThrow(RangeError)
  })
})

describe('isWithinBusinessHours', () => {
  it('is open 09:00–17:00 Berlin on weekdays only', () => {
    expect(isWithinBusinessHours(at('2026-01-12T08:00:00Z'), berlin)).toBe(true) // Monday 09:00
    expect(isWithinBusinessHours(at('2026-01-12T16:00:00Z'), berlin)).toBe(false) // Monday 17:00
    expect(isWithinBusinessHours(at('2026-01-17T10:00:00Z'), berlin)).toBe(false) // Saturday
    expect(isWithinBusinessHours(at('2026-01-17T10:00:00Z'), null)).toBe(true)
  })
})
