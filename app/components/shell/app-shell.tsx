import type { ReactNode } from 'react'
import type { Viewer } from '~/utils/viewer'
import { TopBar } from './top-bar'
import { SideNav, type NavItem } from './side-nav'
import { KeyboardShortcuts } from './keyboard-shortcuts'

/** Top bar, left navigation and the page: the frame of the CRM and of the Studio. */
export function AppShell({
  viewer,
  area,
  navLabel,
  nav,
  children,
}: {
  viewer: Viewer
  area: 'crm' | 'studio'
  navLabel: string
  nav: NavItem[]
  children: ReactNode
}) {
  return (
    <div className={`shell shell--${area}`}>
      <a href="#main" className="skip-link">
        Skip to content
      </a>
      <TopBar viewer={viewer} area={area} />
      <div className="shell__body">
        <SideNav label={navLabel} items={nav} />
        <main id="main" className="shell__main" tabIndex={-1}>
          {viewer.activeTenant ? (
            children
          ) : (
            <div className="empty-state">
              <h1>No tenant selected</h1>
              <p>You are not a member of any tenant yet. Ask an admin to add you, or register a new company.</p>
            </div>
          )}
        </main>
      </div>
      <KeyboardShortcuts viewer={viewer} />
    </div>
  )
}
