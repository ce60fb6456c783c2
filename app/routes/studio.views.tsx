// View builder: the tables people work in (views/<entity>/<key>), autosaved as drafts, with a live
// preview of the draft view on the tenant's real records.
import { json, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { useLoaderData, useNavigate, type ShouldRevalidateFunction } from '@remix-run/react'
import { ENTITIES, KEY_PATTERN, isEntity, type ConfigItem, type Entity } from '../../server/config-language'
import { RouteErrorBoundary } from '~/components/error-page'
import { PageHeader } from '~/components/page'
import { UnsavedChangesGuard } from '~/components/studio/autosave'
import { DRAFTS_ACTION } from '~/components/studio/draft-types'
import { EntityTabs, ReadOnlyNote } from '~/components/studio/studio-chrome'
import { ViewBuilder } from '~/components/studio/view-builder'
import { loadMembers, loadStudioConfig } from '~/utils/studio.server'
import { useRequiredViewer } from '~/utils/use-viewer'
import { can } from '~/utils/viewer'

export const meta: MetaFunction = () => [{ title: 'Views · Automation Studio · Pulse-8' }]

export async function loader({ request, context }: LoaderFunctionArgs) {
  const params = new URL(request.url).searchParams
  const entityParam = params.get('entity')
  const entity: Entity = isEntity(entityParam) ? entityParam : ENTITIES[0]
  const [config, members] = await Promise.all([loadStudioConfig(request, context), loadMembers(request, context)])
  const views = config.items.filter((i) => i.namespace === 'views' && i.entity === entity && i.state !== 'deleted')
  const wanted = params.get('view')
  const viewKey = wanted && KEY_PATTERN.test(wanted) ? wanted : (views.find((v) => v.key === 'all') ?? views[0])?.key ?? 'all'
  return json({ entity, viewKey, focus: params.get('focus'), createLabel: params.get('create'), members, ...config }, { headers: context.resHeaders })
}

// Autosaves answer through a fetcher; they must not reload this page under the editor.
export const shouldRevalidate: ShouldRevalidateFunction = ({ formAction, defaultShouldRevalidate }) =>
  formAction === DRAFTS_ACTION ? false : defaultShouldRevalidate

export default function StudioViewsPage() {
  const data = useLoaderData<typeof loader>()
  const viewer = useRequiredViewer()
  const canWrite = can(viewer, 'studio:write')
  const navigate = useNavigate()
  const href = (patch: Record<string, string | undefined>) => {
    const p = new URLSearchParams({ entity: data.entity, view: data.viewKey })
    for (const [k, v] of Object.entries(patch)) {
      if (v === undefined) p.delete(k)
      else p.set(k, v)
    }
    return `?${p}`
  }
  return (
    <>
      <PageHeader title="Views" description="The tables people work in: columns, filters, sort and who may see them. Changes are saved as drafts as you go." />
      {canWrite ? null : <ReadOnlyNote />}
      <EntityTabs current={data.entity} hrefFor={(e) => `?${new URLSearchParams({ entity: e })}`} />
      <UnsavedChangesGuard />
      <ViewBuilder
        key={`${data.entity}/${data.viewKey}`}
        entity={data.entity}
        viewKey={data.viewKey}
        focus={data.focus}
        createLabel={data.createLabel}
        items={data.items}
        drafts={data.drafts as ConfigItem[]}
        live={data.live as ConfigItem[]}
        readOnly={!canWrite}
        members={data.members}
        href={href}
        onNavigate={(to) => navigate(to)}
      />
    </>
  )
}

export function ErrorBoundary() {
  return <RouteErrorBoundary />
}
