import type { MetaFunction } from '@remix-run/node'
import { PlaceholderPage } from '~/components/page'
import { RouteErrorBoundary } from '~/components/error-page'

export const meta: MetaFunction = () => [{ title: 'History · Automation Studio · Pulse-8' }]

export default function StudioHistoryPage() {
  return (
    <PlaceholderPage
      title="History"
      description="Every published version of the configuration."
      empty={<p>Published versions will appear here with author, message and time; compare any two, or roll back to an earlier one.</p>}
    />
  )
}

export function ErrorBoundary() {
  return <RouteErrorBoundary />
}
