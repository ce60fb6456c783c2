// Approval rules in the Studio: every rule with its state, the selected one in the approval rule
// builder (JSON one toggle away), with inline validation and the same draft autosave
// (revision-checked) as the other builders.
import { json, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { useLoaderData } from '@remix-run/react'
import { useMemo } from 'react'
import { buildConfigIndex, parseAddress, type ConfigItem, type Entity } from '../../server/config-language'
import { RouteErrorBoundary } from '~/components/error-page'
import { ApprovalRuleBuilder } from '~/components/studio/approval-rule-builder'
import { skipRevalidateOnAutosave } from '~/components/studio/draft-types'
import { ItemsRoute } from '~/components/studio/items-route'
import { useStudioEditing } from '~/components/studio/studio-chrome'
import { loadItemsPage, loadMembers } from '~/utils/studio.server'

export const meta: MetaFunction = () => [{ title: 'Approvals · Automation Studio · Pulse-8' }]

export async function loader({ request, context }: LoaderFunctionArgs) {
  const [page, members] = await Promise.all([loadItemsPage(request, context, ['approvals'] as const), loadMembers(request, context)])
  return json({ ...page, members }, { headers: context.resHeaders })
}

export const shouldRevalidate = skipRevalidateOnAutosave

export default function StudioApprovalsPage() {
  const data = useLoaderData<typeof loader>()
  const { readOnly } = useStudioEditing()
  const live = useMemo(() => data.live as ConfigItem[], [data.live])
  return (
    <ItemsRoute
      title="Approvals"
      description="Rules that require a decision before a change goes through: when they apply, who approves, which fields are locked meanwhile."
      renderBuilder={({ address, draft, issues, set, focus }) => {
        const parts = parseAddress(address)
        if (!parts || parts.namespace !== 'approvals') return null
        return (
          <ApprovalRuleBuilder
            entity={parts.entity as Entity}
            draft={draft}
            issues={issues}
            focus={focus}
            ctx={{ index: buildConfigIndex(set), live, members: data.members, readOnly }}
          />
        )
      }}
    />
  )
}

export function ErrorBoundary() {
  return <RouteErrorBoundary />
}
