// The CRM shell: top bar (tenant switcher, user menu) and the left navigation around every CRM page.
import { json, type LinksFunction, type LoaderFunctionArgs } from '@remix-run/node'
import { Outlet, useLoaderData } from '@remix-run/react'
import { requireUser } from '~/utils/session.server'
import { takeFlash } from '~/utils/flash.server'
import { toViewer } from '~/utils/viewer'
import { AppShell } from '~/components/shell/app-shell'
import { crmNav } from '~/components/shell/nav'
import { LiveConfigProvider, type LiveConfig } from '~/config/live-config'
import { LiveConfigSync } from '~/config/live-config-sync'
import { InvitationsBanner } from '~/components/shell/invitations-banner'
import crmStyles from '~/components/crm/crm.css'
import { useLiveUnreadCount } from '~/components/inbox/inbox-live'

/** The CRM's own sheet, after the base one (root.tsx). */
export const links: LinksFunction = () => [{ rel: 'stylesheet', href: crmStyles }]

export async function loader({ request, context }: LoaderFunctionArgs) {
  const me = await requireUser(context, request)
  // The live config every CRM page renders from (null while the user works in no tenant).
  const live = me.activeTenant ? await context.trpc.runtime.config() : null
  // Invitations waiting for this person, from any tenant (decision 014).
  const invitations = await context.trpc.invitations.list()
  // Every revalidation after an action runs this loader: it shows (and clears) the action's flash.
  const flash = takeFlash(request, context)
  // The side nav's inbox badge: threads with messages this person has not read.
  const inboxUnread = me.activeTenant && me.permissions.includes('crm:read') ? (await context.trpc.inbox.unreadCount()).unread : null
  return json(
    { viewer: toViewer(me), invitations, flash, inboxUnread, liveConfig: live && { version: live.version, checksum: live.checksum, items: live.items } },
    { headers: context.resHeaders },
  )
}

export default function CrmLayout() {
  const { viewer, invitations, flash, liveConfig, inboxUnread } = useLoaderData<typeof loader>()
  const unread = useLiveUnreadCount(inboxUnread)
  const nav = crmNav(viewer).map((item) => (item.to === '/inbox' ? { ...item, badge: unread } : item))
  return (
    <AppShell viewer={viewer} area="crm" navLabel="CRM" nav={nav} flash={flash}>
      <InvitationsBanner invitations={invitations} />
      {liveConfig ? (
        <LiveConfigProvider key={viewer.activeTenant!.tenantId} initial={liveConfig as LiveConfig}>
          <LiveConfigSync tenantId={viewer.activeTenant!.tenantId} />
          <Outlet />
        </LiveConfigProvider>
      ) : (
        <Outlet />
      )}
    </AppShell>
  )
}

// No ErrorBoundary here on purpose: when this layout's own loader fails (e.g. 403) there is no
// shell to draw, so the root's branded error page takes over. Child routes keep the shell.
