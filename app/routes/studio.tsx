// The Automation Studio shell: where admins shape forms, views and automations (managers read).
import { json, type LinksFunction, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Outlet, useLoaderData } from '@remix-run/react'
import { permissionProblem, requireUser } from '~/utils/session.server'
import { toViewer } from '~/utils/viewer'
import { ErrorPanel } from '~/components/error-page'
import { AppShell } from '~/components/shell/app-shell'
import { crmNav, studioNav } from '~/components/shell/nav'
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
  const me = await requireUser(context, request)
  // Someone who may not open the Studio gets its 403 inside the app's frame (CRM nav), like the
  // CRM's own error pages, instead of the root's bare error page. Procedures check again.
  const denied = permissionProblem(me, 'studio:read', 'open the Automation Studio')
  return json({ viewer: toViewer(me), denied }, { status: denied ? 403 : 200, headers: context.resHeaders })
}

// Draft autosaves (a fetcher every few seconds while editing) do not change who is signed in.
export const shouldRevalidate = skipRevalidateOnAutosave

export default function StudioLayout() {
  const { viewer, denied } = useLoaderData<typeof loader>()
  if (denied) {
    return (
      <AppShell viewer={viewer} area="crm" navLabel="CRM" nav={crmNav(viewer)}>
        <ErrorPanel status={403} message={denied} />
      </AppShell>
    )
  }
  return (
    <AppShell viewer={viewer} area="studio" navLabel="Automation Studio" nav={studioNav(viewer)}>
      <Outlet />
    </AppShell>
  )
}

// No ErrorBoundary here on purpose: when this layout's own loader fails there is no shell to draw,
// so the root's branded error page takes over. Child routes keep the shell; a 403 is drawn above.
