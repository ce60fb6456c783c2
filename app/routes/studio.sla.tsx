// SLA policies in the Studio: every policy with its state, the selected one in the SLA policy
// builder (targets, business hours, a live due-time preview; JSON one toggle away), with inline
// validation and the same draft autosave (revision-checked) as the other builders.
import { json, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { useLoaderData } from '@remix-run/react'
import { useMemo } from 'react'
import { buildConfigIndex, parseAddress, type ConfigItem } from '../../server/config-language'
import { RouteErrorBoundary } from '~/components/error-page'
import { skipRevalidateOnAutosave } from '~/components/studio/draft-types'
import { ItemsRoute } from '~/components/studio/items-route'
import { SlaPolicyBuilder } from '~/components/studio/sla-policy-builder'
import { useStudioEditing } from '~/components/studio/studio-chrome'
import { loadItemsPage, loadMembers } from '~/utils/studio.server'

export const meta: MetaFunction = () => [{ title: 'SLA · Automation Studio · Pulse-8' }]

export async function loader({ request, context }: LoaderFunctionArgs) {
  const [page, members] = await Promise.all([loadItemsPage(request, context, ['sla'] as const), loadMembers(request, context)])
  return json({ ...page, members }, { headers: context.resHeaders })
}

// Autosaves answer through a fetcher; they must not reload this page under the editor.
export const shouldRevalidate = skipRevalidateOnAutosave

export default function StudioSlaPage() {
  const data = useLoaderData<typeof loader>()
  const { readOnly } = useStudioEditing()
  const live = useMemo(() => data.live as ConfigItem[], [data.live])
  return (
    <ItemsRoute
      title="SLA"
      description="Response and resolution targets for cases, with business hours and when to warn."
      renderBuilder={({ address, draft, issues, set, focus }) =>
        parseAddress(address)?.namespace === 'sla' ? (
          <SlaPolicyBuilder draft={draft} issues={issues} focus={focus} ctx={{ index: buildConfigIndex(set), live, members: data.members, readOnly }} />
        ) : null
      }
    />
  )
}

export function ErrorBoundary() {
  return <RouteErrorBoundary />
}
