import type { MetaFunction } from '@remix-run/node'
import { PlaceholderPage } from '~/components/page'
import { RouteErrorBoundary } from '~/components/error-page'

export const meta: MetaFunction = () => [{ title: 'Automations · Automation Studio · Pulse-8' }]

export default function StudioAutomationsPage() {
  return (
    <PlaceholderPage
      title="Automations"
      description="Triggers, conditions and ordered actions that run after a change."
      empty={<p>Automations will appear here with their trigger, conditions and actions, whether they are enabled, and a dry run against a chosen record.</p>}
    />
  )
}

export function ErrorBoundary() {
  return <RouteErrorBoundary />
}
