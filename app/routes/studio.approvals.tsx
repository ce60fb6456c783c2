import type { MetaFunction } from '@remix-run/node'
import { PlaceholderPage } from '~/components/page'
import { RouteErrorBoundary } from '~/components/error-page'

export const meta: MetaFunction = () => [{ title: 'Approvals · Automation Studio · Pulse-8' }]

export default function StudioApprovalsPage() {
  return (
    <PlaceholderPage
      title="Approvals"
      description="Rules that require a decision before a change goes through."
      empty={<p>Approval rules will appear here: the entity, when they apply, the approvers and steps, and the fields locked while a request is pending.</p>}
    />
  )
}

export function ErrorBoundary() {
  return <RouteErrorBoundary />
}
