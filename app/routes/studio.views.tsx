import type { MetaFunction } from '@remix-run/node'
import { PlaceholderPage } from '~/components/page'
import { RouteErrorBoundary } from '~/components/error-page'

export const meta: MetaFunction = () => [{ title: 'Views · Automation Studio · Pulse-8' }]

export default function StudioViewsPage() {
  return (
    <PlaceholderPage
      title="Views"
      description="The tables people work in: columns, filters, sort and who may see them."
      empty={<p>Table views per entity will appear here, with their columns, filters, sort order and page size.</p>}
    />
  )
}

export function ErrorBoundary() {
  return <RouteErrorBoundary />
}
