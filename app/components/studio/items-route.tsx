// The component of the Studio routes that list one namespace's items and edit the selected one in
// its builder (approval rules, SLA policies) or as JSON.
import { useLoaderData, useLocation } from '@remix-run/react'
import type { ConfigItem, Namespace } from '../../../server/config-language'
import { PageHeader } from '~/components/page'
import type { StudioListItem } from '~/utils/studio.server'
import { UnsavedChangesGuard } from './autosave'
import { ConfigItemsPage, type ItemsPageProps } from './config-items-page'
import { ReadOnlyNote, useStudioEditing } from './studio-chrome'

type ItemsLoaderData = {
  namespaces: readonly Namespace[]
  namespace: Namespace
  selected: string | null
  focus: string | null
  create: boolean
  items: StudioListItem[]
  drafts: unknown[]
  live: unknown[]
}

export function ItemsRoute({ title, description, renderBuilder }: { title: string; description: string; renderBuilder?: ItemsPageProps['renderBuilder'] }) {
  const data = useLoaderData() as unknown as ItemsLoaderData
  const { readOnly, onNavigate } = useStudioEditing()
  const location = useLocation()
  return (
    <>
      <PageHeader title={title} description={description} />
      {readOnly ? <ReadOnlyNote /> : null}
      <UnsavedChangesGuard />
      <ConfigItemsPage
        namespaces={data.namespaces}
        namespace={data.namespace}
        selected={data.selected}
        focus={data.focus}
        create={data.create}
        items={data.items}
        drafts={data.drafts as ConfigItem[]}
        live={data.live as ConfigItem[]}
        readOnly={readOnly}
        basePath={location.pathname}
        onNavigate={onNavigate}
        renderBuilder={renderBuilder}
      />
    </>
  )
}
