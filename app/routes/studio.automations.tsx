// Automations in the Studio: every item with its state, edited as JSON with inline validation and the
// same draft autosave (revision-checked) as the builders.
import { json, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import type { ShouldRevalidateFunction } from '@remix-run/react'
import { RouteErrorBoundary } from '~/components/error-page'
import { DRAFTS_ACTION } from '~/components/studio/draft-types'
import { ItemsRoute } from '~/components/studio/items-route'
import { loadItemsPage } from '~/utils/studio.server'

export const meta: MetaFunction = () => [{ title: 'Automations · Automation Studio · Pulse-8' }]

export async function loader({ request, context }: LoaderFunctionArgs) {
  return json(await loadItemsPage(request, context, ['automations', 'triggers', 'conditions', 'actions'] as const), { headers: context.resHeaders })
}

// Autosaves answer through a fetcher; they must not reload this page under the editor.
export const shouldRevalidate: ShouldRevalidateFunction = ({ formAction, defaultShouldRevalidate }) =>
  formAction === DRAFTS_ACTION ? false : defaultShouldRevalidate

export default function StudioAutomationsPage() {
  return (
    <ItemsRoute
      title="Automations"
      description="Triggers, conditions and ordered actions that run after a change. Each part is its own item, so several automations can share it."
    />
  )
}

export function ErrorBoundary() {
  return <RouteErrorBoundary />
}
