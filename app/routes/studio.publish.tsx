import type { MetaFunction } from '@remix-run/node'
import { PlaceholderPage } from '~/components/page'
import { RouteErrorBoundary } from '~/components/error-page'

export const meta: MetaFunction = () => [{ title: 'Publish · Automation Studio · Pulse-8' }]

export default function StudioPublishPage() {
  return (
    <PlaceholderPage
      title="Publish"
      description="Validate your drafts and publish them to everyone at once."
      empty={<p>Validation results and the changes about to go live will appear here, with how many existing records each change touches.</p>}
    />
  )
}

export function ErrorBoundary() {
  return <RouteErrorBoundary />
}
