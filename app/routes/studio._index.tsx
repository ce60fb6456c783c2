import type { MetaFunction } from '@remix-run/node'
import { PlaceholderPage } from '~/components/page'
import { RouteErrorBoundary } from '~/components/error-page'

export const meta: MetaFunction = () => [{ title: 'Overview · Automation Studio · Pulse-8' }]

export default function StudioOverviewPage() {
  return (
    <PlaceholderPage
      title="Overview"
      description="Shape the CRM without code: fields, forms, views, automations, approvals and SLA policies."
      empty={<p>The state of your configuration will appear here: drafts waiting to be published, validation problems, the live version and recent publishes.</p>}
    />
  )
}

export function ErrorBoundary() {
  return <RouteErrorBoundary />
}
