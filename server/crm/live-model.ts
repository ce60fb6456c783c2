// What the CRM enforces: the tenant's published config, indexed once per version, with the record
// schemas (buildRecordSchema / buildPartialRecordSchema, the same the browser form uses) built
// lazily and cached per tenant + version + entity. Keyed by version and checksum, so a publish
// (or rollback, which is a new version) can never be served a stale schema.
import type { z } from 'zod'
import {
  buildConfigIndex,
  buildPartialRecordSchema,
  buildRecordSchema,
  readOnlyFieldsFor,
  viewsVisibleTo,
  type ConfigIndex,
  type Entity,
  type FieldDef,
  type RecordPatch,
  type RecordWrite,
  type Role,
  type ViewContent,
} from '../config-language'
import type { RuntimeConfigCache } from '../config/runtime-config'
import type { TenantScope } from '../kernel'
import { liveSnapshot } from '../config/live-config'

export interface LiveModel {
  version: number
  checksum: string
  index: ConfigIndex
  /** The entity's field catalogue (built-in and custom, system fields included). */
  fields(entity: Entity): readonly FieldDef[]
  createSchema(entity: Entity): z.ZodType<RecordWrite>
  updateSchema(entity: Entity): z.ZodType<RecordPatch>
  /** Fields the default form makes read-only for `role`: the server refuses changes to them. */
  readOnlyFields(entity: Entity, role: Role): ReadonlySet<string>
  /** A published view the role may see, or undefined. */
  view(entity: Entity, key: string, role: Role): ViewContent | undefined
}

const MAX_ENTRIES = 200
const cache = new Map<string, LiveModel>()

function buildModel(version: number, checksum: string, index: ConfigIndex): LiveModel {
  const memo = new Map<string, unknown>()
  const once = <T>(key: string, make: () => T): T => {
    if (!memo.has(key)) memo.set(key, make())
    return memo.get(key) as T
  }
  return {
    version,
    checksum,
    index,
    fields: (entity) =>
      once(`fields:${entity}`, () => {
        const fields = index.fields(entity)
        if (!fields) throw new Error(`the live config has no valid objects/${entity}/fields`)
        return fields
      }),
    createSchema: (entity) => once(`create:${entity}`, () => buildRecordSchema(index, entity)),
    updateSchema: (entity) => once(`update:${entity}`, () => buildPartialRecordSchema(index, entity)),
    readOnlyFields: (entity, role) =>
      once(`readonly:${entity}:${role}`, () =>
        index.content('forms', entity, 'default') ? new Set(readOnlyFieldsFor(index, entity, 'default', role)) : new Set<string>(),
      ),
    view: (entity, key, role) => viewsVisibleTo(index, entity, role).find((v) => v.key === key)?.content,
  }
}

/**
 * The live model of a tenant. Reads come from the runtime cache, which may trail a publish by up
 * to its max age on another instance; writes pass `fresh` so the head version is checked and a
 * just-published snapshot is enforced at once (config/live-config.ts).
 */
export async function liveModel(scope: TenantScope, runtimeConfig: RuntimeConfigCache, opts: { fresh?: boolean } = {}): Promise<LiveModel> {
  const live = await liveSnapshot(runtimeConfig, scope, opts)
  const tenantId = scope.tenantId
  const key = `${tenantId}:${live.version}:${live.checksum}`
  let model = cache.get(key)
  if (model) {
    // Refresh its place in the (insertion-ordered) map: least recently used goes first.
    cache.delete(key)
    cache.set(key, model)
    return model
  }
  model = buildModel(live.version, live.checksum, buildConfigIndex(live.items))
  cache.set(key, model)
  if (cache.size > MAX_ENTRIES) cache.delete(cache.keys().next().value!)
  return model
}
