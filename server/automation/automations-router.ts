// The `automations` router: the run log (Manager+ reads), an admin's retry of a failed run, and the
// dry run (Manager+). Input schemas and one service call each.
import { z } from 'zod'
import { KEY_PATTERN } from '../config-language'
import { storableDate } from '../config-language/storable-date'
import { permissionProcedure, router } from '../trpc/init'
import { dryRun } from './dry-run'
import { retryRun } from './engine'
import { getRun, listRuns, RUN_STATUSES } from './run-log'

const idSchema = z.string().min(1).max(100)
const keySchema = z.string().regex(KEY_PATTERN, 'expected an automation key')

export const automationsRouter = router({
  /** Runs newest first, filtered by automation, record, status and start time (`from`/`to` inclusive). */
  runs: permissionProcedure('automations:read')
    .input(
      z
        .strictObject({
          automationKey: keySchema.optional(),
          recordId: idSchema.optional(),
          status: z.enum(RUN_STATUSES).optional(),
          from: storableDate.optional(),
          to: storableDate.optional(),
          cursor: idSchema.optional(),
          limit: z.int().min(1).max(100).optional(),
        })
        .optional(),
    )
    .query(({ ctx, input }) => listRuns(ctx.scope, input ?? {})),

  /** One run with every condition and step. */
  run: permissionProcedure('automations:read')
    .input(z.strictObject({ id: idSchema }))
    .query(({ ctx, input }) => getRun(ctx.scope, input)),

  /** Re-runs a failed run's steps that did not succeed; a run that is not failed is a CONFLICT. */
  retry: permissionProcedure('automations:manage')
    .input(z.strictObject({ id: idSchema }))
    .mutation(({ ctx, input }) => retryRun(ctx.scope, input, { ...ctx.services, ...ctx.services.automationHooks })),

  /** What an automation would do to a record (and a simulated change), with no side effect. */
  dryRun: permissionProcedure('automations:read')
    .input(
      z.strictObject({
        automationKey: keySchema.optional(),
        draft: z.boolean().optional(),
        automation: z.unknown().optional(),
        recordId: idSchema,
        change: z
          .strictObject({
            fields: z.array(z.string().min(1).max(100)).max(50).optional(),
            values: z.record(z.string().min(1).max(100), z.unknown()).refine((v) => Object.keys(v).length <= 50, 'at most 50 values'),
          })
          .optional(),
      }),
    )
    .query(({ ctx, input }) => dryRun(ctx.scope, input, { runtimeConfig: ctx.services.runtimeConfig, ...ctx.services.automationHooks })),
})
