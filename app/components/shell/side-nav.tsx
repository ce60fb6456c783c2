import { NavLink } from '@remix-run/react'
import { cn } from '~/utils/cn'

export type NavItem = { to: string; label: string; end?: boolean }

export function SideNav({ label, items }: { label: string; items: NavItem[] }) {
  return (
    <nav className="side-nav" aria-label={label}>
      <ul>
        {items.map((item) => (
          <li key={item.to}>
            <NavLink to={item.to} end={item.end} prefetch="intent" className={({ isActive }) => cn('side-nav__link', isActive && 'is-active')}>
              {item.label}
            </NavLink>
          </li>
        ))}
      </ul>
    </nav>
  )
}
