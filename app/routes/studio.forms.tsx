import type { MetaFunction } from '@remix-run/node'
import { PlaceholderPage } from '~/components/page'
import { RouteErrorBoundary } from '~/components/error-page'

export const meta: MetaFunction = () => [{ title: 'Forms · Automation Studio · Pulse-8' }]

export default function StudioFormsPage() {
  return (
    <PlaceholderPage
      title="Forms"
      description="Layouts for creating, editing and viewing customers, deals and cases."
      empty={<p>Forms per entity will appear here: sections, columns, fields and per-field rules such as read-only for a role or visible when a condition holds.</p>}
    />
  )
}

export function ErrorBoundary() {
  return <RouteErrorBoundary />
}
