// What every dashboard group draws with: the colours (for the eye; patterns and labels carry the
// meaning for everyone else, WCAG 1.4.1), the short day label of an axis, option labels from the
// live config, and a duration in words.
import type { Entity } from '../../../server/config-language'
import { useConfigIndex } from '~/config/live-config'
import { optionLabel } from '~/components/crm/field-display'

export const BLUE = '#3a5bd9'
export const GREEN = '#1d7a4a'
export const RED = '#c2362b'
export const AMBER = '#b26a00'
export const PURPLE = '#6b3fa0'
export const TEAL = '#0f6e78'

/** Labels of a choice field's options (admins may relabel them in the Studio). */
export function useOptionLabels(entity: Entity, field: string): (value: string) => string {
  const def = useConfigIndex()
    .fields(entity)
    ?.find((f) => f.name === field)
  return (value) => (def ? optionLabel(def, value) : value)
}

export const shortDay = (day: string) => new Date(`${day}T00:00:00Z`).toLocaleDateString('en-GB', { day: 'numeric', month: 'short', timeZone: 'UTC' })

/** Seconds as the unit a reader thinks in: 45 s, 12 min, 3.5 h, 2.1 d. */
export function formatDuration(seconds: number): string {
  if (seconds < 60) return `${Math.round(seconds)} s`
  if (seconds < 3_600) return `${Math.round(seconds / 60)} min`
  if (seconds < 86_400) return `${(seconds / 3_600).toFixed(1).replace(/\.0$/, '')} h`
  return `${(seconds / 86_400).toFixed(1).replace(/\.0$/, '')} d`
}
