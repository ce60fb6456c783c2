import type { MetaFunction } from '@remix-run/node'
import { PlaceholderPage } from '~/components/page'
import { RouteErrorBoundary } from '~/components/error-page'

export const meta: MetaFunction = () => [{ title: 'Customers · Pulse-8' }]

export default function CustomersPage() {
  return (
    <PlaceholderPage
      title="Customers"
      description="People and companies you do business with."
      empty={<p>Your customers will appear here in the table view your admin published, with search, filters and sorting. Open one to see its 360° page: profile, deals, cases, messages and activity.</p>}
    />
  )
}

export function ErrorBoundary() {
  return <RouteErrorBoundary />
}
