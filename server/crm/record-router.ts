// The `customers`, `deals` and `cases` routers (docs/api.md): one set of procedures over the generic
// record service, instantiated per entity. Each router is `router({ ...recordProcedures(entity),
// ... })`, so entity-specific procedures (customers.importRows) and subscriptions (onChanged)
// sit next to the shared ones. Procedures only parse input and call a crm service with the
// caller's tenant scope, actor and the crm's deps (crmCall).
import { z } from 'zod'
import { ENTITY_INFO, type Entity, type Role } from '../config-language'
import type { Actor, TenantScope } from '../kernel'
import { resumeInput } from '../realtime/buffered-stream'
import type { Services } from '../trpc/context'
import { permissionProcedure, router, type RestRoute } from '../trpc/init'
import { trackedStream } from '../trpc/tracked-stream'
import { importCustomerRows, importRowsInput } from './csv-import'
import type { CrmActor, CrmDeps } from './deps'
import { listRecordPage, readRecord } from './record-reads'
import { recordChanges } from './record-changes'
import { createRecord, exportPage, listInput, listInputShape, removeRecord, updateRecord } from './record-service'

/** What a tenant procedure's context gives a crm call: the scope, the actor (with label and role), the deps. */
export function crmCall(ctx: { services: Pick<Services, 'bus' | 'runtimeConfig' | 'logger'>; scope: TenantScope; role: Role; actor: Actor }): {
  scope: TenantScope
  actor: CrmActor
  deps: CrmDeps
} {
  const { services } = ctx
  return {
    scope: ctx.scope,
    actor: { ...ctx.actor, role: ctx.role },
    deps: { bus: services.bus, runtimeConfig: services.runtimeConfig, logger: services.logger },
  }
}

const id = z.string().min(1).max(100)
/** `{ ...builtIns, data: { ...custom } }`, checked against the published config by the service. */
const values = z.record(z.string(), z.unknown())

export function recordProcedures(entity: Entity) {
  const { path, singular, plural } = ENTITY_INFO[entity]
  const rest = (method: RestRoute['method'], suffix: string, summary: string): RestRoute => ({ method, path: `/crm/${path}${suffix}`, summary, tags: [plural] })
  return {
    /** A page of records: a view and/or ad-hoc filter, sort, search, keyset cursor; with the total. */
    list: permissionProcedure('crm:read', rest('GET', '', `A page of ${plural.toLowerCase()}: view, filter and sort (JSON), search, cursor`))
      .input(listInput)
      .query(({ ctx, input }) => {
        const { scope, actor, deps } = crmCall(ctx)
        return listRecordPage(scope, actor, { ...input, entity }, deps)
      }),

    /** The record, and `lookupLabels`: names for the record ids its lookup fields hold. */
    get: permissionProcedure('crm:read', rest('GET', '/{id}', `One ${singular.toLowerCase()}`))
      .input(z.strictObject({ id }))
      .query(({ ctx, input }) => {
        const { scope, actor, deps } = crmCall(ctx)
        return readRecord(scope, actor, { entity, id: input.id }, deps)
      }),

    create: permissionProcedure('crm:write', rest('POST', '', `Create a ${singular.toLowerCase()}`))
      .input(z.strictObject({ values }))
      .mutation(async ({ ctx, input }) => {
        const { scope, actor, deps } = crmCall(ctx)
        return (await createRecord(scope, actor, { entity, values: input.values }, deps))!
      }),

    /** Partial: only the keys sent are validated and changed. A stale expectedVersion is a CONFLICT. */
    update: permissionProcedure('crm:write', rest('PATCH', '/{id}', `Change some of a ${singular.toLowerCase()}'s values`))
      .input(z.strictObject({ id, expectedVersion: z.int32().min(1), values }))
      .mutation(({ ctx, input }) => {
        const { scope, actor, deps } = crmCall(ctx)
        return updateRecord(scope, actor, { entity, ...input }, deps)
      }),

    remove: permissionProcedure('crm:delete', rest('DELETE', '/{id}', `Delete a ${singular.toLowerCase()}`))
      .input(z.strictObject({ id, expectedVersion: z.int32().min(1).optional() }))
      .mutation(({ ctx, input }) => {
        const { scope, actor, deps } = crmCall(ctx)
        return removeRecord(scope, actor, { entity, ...input }, deps)
      }),

    /** One page (1000 rows) of a CSV export with the view's columns; GET /api/crm/<entity>/export.csv streams these. */
    exportPage: permissionProcedure('crm:read')
      .input(
        z.strictObject({
          view: listInputShape.view,
          filter: listInputShape.filter,
          sort: listInputShape.sort,
          search: listInputShape.search,
          cursor: listInputShape.cursor,
        }),
      )
      .query(({ ctx, input }) => {
        const { scope, actor, deps } = crmCall(ctx)
        return exportPage(scope, actor, { ...input, entity }, deps)
      }),

    /** The entity's record changes, resumable (`lastEventId`); any role that may read the CRM may listen. */
    onChanged: permissionProcedure('crm:read')
      .input(resumeInput)
      .subscription(({ ctx, input, signal }) => {
        const { scope, deps } = crmCall(ctx)
        return trackedStream(recordChanges(scope, { entity, lastEventId: input?.lastEventId, signal }, deps))
      }),
  }
}

export const customersRouter = router({
  ...recordProcedures('customer'),
  /** CSV import, row by row (each row validated and inserted on its own); the browser sends chunks of ≤ 500 rows. */
  importRows: permissionProcedure('crm:write')
    .input(importRowsInput)
    .mutation(({ ctx, input }) => {
      const { scope, actor, deps } = crmCall(ctx)
      return importCustomerRows(scope, actor, input, deps)
    }),
})

export const dealsRouter = router(recordProcedures('deal'))

export const casesRouter = router(recordProcedures('case'))
