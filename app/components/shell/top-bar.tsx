import { Link } from '@remix-run/react'
import type { ReactNode } from 'react'
import type { Viewer } from '~/utils/viewer'
import { can } from '~/utils/viewer'
import { TenantSwitcher } from './tenant-switcher'
import { UserMenu } from './user-menu'
import { ConnectionIndicator } from '~/config/live-config-sync'
import { NotificationBell } from './notification-bell'

/** The bar both shells share; `area` says which one the person is in; `menuButton` opens the navigation on narrow screens. */
export function TopBar({ viewer, area, menuButton }: { viewer: Viewer; area: 'crm' | 'studio'; menuButton?: ReactNode }) {
  return (
    <header className="top-bar">
      {menuButton}
      <Link to="/" className="top-bar__brand">
        <span className="top-bar__logo" aria-hidden>
          P8
        </span>
        <span className="top-bar__brand-name">Pulse-8</span>
      </Link>
      {area === 'studio' ? <span className="top-bar__area">Automation Studio</span> : null}
      <TenantSwitcher viewer={viewer} />
      <div className="top-bar__spacer" />
      {area === 'crm' && can(viewer, 'studio:read') ? (
        <Link to="/studio" className="top-bar__link">
          Studio
        </Link>
      ) : null}
      {area === 'studio' ? (
        <Link to="/" className="top-bar__link">
          Back to CRM
        </Link>
      ) : null}
      <ConnectionIndicator />
      {viewer.activeTenant ? <NotificationBell key={viewer.activeTenant.tenantId} tenantId={viewer.activeTenant.tenantId} /> : null}
      <UserMenu viewer={viewer} />
    </header>
  )
}
