// The dashboard's period: a preset (today, 7 days, 30 days, this quarter) or custom dates, turned
// into the instants [from, to) that `dashboard.metrics` takes, in the reader's time zone. Pure;
// shared by the loader (server) and the picker (browser).
export const PERIOD_PRESETS = [
  { key: 'today', label: 'Today' },
  { key: '7d', label: '7 days' },
  { key: '30d', label: '30 days' },
  { key: 'quarter', label: 'Quarter' },
  { key: 'custom', label: 'Custom' },
] as const

export type PeriodPreset = (typeof PERIOD_PRESETS)[number]['key']

export type PeriodChoice = { preset: PeriodPreset; start: string; end: string }

export const DEFAULT_PRESET: PeriodPreset = '30d'
const DATE = /^\d{4}-\d{2}-\d{2}$/
const DAY_MS = 86_400_000
/** The longest custom period, a little under the server's limit. */
export const MAX_CUSTOM_DAYS = 366

/** The calendar date (YYYY-MM-DD) an instant falls on in `timeZone`. */
export function localDate(instant: Date, timeZone: string): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(instant)
}

function addDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10)
}

/** How far `timeZone` is ahead of UTC at `instant`, in ms. */
function offsetMs(instant: number, timeZone: string): number {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
    hour: 'numeric',
    minute: 'numeric',
    second: 'numeric',
  }).formatToParts(new Date(instant))
  const n = (type: string) => Number(parts.find((p) => p.type === type)?.value)
  return Date.UTC(n('year'), n('month') - 1, n('day'), n('hour'), n('minute'), n('second')) - Math.floor(instant / 1000) * 1000
}

/** The instant local midnight of `date` is in `timeZone` (DST-safe: the offset is re-read there). */
export function startOfLocalDay(date: string, timeZone: string): Date {
  const utcMidnight = Date.parse(`${date}T00:00:00Z`)
  const guess = utcMidnight - offsetMs(utcMidnight, timeZone)
  return new Date(utcMidnight - offsetMs(guess, timeZone))
}

/** The chosen period from the page's search params; falls back to the default preset. */
export function parsePeriod(params: URLSearchParams, today: string): PeriodChoice {
  const preset = (PERIOD_PRESETS.find((p) => p.key === params.get('period'))?.key ?? DEFAULT_PRESET) as PeriodPreset
  if (preset === 'custom') {
    const start = params.get('start') ?? ''
    const end = params.get('end') ?? ''
    const days = (Date.parse(end) - Date.parse(start)) / DAY_MS
    if (DATE.test(start) && DATE.test(end) && days >= 0 && days < MAX_CUSTOM_DAYS) return { preset, start, end }
    return presetPeriod(DEFAULT_PRESET, today)
  }
  return presetPeriod(preset, today)
}

/** A preset's first and last day (inclusive), ending today. */
export function presetPeriod(preset: Exclude<PeriodPreset, 'custom'> | 'custom', today: string): PeriodChoice {
  switch (preset) {
    case 'today':
      return { preset, start: today, end: today }
    case '7d':
      return { preset, start: addDays(today, -6), end: today }
    case 'quarter': {
      const [y, m] = today.split('-').map(Number) as [number, number]
      const first = Math.floor((m - 1) / 3) * 3 + 1
      return { preset, start: `${y}-${String(first).padStart(2, '0')}-01`, end: today }
    }
    default:
      return { preset: preset === 'custom' ? 'custom' : '30d', start: addDays(today, -29), end: today }
  }
}

/** The metrics input of a period: from the start of its first day to the end of its last. */
export function periodInstants(period: PeriodChoice, timeZone: string): { from: string; to: string } {
  return { from: startOfLocalDay(period.start, timeZone).toISOString(), to: startOfLocalDay(addDays(period.end, 1), timeZone).toISOString() }
}
