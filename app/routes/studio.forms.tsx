// Form builder: an entity's custom fields (objects/<entity>/fields) and its form layouts
// (forms/<entity>/<key>), autosaved as drafts, with a live preview rendered by the CRM's own
// FormRenderer from the draft configuration.
import { json, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { useLoaderData } from '@remix-run/react'
import type { ConfigItem } from '../../server/config-language'
import { RouteErrorBoundary } from '~/components/error-page'
import { FormBuilder } from '~/components/studio/form-builder'
import { skipRevalidateOnAutosave } from '~/components/studio/draft-types'
import { EntityPageHead, useStudioEditing } from '~/components/studio/studio-chrome'
import { patchedQuery } from '~/components/studio/studio-links'
import { loadEntityBuilder } from '~/utils/studio.server'

export const meta: MetaFunction = () => [{ title: 'Forms · Automation Studio · Pulse-8' }]

export async function loader({ request, context }: LoaderFunctionArgs) {
  const { params, entity, key, focus, createLabel, members, config } = await loadEntityBuilder(request, context, {
    namespace: 'forms',
    param: 'form',
    preferred: 'default',
    skipDeleted: false,
  })
  const tab: 'fields' | 'layout' = params.get('tab') === 'fields' ? 'fields' : 'layout'
  return json({ entity, tab, formKey: key, focus, createLabel, members, ...config }, { headers: context.resHeaders })
}

export const shouldRevalidate = skipRevalidateOnAutosave

export default function StudioFormsPage() {
  const data = useLoaderData<typeof loader>()
  const { viewer, readOnly, onNavigate } = useStudioEditing()
  return (
    <>
      <EntityPageHead
        title="Forms"
        description="Fields and form layouts for creating, editing and viewing records. Changes are saved as drafts as you go."
        readOnly={readOnly}
        entity={data.entity}
        hrefFor={(e) => `?${new URLSearchParams({ entity: e, tab: data.tab })}`}
      />
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
        readOnly={readOnly}
        role={viewer.activeTenant?.role ?? 'ADMIN'}
        members={data.members}
        href={(patch) => patchedQuery({ entity: data.entity, tab: data.tab, form: data.formKey }, patch)}
        onNavigate={onNavigate}
      />
    </>
  )
}

export function ErrorBoundary() {
  return <RouteErrorBoundary />
}
