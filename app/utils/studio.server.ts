// What the Studio's pages load: the item list with states and revisions, the working (draft) set
// and the live set, all through the `config` procedures. The draft set is the live snapshot with
// every pending draft laid over it, so only the items that have a draft cost a `config.get`.
import type { AppLoadContext } from '@remix-run/node'
import { ENTITIES, KEY_PATTERN, addressOf, isEntity, type ConfigItem, type Entity } from '../../server/config-language'
import { callForPage } from './api-errors.server'

export type StudioListItem = {
  address: string
  namespace: ConfigItem['namespace']
  entity: ConfigItem['entity']
  key: string
  state: 'live' | 'modified' | 'new' | 'deleted'
  draftRevision: number
  publishedVersion: number | null
  updatedAt: string
}

export type StudioConfig = {
  /** The live version the page was loaded at (the base of a publish). */
  version: number
  items: StudioListItem[]
  /** What a publish would make live: the working copy of every item. */
  drafts: ConfigItem[]
  /** The live snapshot's items. */
  live: ConfigItem[]
}

export async function loadStudioConfig(request: Request, context: AppLoadContext): Promise<StudioConfig> {
  const list = await callForPage(request, context, (trpc) => trpc.config.list())
  const live = list.version > 0 ? await loadLive(request, context, list.version) : []
  const liveByAddress = new Map(live.map((i) => [addressOf(i), i]))
  const items: StudioListItem[] = list.items.map((i) => ({
    address: i.address,
    namespace: i.namespace as ConfigItem['namespace'],
    entity: i.entity as ConfigItem['entity'],
    key: i.key,
    state: i.state,
    draftRevision: i.draftRevision,
    publishedVersion: i.publishedVersion,
    updatedAt: new Date(i.updatedAt).toISOString(),
  }))
  // Items whose working copy differs from the snapshot (or that a concurrent publish added).
  const toFetch = items.filter((i) => i.state !== 'deleted' && (i.state !== 'live' || !liveByAddress.has(i.address)))
  const fetched = await Promise.all(
    toFetch.map((i) => callForPage(request, context, (trpc) => trpc.config.get({ namespace: i.namespace, entity: i.entity, key: i.key }))),
  )
  const working = new Map(fetched.map((g) => [g.address, g.content]))
  const drafts: ConfigItem[] = []
  for (const i of items) {
    if (i.state === 'deleted') continue
    const content = working.has(i.address) ? working.get(i.address) : liveByAddress.get(i.address)?.content
    if (content != null) drafts.push({ namespace: i.namespace, entity: i.entity, key: i.key, content })
  }
  return { version: list.version, items, drafts, live }
}

/** Members, for user fields in the previews (everyone who may open the Studio may list them). */
export async function loadMembers(request: Request, context: AppLoadContext): Promise<Array<{ id: string; name: string; email: string }>> {
  const list = await callForPage(request, context, (trpc) => trpc.members.list())
  return list.map((m) => ({ id: m.userId, name: m.name, email: m.email }))
}

async function loadLive(request: Request, context: AppLoadContext, version: number): Promise<ConfigItem[]> {
  // The runtime cache usually holds exactly this version; a snapshot read covers the rare race.
  const runtime = await callForPage(request, context, (trpc) => trpc.runtime.config())
  if (runtime.version === version) return runtime.items as ConfigItem[]
  const snap = await callForPage(request, context, (trpc) => trpc.config.snapshot({ version }))
  return snap.items
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
  const key = wanted && KEY_PATTERN.test(wanted) ? wanted : (existing.find((i) => i.key === preferred) ?? existing[0])?.key ?? preferred
  return { params, entity, key, focus: params.get('focus'), createLabel: params.get('create'), members, config }
}
