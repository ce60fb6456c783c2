import type { MetaFunction } from '@remix-run/node'
import { PlaceholderPage } from '~/components/page'
import { RouteErrorBoundary } from '~/components/error-page'

export const meta: MetaFunction = () => [{ title: 'Deals · Pulse-8' }]

export default function DealsPage() {
  return (
    <PlaceholderPage
      title="Deals"
      description="Opportunities in your pipeline, by stage."
      empty={<p>Deals will appear here with their stage, value and owner, rendered by the published deal view.</p>}
    />
  )
}

export function ErrorBoundary() {
  return <RouteErrorBoundary />
}
