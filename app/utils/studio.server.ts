// What the Studio's pages load: the item list with states and revisions, the working (draft) set
// and the live set, from one `config.workspace` call (the server reads them at one moment).
import type { AppLoadContext } from '@remix-run/node'
import { ENTITIES, KEY_PATTERN, isEntity, type ConfigItem, type Entity } from '../../server/config-language'
import type { RouterOutputs } from '../../server/app-router'
import { callForPage } from './api-errors.server'

type Workspace = RouterOutputs['config']['workspace']

/** An item of the Studio's lists, as `config.workspace` answers it (its time as loader JSON has it). */
export type StudioListItem = Omit<Workspace['items'][number], 'updatedAt'> & { updatedAt: string }

/**
 * `version`: the live version the page was loaded at (the base of a publish); `drafts`: what a
 * publish would make live (the working copy of every item); `live`: the live snapshot's items.
 */
export type StudioConfig = Pick<Workspace, 'version' | 'drafts' | 'live'> & { items: StudioListItem[] }

export async function loadStudioConfig(request: Request, context: AppLoadContext): Promise<StudioConfig> {
  const workspace = await callForPage(request, context, (trpc) => trpc.config.workspace())
  const items: StudioListItem[] = workspace.items.map((i) => ({ ...i, updatedAt: new Date(i.updatedAt).toISOString() }))
  return { version: workspace.version, items, drafts: workspace.drafts, live: workspace.live }
}

/** Members, for user fields in the previews (everyone who may open the Studio may list them). */
export async function loadMembers(request: Request, context: AppLoadContext): Promise<Array<{ id: string; name: string; email: string }>> {
  const list = await callForPage(request, context, (trpc) => trpc.members.list())
  return list.map((m) => ({ id: m.userId, name: m.name, email: m.email }))
}

/** Loader data of a Studio page that lists one or more namespaces' items (JSON editing). */
export async function loadItemsPage<N extends ConfigItem['namespace']>(request: Request, context: AppLoadContext, namespaces: readonly [N, ...N[]]) {
  const params = new URL(request.url).searchParams
  const ns = params.get('ns')
  const namespace = (namespaces as readonly string[]).includes(ns ?? '') ? (ns as N) : namespaces[0]
  const config = await loadStudioConfig(request, context)
  return {
    namespaces,
    namespace,
    selected: params.get('item'),
    focus: params.get('focus'),
    create: params.get('create') === '1',
    ...config,
  }
}

/**
 * What a builder of one entity's keyed items (forms, views) loads: the entity (?entity=, else the
 * first), the item (?<param>= when it is a valid key, else `preferred` or the first existing item),
 * the config and the members. `skipDeleted` leaves items removed in the drafts out of the fallback.
 */
export async function loadEntityBuilder(
  request: Request,
  context: AppLoadContext,
  { namespace, param, preferred, skipDeleted }: { namespace: 'forms' | 'views'; param: string; preferred: string; skipDeleted: boolean },
) {
  const params = new URL(request.url).searchParams
  const entityParam = params.get('entity')
  const entity: Entity = isEntity(entityParam) ? entityParam : ENTITIES[0]
  const [config, members] = await Promise.all([loadStudioConfig(request, context), loadMembers(request, context)])
  const existing = config.items.filter((i) => i.namespace === namespace && i.entity === entity && !(skipDeleted && i.state === 'deleted'))
  const wanted = params.get(param)
  const key = wanted && KEY_PATTERN.test(wanted) ? wanted : ((existing.find((i) => i.key === preferred) ?? existing[0])?.key ?? preferred)
  return { params, entity, key, focus: params.get('focus'), createLabel: params.get('create'), members, config }
}
