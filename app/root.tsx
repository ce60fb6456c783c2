import type { LinksFunction, MetaFunction } from '@remix-run/node'
import { Links, Meta, Outlet, Scripts, ScrollRestoration, useRouteError } from '@remix-run/react'
import type { ReactNode } from 'react'
import stylesheet from '~/styles/base.css'
import liveConfigStyles from '~/styles/live-config.css'
import toastStyles from '~/styles/toast.css'
import { PendingBar } from '~/components/pending-bar'
import { ErrorPage } from '~/components/error-page'
import { useNonce } from '~/nonce'

export const links: LinksFunction = () => [
  { rel: 'stylesheet', href: stylesheet },
  { rel: 'stylesheet', href: liveConfigStyles },
  { rel: 'stylesheet', href: toastStyles },
  { rel: 'icon', href: '/favicon.svg', type: 'image/svg+xml' },
  { rel: 'alternate icon', href: '/favicon.ico' },
]

export const meta: MetaFunction = () => [{ title: 'Pulse-8' }, { name: 'description', content: 'Pulse-8 CRM' }]

/** The document around every page, the error page included. */
export function Layout({ children }: { children: ReactNode }) {
  // Remix's inline scripts run under the page's CSP only with its nonce.
  const nonce = useNonce()
  return (
    <html lang="en">
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <Meta />
        <Links />
      </head>
      <body>
        <PendingBar />
        {children}
        <ScrollRestoration nonce={nonce} />
        <Scripts nonce={nonce} />
      </body>
    </html>
  )
}

export default function App() {
  return <Outlet />
}

export function ErrorBoundary() {
  return (
    <div className="error-shell">
      <a href="/" className="error-shell__brand">
        <span className="top-bar__logo" aria-hidden>
          P8
        </span>
        Pulse-8
      </a>
      <ErrorPage error={useRouteError()} />
    </div>
  )
}
