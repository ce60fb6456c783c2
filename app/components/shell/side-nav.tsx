import { NavLink } from '@remix-run/react'
import { forwardRef } from 'react'
import { cn } from '~/utils/cn'

/** `badge`: a count shown next to the label (the inbox's unread threads); hidden when 0. */
export type NavItem = { to: string; label: string; end?: boolean; badge?: number | null }

/**
 * The left navigation. On narrow screens (base.css, max-width 960px) it is hidden until its menu
 * button opens it, then drawn over the page; `open` only matters there.
 */
export function SideNav({
  id,
  label,
  items,
  open = false,
  onNavigate,
}: {
  id?: string
  label: string
  items: NavItem[]
  open?: boolean
  /** A link was followed (even to the page already shown): the narrow-screen drawer closes. */
  onNavigate?: () => void
}) {
  return (
    <nav id={id} className={cn('side-nav', open && 'is-open')} aria-label={label}>
      <ul>
        {items.map((item) => (
          <li key={item.to}>
            <NavLink
              to={item.to}
              end={item.end}
              prefetch="intent"
              onClick={onNavigate}
              className={({ isActive }) => cn('side-nav__link', isActive && 'is-active')}
            >
              {item.label}
              {item.badge ? (
                <span className="badge side-nav__badge" data-testid={`nav-badge-${item.label.toLowerCase()}`} aria-label={`${item.badge} unread`}>
                  {item.badge}
                </span>
              ) : null}
            </NavLink>
          </li>
        ))}
      </ul>
    </nav>
  )
}

/** The disclosure button that shows and hides the side navigation on narrow screens (hidden on wide ones). */
export const SideNavToggle = forwardRef<HTMLButtonElement, { controls: string; open: boolean; onToggle: () => void }>(function SideNavToggle(
  { controls, open, onToggle },
  ref,
) {
  return (
    <button ref={ref} type="button" className="side-nav-toggle" aria-label="Menu" aria-expanded={open} aria-controls={controls} onClick={onToggle}>
      <span className="side-nav-toggle__bars" aria-hidden />
    </button>
  )
})
