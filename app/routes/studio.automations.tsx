// Automations in the Studio: the composer (trigger → conditions → ordered actions, run order,
// enable toggle, inline validation) and the Triggers / Conditions / Actions tabs, where each part is
// edited in its builder (JSON one toggle away). Every edit is a draft autosaved through the one
// draft endpoint (revision-checked), like every other Studio builder.
import { json, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { useLoaderData, useLocation } from '@remix-run/react'
import { useMemo } from 'react'
import { buildConfigIndex, parseAddress, type ConfigItem, type Entity } from '../../server/config-language'
import { RouteErrorBoundary } from '~/components/error-page'
import { PageHeader } from '~/components/page'
import { UnsavedChangesGuard } from '~/components/studio/autosave'
import { AutomationComposer } from '~/components/studio/automation-composer'
import { ConfigItemsPage } from '~/components/studio/config-items-page'
import { skipRevalidateOnAutosave } from '~/components/studio/draft-types'
import { PartBuilder } from '~/components/studio/part-builder'
import { ReadOnlyNote, SubTabs, useStudioEditing } from '~/components/studio/studio-chrome'
import { NAMESPACE_LABELS } from '~/components/studio/studio-links'
import { loadItemsPage, loadMembers } from '~/utils/studio.server'

export const meta: MetaFunction = () => [{ title: 'Automations · Automation Studio · Pulse-8' }]

export async function loader({ request, context }: LoaderFunctionArgs) {
  const [page, members] = await Promise.all([
    loadItemsPage(request, context, ['automations', 'triggers', 'conditions', 'actions'] as const),
    loadMembers(request, context),
  ])
  return json({ ...page, members }, { headers: context.resHeaders })
}

// Autosaves answer through a fetcher; they must not reload this page under the editor.
export const shouldRevalidate = skipRevalidateOnAutosave

export default function StudioAutomationsPage() {
  const data = useLoaderData<typeof loader>()
  const { readOnly, onNavigate } = useStudioEditing()
  const location = useLocation()
  const drafts = data.drafts as ConfigItem[]
  const live = data.live as ConfigItem[]
  const liveMemo = useMemo(() => live, [live])
  const basePath = location.pathname
  return (
    <>
      <PageHeader
        title="Automations"
        description="When something happens, check conditions, then run actions in order. Triggers, conditions and actions are items of their own, so automations can share them."
      />
      {readOnly ? <ReadOnlyNote /> : null}
      <UnsavedChangesGuard />
      {data.namespace === 'automations' ? (
        <>
          <SubTabs
            label="Item kind"
            items={data.namespaces.map((ns) => ({
              key: ns,
              label: NAMESPACE_LABELS[ns],
              href: `${basePath}?${new URLSearchParams({ ns })}`,
              active: ns === data.namespace,
            }))}
          />
          <AutomationComposer
            selected={data.selected}
            focus={data.focus}
            items={data.items}
            drafts={drafts}
            live={live}
            readOnly={readOnly}
            members={data.members}
            href={(params) => `${basePath}?${new URLSearchParams(params)}`}
            onNavigate={onNavigate}
          />
        </>
      ) : (
        <ConfigItemsPage
          namespaces={data.namespaces}
          namespace={data.namespace}
          selected={data.selected}
          focus={data.focus}
          create={data.create}
          items={data.items}
          drafts={drafts}
          live={live}
          readOnly={readOnly}
          basePath={basePath}
          onNavigate={onNavigate}
          renderBuilder={({ address, draft, issues, set }) => {
            const parts = parseAddress(address)
            if (!parts || parts.namespace === 'automations' || parts.namespace !== data.namespace) return null
            return (
              <PartBuilder
                namespace={parts.namespace as 'triggers' | 'conditions' | 'actions'}
                entity={parts.entity as Entity}
                draft={draft}
                issues={issues}
                ctx={{ index: buildConfigIndex(set), live: liveMemo, members: data.members, readOnly }}
              />
            )
          }}
        />
      )}
    </>
  )
}

export function ErrorBoundary() {
  return <RouteErrorBoundary />
}
