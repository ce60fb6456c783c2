// Form builder: an entity's custom fields (objects/<entity>/fields) and its form layouts
// (forms/<entity>/<key>), autosaved as drafts, with a live preview rendered by the CRM's own
// FormRenderer from the draft configuration.
import { json, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { useLoaderData, useNavigate, type ShouldRevalidateFunction } from '@remix-run/react'
import { ENTITIES, KEY_PATTERN, isEntity, type ConfigItem, type Entity } from '../../server/config-language'
import { RouteErrorBoundary } from '~/components/error-page'
import { PageHeader } from '~/components/page'
import { FormBuilder } from '~/components/studio/form-builder'
import { UnsavedChangesGuard } from '~/components/studio/autosave'
import { DRAFTS_ACTION } from '~/components/studio/draft-types'
import { EntityTabs, ReadOnlyNote } from '~/components/studio/studio-chrome'
import { loadMembers, loadStudioConfig } from '~/utils/studio.server'
import { useRequiredViewer } from '~/utils/use-viewer'
import { can } from '~/utils/viewer'

export const meta: MetaFunction = () => [{ title: 'Forms · Automation Studio · Pulse-8' }]

export async function loader({ request, context }: LoaderFunctionArgs) {
  const params = new URL(request.url).searchParams
  const entityParam = params.get('entity')
  const entity: Entity = isEntity(entityParam) ? entityParam : ENTITIES[0]
  const tab: 'fields' | 'layout' = params.get('tab') === 'fields' ? 'fields' : 'layout'
  const [config, members] = await Promise.all([loadStudioConfig(request, context), loadMembers(request, context)])
  const forms = config.items.filter((i) => i.namespace === 'forms' && i.entity === entity)
  const wanted = params.get('form')
  const formKey = wanted && KEY_PATTERN.test(wanted) ? wanted : (forms.find((f) => f.key === 'default') ?? forms[0])?.key ?? 'default'
  return json({ entity, tab, formKey, focus: params.get('focus'), createLabel: params.get('create'), members, ...config }, { headers: context.resHeaders })
}

// Autosaves answer through a fetcher; they must not reload this page under the editor.
export const shouldRevalidate: ShouldRevalidateFunction = ({ formAction, defaultShouldRevalidate }) =>
  formAction === DRAFTS_ACTION ? false : defaultShouldRevalidate

export default function StudioFormsPage() {
  const data = useLoaderData<typeof loader>()
  const viewer = useRequiredViewer()
  const canWrite = can(viewer, 'studio:write')
  const navigate = useNavigate()
  const href = (patch: Record<string, string | undefined>) => {
    const p = new URLSearchParams({ entity: data.entity, tab: data.tab, form: data.formKey })
    for (const [k, v] of Object.entries(patch)) {
      if (v === undefined) p.delete(k)
      else p.set(k, v)
    }
    return `?${p}`
  }
  return (
    <>
      <PageHeader title="Forms" description="Fields and form layouts for creating, editing and viewing records. Changes are saved as drafts as you go." />
      {canWrite ? null : <ReadOnlyNote />}
      <EntityTabs current={data.entity} hrefFor={(e) => `?${new URLSearchParams({ entity: e, tab: data.tab })}`} />
      <UnsavedChangesGuard />
      <FormBuilder
        key={`${data.entity}/${data.formKey}`}
        entity={data.entity}
        tab={data.tab}
        formKey={data.formKey}
        focus={data.focus}
        createLabel={data.createLabel}
        items={data.items}
        drafts={data.drafts as ConfigItem[]}
        live={data.live as ConfigItem[]}
        readOnly={!canWrite}
        role={viewer.activeTenant?.role ?? 'ADMIN'}
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
