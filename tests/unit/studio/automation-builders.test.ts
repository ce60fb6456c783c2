import { describe, expect, test } from 'vitest'
import type { Condition } from '../../../server/config-language'
import { formatRun, nextCronRuns, timeZoneChoices } from '../../../app/components/studio/cron-preview'
import { freeKey, inlineRefs, insertPlaceholder, withoutChangeOperators } from '../../../app/components/studio/condition-tree'

describe('nextCronRuns: the trigger builder schedule preview', () => {
  const from = new Date('2025-01-01T00:00:00Z') // a Wednesday

  test('weekday mornings in Berlin are 08:00 UTC in winter, skipping the weekend', () => {
    const preview = nextCronRuns('0 9 * * 1-5', 'Europe/Berlin', 5, from)
    expect(preview).toEqual({
      ok: true,
      runs: ['2025-01-01T08:00', '2025-01-02T08:00', '2025-01-03T08:00', '2025-01-06T08:00', '2025-01-07T08:00'].map((s) => new Date(`${s}:00Z`)),
    })
  })

  test('the zone decides the instant: the same expression in New York runs five hours later than in UTC', () => {
    const utc = nextCronRuns('30 14 * * *', 'UTC', 1, from)
    const ny = nextCronRuns('30 14 * * *', 'America/New_York', 1, from)
    if (!utc.ok || !ny.ok) throw new Error('expected previews')
    expect(ny.runs[0]!.getTime() - utc.runs[0]!.getTime()).toBe(5 * 3600_000)
  })

  test('steps and lists', () => {
    const preview = nextCronRuns('*/15 * * * *', 'UTC', 3, from)
    expect(preview.ok && preview.runs.map((d) => d.toISOString())).toEqual(['2025-01-01T00:15:00.000Z', '2025-01-01T00:30:00.000Z', '2025-01-01T00:45:00.000Z'])
  })

  test('refuses what publishing would refuse, in the config language words', () => {
    expect(nextCronRuns('0 9 * *', 'UTC')).toEqual({ ok: false, problem: expect.stringContaining('five fields') })
    expect(nextCronRuns('61 * * * *', 'UTC')).toEqual({ ok: false, problem: 'minute must be within 0–59' })
    // Six fields (seconds) are croner's, not ours.
    expect(nextCronRuns('0 0 9 * * *', 'UTC').ok).toBe(false)
    expect(nextCronRuns('0 9 * * *', 'Mars/Olympus')).toEqual({ ok: false, problem: 'unknown time zone "Mars/Olympus"' })
  })

  test('a run reads in the schedule zone, and UTC leads the zone list', () => {
    expect(formatRun(new Date('2025-01-06T08:00:00Z'), 'Europe/Berlin')).toBe('Mon, 6 Jan 2025, 09:00')
    const zones = timeZoneChoices()
    expect(zones[0]).toBe('UTC')
    expect(zones).toContain('Europe/Berlin')
    expect(zones.filter((z) => z === 'UTC')).toHaveLength(1)
  })
})

describe('condition tree helpers', () => {
  test('withoutChangeOperators drops change rows, empty groups and empty nots, and names the fields', () => {
    const tree = {
      all: [
        { field: 'status', op: 'changedTo' as const, value: 'resolved' },
        { field: 'priority', op: 'eq' as const, value: 'high' },
        { not: { field: 'assignee', op: 'changed' as const } },
        { any: [{ field: 'status', op: 'changedFrom' as const, value: 'new' }] },
      ],
    }
    expect(withoutChangeOperators(tree)).toEqual({ condition: { all: [{ field: 'priority', op: 'eq', value: 'high' }] }, omitted: ['status', 'assignee'] })
    expect(withoutChangeOperators({ field: 'status', op: 'changed' })).toEqual({ condition: null, omitted: ['status'] })
  })

  test('inlineRefs replaces named conditions and drops unknown ones', () => {
    const named: Record<string, Condition> = { urgent: { field: 'priority', op: 'eq', value: 'urgent' } }
    const resolve = (k: string) => named[k]
    expect(inlineRefs({ any: [{ ref: 'urgent' }, { ref: 'missing' }] }, resolve)).toEqual({ any: [named.urgent] })
    expect(inlineRefs({ not: { ref: 'missing' } }, resolve)).toBeNull()
  })

  test('insertPlaceholder puts {{field}} at the cursor, or at the end', () => {
    expect(insertPlaceholder('Case  resolved', 'subject', 5)).toEqual({ message: 'Case {{subject}} resolved', cursor: 16 })
    expect(insertPlaceholder('Hi ', 'name', null)).toEqual({ message: 'Hi {{name}}', cursor: 11 })
  })

  test('freeKey makes a valid, unused item key', () => {
    expect(freeKey('Notify the Assignee!', new Set())).toBe('notify-the-assignee')
    expect(freeKey('notify', new Set(['notify', 'notify-2']))).toBe('notify-3')
    expect(freeKey('123', new Set())).toBe('item')
    expect(freeKey('x'.repeat(80), new Set())).toMatch(/^[a-z][a-z0-9-]{0,62}$/)
  })
})
