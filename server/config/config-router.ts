// The `config` router: drafts, validation, publish, history, diff, rollback and impact
// (docs/api.md). Admins edit and publish; managers read; agents and read-only users see only the
// live config, through `runtime.config`. Each procedure is an input schema and one call of the
// config domain's services (drafts.ts, history.ts, publish.ts, published-stream.ts).
import { z } from 'zod'
import { parseAddress, addressFields } from '../config-language'
import { permissionProcedure, router, tenantProcedure, type RestRoute } from '../trpc/init'
import { storableProblems } from '../db/storable-input'
import { trackedStream } from '../trpc/tracked-stream'
import { discardDraft, getItem, listItems, saveDraft, validateDrafts } from './drafts'
import { diffVersions, draftImpact, getSnapshot, listHistory } from './history'
import { publishConfig, rollbackConfig } from './publish'
import { configPublishedInput, streamConfigPublished } from './published-stream'
import { configWorkspace } from './workspace'
import { discardDrafts } from './discard-drafts'

const address = addressFields
const addressInput = z.strictObject(address)
// Versions and revisions are PostgreSQL integers: a larger number is bad input, not a failed query.
const version = z.int32().min(1)

// Drafts are stored as jsonb, audited, hashed and diffed as JSON: plain JSON only (the middleware
// already let superjson's Date objects through, which content has no use for).
const jsonContent = z.unknown().superRefine((value, ctx) => {
  for (const { path, message } of storableProblems(value, { allowDates: false })) ctx.addIssue({ code: 'custom', path, message })
})

const readProcedure = permissionProcedure('studio:read')
const writeProcedure = permissionProcedure('studio:write')
/** The seed's config-as-code paths (docs/decisions/023-platform.md). */
const rest = (method: RestRoute['method'], path: string, summary: string): RestRoute => ({
  method,
  path: `/admin/config${path}` as RestRoute['path'],
  summary,
  tags: ['Config'],
})
const itemPath = '/{namespace}/{entity}/{key}/draft'

export const configRouter = router({
  /** Every item with its draft/published state, plus the live version. */
  list: readProcedure
    .input(z.strictObject({ namespace: address.namespace.optional(), entity: address.entity.optional() }).optional())
    .query(({ ctx, input }) => listItems(ctx.scope, input)),

  /** One item: its working copy (draft, or published when there is no draft) and its published content. */
  get: permissionProcedure('studio:read', rest('GET', itemPath, "One item's working copy (draft or published) and its published content"))
    .input(addressInput)
    .query(({ ctx, input }) => getItem(ctx.scope, input)),

  /**
   * Saves a draft (or, with `delete: true`, marks the item for removal). `expectedRevision` is the
   * revision the editor started from (0 for a new item); a stale one is a CONFLICT, never an
   * overwrite. Returns the new revision and this item's validation issues in context.
   */
  saveDraft: permissionProcedure('studio:write', rest('PUT', itemPath, 'Save a draft (expectedRevision: the revision you started from; 0 for a new item)'))
    .input(
      z.strictObject({
        ...address,
        expectedRevision: z.int32().min(0),
        content: jsonContent.optional(),
        delete: z.literal(true).optional(),
      }),
    )
    .mutation(({ ctx, input }) => saveDraft(ctx.scope, ctx.actor, input)),

  /**
   * Drops an item's draft (a never-published item goes altogether). With `expectedRevision`, only
   * the draft the admin saw: one another admin saved since is a CONFLICT, not silently thrown away.
   */
  discardDraft: writeProcedure
    .input(z.strictObject({ ...address, expectedRevision: z.int32().min(0).optional() }))
    .mutation(({ ctx, input }) => discardDraft(ctx.scope, ctx.actor, input)),

  /** Validates the whole draft set, or one item in the context of the rest. */
  validate: permissionProcedure('studio:read', rest('POST', '/validate', 'Validate the whole draft set, or one item in the context of the rest'))
    .input(z.strictObject({ item: addressInput.optional() }).optional())
    .query(({ ctx, input }) => validateDrafts(ctx.scope, input)),

  publish: permissionProcedure('studio:write', rest('POST', '/publish', 'Publish the drafts as version expectedVersion + 1'))
    .input(
      z.strictObject({
        expectedVersion: z.int32().min(0),
        message: z.string().trim().min(1).max(500),
      }),
    )
    .mutation(({ ctx, input }) => publishConfig(ctx.scope, ctx.actor, input, ctx.services)),

  /** Published versions, newest first. */
  history: permissionProcedure('studio:read', rest('GET', '/history', 'Published versions, newest first'))
    .input(z.strictObject({ cursor: version.optional(), limit: z.number().int().min(1).max(100).default(20) }).optional())
    .query(({ ctx, input }) => listHistory(ctx.scope, input)),

  snapshot: readProcedure.input(z.strictObject({ version })).query(({ ctx, input }) => getSnapshot(ctx.scope, input.version)),

  /** Item-level diff with changed paths: any two versions, or the drafts against the live version. */
  diff: readProcedure
    .input(z.strictObject({ from: z.union([version, z.literal('live')]).default('live'), to: z.union([version, z.literal('draft')]).default('draft') }))
    .query(({ ctx, input }) => diffVersions(ctx.scope, input)),

  rollback: writeProcedure
    .input(z.strictObject({ toVersion: version, expectedVersion: version }))
    .mutation(({ ctx, input }) => rollbackConfig(ctx.scope, ctx.actor, input, ctx.services)),

  /** For the pending drafts: how many existing records each change touches. */
  impact: readProcedure.query(({ ctx }) => draftImpact(ctx.scope)),

  /** Subscription: each published version (any member or token), resumable from `lastEventId` (docs/api.md). */
  onPublished: tenantProcedure
    .input(configPublishedInput)
    .subscription(({ ctx, input, signal }) =>
      trackedStream(streamConfigPublished(ctx.scope, { bus: ctx.services.bus, lastEventId: input?.lastEventId, signal })),
    ),

  /** Everything a Studio page shows in one consistent read (server/config/workspace.ts). */
  workspace: readProcedure
    .input(z.strictObject({ impact: z.boolean().optional() }).optional())
    .query(({ ctx, input }) => configWorkspace(ctx.scope, ctx.actor, input)),

  /** Discards several drafts in one transaction, or none: a stale revision is a CONFLICT naming it. */
  discardDrafts: writeProcedure
    .input(
      z.strictObject({
        items: z
          .array(
            z.strictObject({
              // `namespace/entity/key`, checked by the config language's one address parser.
              address: z
                .string()
                .max(200)
                .refine((text) => parseAddress(text) !== null, 'An address namespace/entity/key'),
              expectedRevision: z.int32().min(0),
            }),
          )
          .min(1)
          .max(1000),
      }),
    )
    .mutation(({ ctx, input }) => discardDrafts(ctx.scope, ctx.actor, input)),
})
