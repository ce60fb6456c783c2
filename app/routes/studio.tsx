// The Automation Studio shell: where admins shape forms, views and automations (managers read).
import { json, type LinksFunction, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Outlet, useLoaderData } from '@remix-run/react'
import { requirePermission } from '~/utils/session.server'
import { can, toViewer } from '~/utils/viewer'
import { AppShell } from '~/components/shell/app-shell'
import type { NavItem } from '~/components/shell/side-nav'
import { skipRevalidateOnAutosave } from '~/components/studio/draft-types'
import crmStyles from '~/components/crm/crm.css'
import studioStyles from '~/components/studio/studio.css'

/** The Studio previews CRM forms and tables, so it loads the CRM sheet before its own (same order as before the split). */
export const links: LinksFunction = () => [
  { rel: 'stylesheet', href: crmStyles },
  { rel: 'stylesheet', href: studioStyles },
]

export const meta: MetaFunction = () => [{ title: 'Automation Studio · Pulse-8' }]

export async function loader({ request, context }: LoaderFunctionArgs) {
  const me = await requirePermission(context, request, 'studio:read', 'open the Automation Studio')
  return json({ viewer: toViewer(me) })
}

// Draft autosaves (a fetcher every few seconds while editing) do not change who is signed in.
export const shouldRevalidate = skipRevalidateOnAutosave

const STUDIO_NAV: NavItem[] = [
  { to: '/studio', label: 'Overview', end: true },
  { to: '/studio/forms', label: 'Forms' },
  { to: '/studio/views', label: 'Views' },
  { to: '/studio/automations', label: 'Automations' },
  { to: '/studio/approvals', label: 'Approvals' },
  { to: '/studio/sla', label: 'SLA' },
  { to: '/studio/publish', label: 'Publish' },
  { to: '/studio/history', label: 'History' },
]

export default function StudioLayout() {
  const { viewer } = useLoaderData<typeof loader>()
  const nav = can(viewer, 'audit:read') ? [...STUDIO_NAV, { to: '/studio/audit', label: 'Audit log' }] : STUDIO_NAV
  return (
    <AppShell viewer={viewer} area="studio" navLabel="Automation Studio" nav={nav}>
      <Outlet />
    </AppShell>
  )
}

// No ErrorBoundary here on purpose: when this layout's own loader fails (e.g. 403) there is no
// shell to draw, so the root's branded error page takes over. Child routes keep the shell.
