// Tenant settings, for admins: members, API tokens and secrets.
import { json, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { NavLink, Outlet } from '@remix-run/react'
import { requirePermission } from '~/utils/session.server'
import { cn } from '~/utils/cn'
import { RouteErrorBoundary } from '~/components/error-page'

export const meta: MetaFunction = () => [{ title: 'Settings · Pulse-8' }]

export async function loader({ request, context }: LoaderFunctionArgs) {
  await requirePermission(context, request, 'members:manage', 'manage tenant settings')
  return json(null)
}

const TABS = [
  { to: '/settings/members', label: 'Members' },
  { to: '/settings/tokens', label: 'API tokens' },
  { to: '/settings/secrets', label: 'Secrets' },
]

export default function SettingsLayout() {
  return (
    <>
      <nav className="tabs" aria-label="Settings">
        {TABS.map((tab) => (
          <NavLink key={tab.to} to={tab.to} className={({ isActive }) => cn('tabs__tab', isActive && 'is-active')}>
            {tab.label}
          </NavLink>
        ))}
      </nav>
      <Outlet />
    </>
  )
}

export function ErrorBoundary() {
  return <RouteErrorBoundary />
}
