import { Link } from '@remix-run/react'
import type { Viewer } from '~/utils/viewer'
import { can } from '~/utils/viewer'
import { TenantSwitcher } from './tenant-switcher'
import { UserMenu } from './user-menu'
import { ConnectionIndicator } from '~/config/live-config-sync'

/** The bar both shells share; `area` says which one the person is in. */
export function TopBar({ viewer, area }: { viewer: Viewer; area: 'crm' | 'studio' }) {
  return (
    <header className="top-bar">
      <Link to="/" className="top-bar__brand">
        <span className="top-bar__logo" aria-hidden>
          P8
        </span>
        Pulse-8
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
      <UserMenu viewer={viewer} />
    </header>
  )
}
