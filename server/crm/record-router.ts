// The `customers`, `deals` and `cases` routers (docs/api.md): one set of procedures over the generic
// record service, instantiated per entity. Each router is `router({ ...recordProcedures(entity),
// ... })`, so entity-specific procedures (customers.importRows) and subscriptions (onChanged)
// sit next to the shared ones.
import { z } from 'zod'
import type { Entity } from '../config-language'
import { permissionProcedure, router } from '../trpc/init'
import { importCustomerRows, importRowsInput } from './csv-import'
import { recordChangesSubscription } from '../realtime/record-changes'
import { lookupLabelsOf, type LookupLabels } from './lookup-labels'
import type { RecordRow } from './record-tables'
import { createRecord, exportPage, getRecord, listInput, listInputShape, listRecords, recordContext, type ListResult, removeRecord, updateRecord } from './record-service'

const id = z.string().min(1).max(100)
/** `{ ...builtIns, data: { ...custom } }`, checked against the published config by the service. */
const values = z.record(z.string(), z.unknown())

export function recordProcedures(entity: Entity) {
  return {
    /** A page of records: a view and/or ad-hoc filter, sort, search, keyset cursor; with the total. */
    list: permissionProcedure('crm:read')
      .input(listInput)
      .query(async ({ ctx, input }): Promise<ListResult & { lookupLabels: LookupLabels }> => {
        const page = await listRecords(recordContext(ctx), entity, input)
        return { ...page, lookupLabels: await lookupLabelsOf(ctx, entity, page.rows) }
      }),

    /** The record, and `lookupLabels`: names for the record ids its lookup fields hold. */
    get: permissionProcedure('crm:read')
      .input(z.strictObject({ id }))
      .query(async ({ ctx, input }): Promise<RecordRow & { lookupLabels: LookupLabels }> => {
        const row = await getRecord(ctx, entity, input.id)
        return { ...row, lookupLabels: await lookupLabelsOf(ctx, entity, [row]) }
      }),

    create: permissionProcedure('crm:write')
      .input(z.strictObject({ values }))
      .mutation(async ({ ctx, input }) => (await createRecord(recordContext(ctx), entity, input.values))!),

    /** Partial: only the keys sent are validated and changed. A stale expectedVersion is a CONFLICT. */
    update: permissionProcedure('crm:write')
      .input(z.strictObject({ id, expectedVersion: z.int32().min(1), values }))
      .mutation(({ ctx, input }) => updateRecord(recordContext(ctx), entity, input.id, input.expectedVersion, input.values)),

    remove: permissionProcedure('crm:delete')
      .input(z.strictObject({ id, expectedVersion: z.int32().min(1).optional() }))
      .mutation(({ ctx, input }) => removeRecord(recordContext(ctx), entity, input.id, input.expectedVersion)),

    /** One page (1000 rows) of a CSV export with the view's columns; GET /api/crm/<entity>/export.csv streams these. */
    exportPage: permissionProcedure('crm:read')
      .input(z.strictObject({ view: listInputShape.view, filter: listInputShape.filter, sort: listInputShape.sort, search: listInputShape.search, cursor: listInputShape.cursor }))
      .query(({ ctx, input }) => exportPage(recordContext(ctx), entity, input)),
  }
}

export const customersRouter = router({
  ...recordProcedures('customer'),
  /** CSV import, row by row (each row validated and inserted on its own); the browser sends chunks of ≤ 500 rows. */
  importRows: permissionProcedure('crm:write')
    .input(importRowsInput)
    .mutation(({ ctx, input }) => importCustomerRows(recordContext(ctx), input)),
  onChanged: recordChangesSubscription('customer'),
})

export const dealsRouter = router({ ...recordProcedures('deal'), onChanged: recordChangesSubscription('deal') })

export const casesRouter = router({ ...recordProcedures('case'), onChanged: recordChangesSubscription('case') })
