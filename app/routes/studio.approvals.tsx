// Approvals in the Studio: every item with its state, edited as JSON with inline validation and the
// same draft autosave (revision-checked) as the builders.
import { json, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { RouteErrorBoundary } from '~/components/error-page'
import { skipRevalidateOnAutosave } from '~/components/studio/draft-types'
import { ItemsRoute } from '~/components/studio/items-route'
import { loadItemsPage } from '~/utils/studio.server'

export const meta: MetaFunction = () => [{ title: 'Approvals · Automation Studio · Pulse-8' }]

export async function loader({ request, context }: LoaderFunctionArgs) {
  return json(await loadItemsPage(request, context, ['approvals'] as const), { headers: context.resHeaders })
}

export const shouldRevalidate = skipRevalidateOnAutosave

export default function StudioApprovalsPage() {
  return (
    <ItemsRoute
      title="Approvals"
      description="Rules that require a decision before a change goes through: when they apply, who approves, which fields are locked meanwhile."
    />
  )
}

export function ErrorBoundary() {
  return <RouteErrorBoundary />
}
