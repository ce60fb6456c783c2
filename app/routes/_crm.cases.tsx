import type { MetaFunction } from '@remix-run/node'
import { PlaceholderPage } from '~/components/page'
import { RouteErrorBoundary } from '~/components/error-page'

export const meta: MetaFunction = () => [{ title: 'Cases · Pulse-8' }]

export default function CasesPage() {
  return (
    <PlaceholderPage
      title="Cases"
      description="Support requests and their SLA status."
      empty={<p>Cases will appear here with status, priority, assignee and an SLA countdown, rendered by the published case view.</p>}
    />
  )
}

export function ErrorBoundary() {
  return <RouteErrorBoundary />
}
