import type { MetaFunction } from '@remix-run/node'
import { PlaceholderPage } from '~/components/page'
import { useRequiredViewer } from '~/utils/use-viewer'
import { RouteErrorBoundary } from '~/components/error-page'

export const meta: MetaFunction = () => [{ title: 'Dashboard · Pulse-8' }]

export default function DashboardPage() {
  const viewer = useRequiredViewer()
  return (
    <PlaceholderPage
      title="Dashboard"
      description={`Welcome, ${viewer.user.name}. This is ${viewer.activeTenant?.name ?? 'your tenant'} at a glance.`}
      empty={
        <p>
          Open cases by status and priority, SLA compliance and breaches, pipeline value by stage, won and lost deals, and inbox volume with median
          first-response time will appear here as charts.
        </p>
      }
    />
  )
}

export function ErrorBoundary() {
  return <RouteErrorBoundary />
}
