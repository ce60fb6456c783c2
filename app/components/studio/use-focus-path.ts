import { useEffect, type RefObject } from 'react'

/**
 * Brings the part of a builder that a validation issue points at into view: the element whose
 * `data-config-path` is the longest prefix of `focus` (a dotted path such as `filter.any.0.value`)
 * is highlighted (until the next focus target), scrolled to and focused.
 */
export function useFocusPath(container: RefObject<HTMLElement | null>, focus: string | null | undefined, ready = true) {
  useEffect(() => {
    if (!focus || !ready || !container.current) return
    const candidates = [...container.current.querySelectorAll<HTMLElement>('[data-config-path]')]
    let best: HTMLElement | null = null
    let bestLength = -1
    for (const el of candidates) {
      const p = el.dataset.configPath ?? ''
      if ((focus === p || focus.startsWith(`${p}.`) || p === '') && p.length > bestLength) {
        best = el
        bestLength = p.length
      }
    }
    if (!best) return
    best.classList.add('is-focused')
    best.scrollIntoView({ block: 'center' })
    const target = best.matches('input, select, textarea, button') ? best : best.querySelector<HTMLElement>('input, select, textarea, button')
    target?.focus({ preventScroll: true })
    const el = best
    return () => el.classList.remove('is-focused')
  }, [container, focus, ready])
}
