import { useLocation } from '@remix-run/react'
import { useEffect, useRef, useState, type ReactNode } from 'react'
import type { Viewer } from '~/utils/viewer'
import type { Flash } from '~/utils/flash'
import { Toaster } from '~/components/ui/toaster'
import { FlashToasts } from './flash-toasts'
import { TopBar } from './top-bar'
import { SideNav, SideNavToggle, type NavItem } from './side-nav'
import { KeyboardShortcuts } from './keyboard-shortcuts'

type ShellProps = Parameters<typeof ShellFrame>[0]

/** The frame and the app's one toast system around it; `flash` is what an action left for this page (app/utils/flash.server.ts). */
export function AppShell({ flash, ...props }: ShellProps & { flash?: Flash | null }) {
  return (
    <Toaster>
      <ShellFrame {...props} />
      <FlashToasts flash={flash} />
    </Toaster>
  )
}

/** Top bar, left navigation and the page: the frame of the CRM and of the Studio. */
function ShellFrame({
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
  const navId = `${area}-nav`
  const { navOpen, setNavOpen, toggleRef } = useNavDisclosure(navId)
  return (
    <div className={`shell shell--${area}`}>
      <a href="#main" className="skip-link">
        Skip to content
      </a>
      <TopBar
        viewer={viewer}
        area={area}
        menuButton={<SideNavToggle ref={toggleRef} controls={navId} open={navOpen} onToggle={() => setNavOpen(!navOpen)} />}
      />
      <div className="shell__body">
        <SideNav id={navId} label={navLabel} items={nav} open={navOpen} onNavigate={() => setNavOpen(false)} />
        {navOpen ? <div className="shell__scrim" aria-hidden onClick={() => setNavOpen(false)} /> : null}
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

/**
 * The narrow-screen navigation as a disclosure: opening moves focus to its first link, Escape
 * closes it and gives focus back to the button, and following a link folds it away.
 */
function useNavDisclosure(navId: string) {
  const [navOpen, setNavOpen] = useState(false)
  const toggleRef = useRef<HTMLButtonElement>(null)
  const { pathname } = useLocation()
  useEffect(() => setNavOpen(false), [pathname])
  useEffect(() => {
    if (!navOpen) return
    // Only when the button is shown: on wide screens the navigation is always there.
    if (toggleRef.current?.offsetParent) document.querySelector<HTMLElement>(`#${navId} a`)?.focus()
    const onKey = (e: KeyboardEvent) => {
      if (e.key !== 'Escape') return
      setNavOpen(false)
      toggleRef.current?.focus()
    }
    document.addEventListener('keydown', onKey)
    return () => document.removeEventListener('keydown', onKey)
  }, [navOpen, navId])
  return { navOpen, setNavOpen, toggleRef }
}
