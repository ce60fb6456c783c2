// The CRM shell: top bar (tenant switcher, user menu) and the left navigation around every CRM page.
import { json, type LoaderFunctionArgs } from '@remix-run/node'
import { Outlet, useLoaderData } from '@remix-run/react'
import { requireUser } from '~/utils/session.server'
import { can, toViewer } from '~/utils/viewer'
import { AppShell } from '~/components/shell/app-shell'
import type { NavItem } from '~/components/shell/side-nav'

export async function loader({ request, context }: LoaderFunctionArgs) {
  const me = await requireUser(context, request)
  return json({ viewer: toViewer(me) })
}

const CRM_NAV: NavItem[] = [
  { to: '/', label: 'Dashboard', end: true },
  { to: '/customers', label: 'Customers' },
  { to: '/deals', label: 'Deals' },
  { to: '/cases', label: 'Cases' },
  { to: '/inbox', label: 'Inbox' },
]

export default function CrmLayout() {
  const { viewer } = useLoaderData<typeof loader>()
  const nav = can(viewer, 'members:manage') ? [...CRM_NAV, { to: '/settings', label: 'Settings' }] : CRM_NAV
  return (
    <AppShell viewer={viewer} area="crm" navLabel="CRM" nav={nav}>
      <Outlet />
    </AppShell>
  )
}

// No ErrorBoundary here on purpose: when this layout's own loader fails (e.g. 403) there is no
// shell to draw, so the root's branded error page takes over. Child routes keep the shell.
