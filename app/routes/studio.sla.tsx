import type { MetaFunction } from '@remix-run/node'
import { PlaceholderPage } from '~/components/page'
import { RouteErrorBoundary } from '~/components/error-page'

export const meta: MetaFunction = () => [{ title: 'SLA · Automation Studio · Pulse-8' }]

export default function StudioSlaPage() {
  return (
    <PlaceholderPage
      title="SLA"
      description="Response and resolution targets for cases."
      empty={<p>SLA policies will appear here: which cases they cover, first-response and resolution targets, business hours and when to warn.</p>}
    />
  )
}

export function ErrorBoundary() {
  return <RouteErrorBoundary />
}
