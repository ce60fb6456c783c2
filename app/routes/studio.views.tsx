// View builder: the tables people work in (views/<entity>/<key>), autosaved as drafts, with a live
// preview of the draft view on the tenant's real records.
import { json, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { useLoaderData } from '@remix-run/react'
import type { ConfigItem } from '../../server/config-language'
import { RouteErrorBoundary } from '~/components/error-page'
import { skipRevalidateOnAutosave } from '~/components/studio/draft-types'
import { EntityPageHead, useStudioEditing } from '~/components/studio/studio-chrome'
import { patchedQuery } from '~/components/studio/studio-links'
import { ViewBuilder } from '~/components/studio/view-builder'
import { loadEntityBuilder } from '~/utils/studio.server'

export const meta: MetaFunction = () => [{ title: 'Views · Automation Studio · Pulse-8' }]

export async function loader({ request, context }: LoaderFunctionArgs) {
  const { entity, key, focus, createLabel, members, config } = await loadEntityBuilder(request, context, {
    namespace: 'views',
    param: 'view',
    preferred: 'all',
    skipDeleted: true,
  })
  return json({ entity, viewKey: key, focus, createLabel, members, ...config }, { headers: context.resHeaders })
}

export const shouldRevalidate = skipRevalidateOnAutosave

export default function StudioViewsPage() {
  const data = useLoaderData<typeof loader>()
  const { readOnly, onNavigate } = useStudioEditing()
  return (
    <>
      <EntityPageHead
        title="Views"
        description="The tables people work in: columns, filters, sort and who may see them. Changes are saved as drafts as you go."
        readOnly={readOnly}
        entity={data.entity}
        hrefFor={(e) => `?${new URLSearchParams({ entity: e })}`}
      />
      <ViewBuilder
        key={`${data.entity}/${data.viewKey}`}
        entity={data.entity}
        viewKey={data.viewKey}
        focus={data.focus}
        createLabel={data.createLabel}
        items={data.items}
        drafts={data.drafts as ConfigItem[]}
        live={data.live as ConfigItem[]}
        readOnly={readOnly}
        members={data.members}
        href={(patch) => patchedQuery({ entity: data.entity, view: data.viewKey }, patch)}
        onNavigate={onNavigate}
      />
    </>
  )
}

export function ErrorBoundary() {
  return <RouteErrorBoundary />
}
