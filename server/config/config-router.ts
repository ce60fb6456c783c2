// The `config` router: drafts, validation, publish, history, diff, rollback and impact
// (docs/api.md). Admins edit and publish; managers read; agents and read-only users see only the
// live config, through `runtime.config`.
import { TRPCError } from '@trpc/server'
import { z } from 'zod'
import { CONFIG_NAMESPACES, diffConfigSets, validateConfigSet, validateItem, type ConfigItem } from '../config-language'
import { Prisma } from '../db/client'
import { recordAudit } from '../audit/audit-log'
import { permissionProcedure, router } from '../trpc/init'
import { principalLabel } from '../trpc/context'
import { draftSetOf, draftContentOf, headVersion, liveSetOf, loadRows, stateOf } from './config-store'
import { publishConfig, rollbackConfig, type PublishContext } from './publish'
import { assessImpact } from './impact'
import { configOnPublished } from '../realtime/config-stream'
import { storableProblems } from '../trpc/storable-input'
import { tenantScope, type Actor, type TenantScope } from '../kernel'
import { configWorkspace } from './workspace'
import { discardDrafts } from './discard-drafts'

const address = {
  namespace: z.enum(CONFIG_NAMESPACES),
  entity: z.string().regex(/^(-|[a-z][a-z0-9-]{0,62})$/, 'An entity name or "-"'),
  key: z.string().regex(/^[a-z][a-z0-9-]{0,62}$/, 'Lower-case letters, digits and dashes'),
}
const addressInput = z.strictObject(address)
// Versions and revisions are PostgreSQL integers: a larger number is bad input, not a failed query.
const version = z.int32().min(1)
const MAX_CONTENT_BYTES = 256_000

// Drafts are stored as jsonb, audited, hashed and diffed as JSON: plain JSON only (the middleware
// already let superjson's Date objects through, which content has no use for).
const jsonContent = z.unknown().superRefine((value, ctx) => {
  for (const { path, message } of storableProblems(value, { allowDates: false })) ctx.addIssue({ code: 'custom', path, message })
})

const readProcedure = permissionProcedure('studio:read')
const writeProcedure = permissionProcedure('studio:write')

const addressString = (a: { namespace: string; entity: string; key: string }) => `${a.namespace}/${a.entity}/${a.key}`

async function loadSnapshot(db: PublishContext['db'], v: number): Promise<ConfigItem[]> {
  const snap = await db.configSnapshot.findFirst({ where: { version: v }, select: { content: true } })
  if (!snap) throw new TRPCError({ code: 'NOT_FOUND', message: `Version ${v} not found` })
  return snap.content as unknown as ConfigItem[]
}

export const configRouter = router({
  /** Every item with its draft/published state, plus the live version. */
  list: readProcedure
    .input(z.strictObject({ namespace: address.namespace.optional(), entity: address.entity.optional() }).optional())
    .query(async ({ ctx, input }) => {
      const rows = await loadRows(ctx.db)
      const items = rows
        .filter((r) => (!input?.namespace || r.namespace === input.namespace) && (!input?.entity || r.entity === input.entity))
        .map((r) => ({
          address: addressString(r),
          namespace: r.namespace,
          entity: r.entity,
          key: r.key,
          state: stateOf(r),
          draftRevision: r.draftRevision,
          publishedVersion: r.publishedVersion,
          updatedAt: r.updatedAt,
        }))
        .sort((a, b) => a.address.localeCompare(b.address))
      return { version: await headVersion(ctx.db), items }
    }),

  /** One item: its working copy (draft, or published when there is no draft) and its published content. */
  get: readProcedure.input(addressInput).query(async ({ ctx, input }) => {
    const row = await ctx.db.configItem.findFirst({ where: input })
    if (!row) throw new TRPCError({ code: 'NOT_FOUND', message: `${addressString(input)} not found` })
    return {
      address: addressString(row),
      ...input,
      state: stateOf(row),
      content: draftContentOf(row),
      published: row.published,
      draftRevision: row.draftRevision,
      publishedVersion: row.publishedVersion,
      updatedAt: row.updatedAt,
    }
  }),

  /**
   * Saves a draft (or, with `delete: true`, marks the item for removal). `expectedRevision` is the
   * revision the editor started from (0 for a new item); a stale one is a CONFLICT, never an
   * overwrite. Returns the new revision and this item's validation issues in context.
   */
  saveDraft: writeProcedure
    .input(
      z.strictObject({
        ...address,
        expectedRevision: z.int32().min(0),
        content: jsonContent.optional(),
        delete: z.literal(true).optional(),
      }),
    )
    .mutation(async ({ ctx, input }) => {
      const { namespace, entity, key } = input
      if (!input.delete && (input.content === undefined || input.content === null || typeof input.content !== 'object')) {
        throw new TRPCError({ code: 'BAD_REQUEST', message: 'content must be a JSON object (or pass delete: true)' })
      }
      const json = JSON.stringify(input.content ?? null)
      if (json.length > MAX_CONTENT_BYTES) {
        throw new TRPCError({ code: 'BAD_REQUEST', message: `content is larger than ${MAX_CONTENT_BYTES} bytes` })
      }
      // Stored (and audited) as JSON makes it: undefined properties, which Prisma refuses, are left out.
      const content = input.delete ? undefined : (JSON.parse(json) as Prisma.InputJsonValue)
      const saved = await ctx.db.$transaction(async (tx) => {
        const row = await tx.configItem.findFirst({ where: { namespace, entity, key } })
        const stale = () =>
          new TRPCError({
            code: 'CONFLICT',
            message: `${addressString(input)} changed meanwhile (revision ${row?.draftRevision ?? 0}, you edited ${input.expectedRevision}); reload it`,
          })
        if (!row) {
          if (input.delete) throw new TRPCError({ code: 'NOT_FOUND', message: `${addressString(input)} not found` })
          if (input.expectedRevision !== 0) throw stale()
          await tx.configItem.create({ data: { tenantId: ctx.tenantId, namespace, entity, key, draft: content, draftRevision: 1, updatedById: ctx.actor.userId } })
        } else {
          // Removing an item that was never published simply forgets it.
          if (input.delete && row.published == null) {
            const res = await tx.configItem.deleteMany({ where: { namespace, entity, key, draftRevision: input.expectedRevision } })
            if (res.count === 0) throw stale()
          } else {
            const res = await tx.configItem.updateMany({
              where: { namespace, entity, key, draftRevision: input.expectedRevision },
              data: input.delete
                ? { deletedInDraft: true, draft: Prisma.DbNull, draftRevision: { increment: 1 }, updatedById: ctx.actor.userId }
                : { draft: content, deletedInDraft: false, draftRevision: { increment: 1 }, updatedById: ctx.actor.userId },
            })
            if (res.count === 0) throw stale()
          }
        }
        await recordAudit(tx, ctx.tenantId, ctx.actor, {
          action: input.delete ? 'config.draft.delete' : 'config.draft.save',
          target: addressString(input),
          before: row ? draftContentOf(row) : null,
          after: input.delete ? null : content,
        })
        return { draftRevision: input.delete && row?.published == null ? 0 : input.expectedRevision + 1 }
      })
      const rows = await loadRows(ctx.db)
      const set = draftSetOf(rows)
      const item = set.find((i) => i.namespace === namespace && i.entity === entity && i.key === key)
      const issues = item ? validateItem(item, set, { previous: liveSetOf(rows) }) : { errors: [], warnings: [] }
      return { ...saved, ...issues }
    }),

  /** Drops the pending draft (or pending removal) of one item. */
  /**
   * Drops an item's draft (a never-published item goes altogether). With `expectedRevision`, only
   * the draft the admin saw: one another admin saved since is a CONFLICT, not silently thrown away.
   */
  discardDraft: writeProcedure.input(z.strictObject({ ...address, expectedRevision: z.int32().min(0).optional() })).mutation(async ({ ctx, input }) => {
    const { expectedRevision, ...where } = input
    await ctx.db.$transaction(async (tx) => {
      const row = await tx.configItem.findFirst({ where })
      if (!row) throw new TRPCError({ code: 'NOT_FOUND', message: `${addressString(input)} not found` })
      const revision = expectedRevision ?? row.draftRevision
      const stale = () =>
        new TRPCError({ code: 'CONFLICT', message: `${addressString(input)} was changed meanwhile (revision ${row.draftRevision}, not ${revision}); reload it first` })
      if (revision !== row.draftRevision) throw stale()
      if (row.draft == null && !row.deletedInDraft) return
      const guarded = { ...where, draftRevision: revision }
      const res =
        row.published == null
          ? await tx.configItem.deleteMany({ where: guarded })
          : await tx.configItem.updateMany({ where: guarded, data: { draft: Prisma.DbNull, deletedInDraft: false, draftRevision: { increment: 1 } } })
      if (res.count === 0) throw stale()
      await recordAudit(tx, ctx.tenantId, ctx.actor, { action: 'config.draft.discard', target: addressString(input), before: draftContentOf(row), after: row.published })
    })
    return { ok: true }
  }),

  /** Validates the whole draft set, or one item in the context of the rest. */
  validate: readProcedure.input(z.strictObject({ item: addressInput.optional() }).optional()).query(async ({ ctx, input }) => {
    const rows = await loadRows(ctx.db)
    const set = draftSetOf(rows)
    const previous = liveSetOf(rows)
    if (!input?.item) return validateConfigSet(set, { previous })
    const target = input.item
    const item = set.find((i) => i.namespace === target.namespace && i.entity === target.entity && i.key === target.key)
    if (!item) throw new TRPCError({ code: 'NOT_FOUND', message: `${addressString(target)} not found in the drafts` })
    return validateItem(item, set, { previous })
  }),

  publish: writeProcedure
    .input(
      z.strictObject({
        expectedVersion: z.int32().min(0),
        message: z.string().trim().min(1).max(500),
      }),
    )
    .mutation(({ ctx, input }) =>
      publishConfig({ db: ctx.db, tenantId: ctx.tenantId, actor: ctx.actor, authorLabel: principalLabel(ctx.principal), bus: ctx.services.bus }, input),
    ),

  /** Published versions, newest first. */
  history: readProcedure
    .input(z.strictObject({ cursor: version.optional(), limit: z.number().int().min(1).max(100).default(20) }).optional())
    .query(async ({ ctx, input }) => {
      const limit = input?.limit ?? 20
      const rows = await ctx.db.configPublishLog.findMany({
        where: input?.cursor ? { version: { lt: input.cursor } } : undefined,
        orderBy: { version: 'desc' },
        take: limit + 1,
        select: { version: true, kind: true, message: true, checksum: true, changedItems: true, createdAt: true, actorUserId: true, actorTokenId: true },
      })
      const snaps = await ctx.db.configSnapshot.findMany({
        where: { version: { in: rows.map((r) => r.version) } },
        select: { version: true, authorLabel: true, rollbackOf: true },
      })
      const byVersion = new Map(snaps.map((s) => [s.version, s]))
      const items = rows.slice(0, limit).map((r) => ({ ...r, authorLabel: byVersion.get(r.version)?.authorLabel ?? '', rollbackOf: byVersion.get(r.version)?.rollbackOf ?? null }))
      return { items, nextCursor: rows.length > limit ? items[items.length - 1]!.version : null }
    }),

  snapshot: readProcedure.input(z.strictObject({ version })).query(async ({ ctx, input }) => {
    const snap = await ctx.db.configSnapshot.findFirst({ where: { version: input.version } })
    if (!snap) throw new TRPCError({ code: 'NOT_FOUND', message: `Version ${input.version} not found` })
    return { version: snap.version, checksum: snap.checksum, message: snap.message, authorLabel: snap.authorLabel, createdAt: snap.createdAt, rollbackOf: snap.rollbackOf, items: snap.content as unknown as ConfigItem[] }
  }),

  /** Item-level diff with changed paths: any two versions, or the drafts against the live version. */
  diff: readProcedure
    .input(z.strictObject({ from: z.union([version, z.literal('live')]).default('live'), to: z.union([version, z.literal('draft')]).default('draft') }))
    .query(async ({ ctx, input }) => {
      const rows = input.from === 'live' || input.to === 'draft' ? await loadRows(ctx.db) : []
      const before = input.from === 'live' ? liveSetOf(rows) : await loadSnapshot(ctx.db, input.from)
      const after = input.to === 'draft' ? draftSetOf(rows) : await loadSnapshot(ctx.db, input.to)
      return diffConfigSets(before, after)
    }),

  rollback: writeProcedure
    .input(z.strictObject({ toVersion: version, expectedVersion: version }))
    .mutation(({ ctx, input }) =>
      rollbackConfig({ db: ctx.db, tenantId: ctx.tenantId, actor: ctx.actor, authorLabel: principalLabel(ctx.principal), bus: ctx.services.bus }, input),
    ),

  /** For the pending drafts: how many existing records each change touches. */
  impact: readProcedure.query(async ({ ctx }) => {
    const rows = await loadRows(ctx.db)
    return assessImpact(ctx.db, liveSetOf(rows), draftSetOf(rows))
  }),

  /** Subscription: each published version (any member), resumable from `lastEventId` (docs/api.md). */
  onPublished: configOnPublished,

  /** Everything a Studio page shows in one consistent read (server/config/workspace.ts). */
  workspace: readProcedure
    .input(z.strictObject({ impact: z.boolean().optional() }).optional())
    .query(({ ctx, input }) => configWorkspace(scopeOf(ctx), actorOf(ctx), input)),

  /** Discards several drafts in one transaction, or none: a stale revision is a CONFLICT naming it. */
  discardDrafts: writeProcedure
    .input(
      z.strictObject({
        items: z
          .array(
            z.strictObject({
              // `namespace/entity/key`, each segment checked as the other procedures check it.
              address: z
                .string()
                .max(200)
                .refine((text) => {
                  const [namespace, entity, key, ...rest] = text.split('/')
                  return rest.length === 0 && addressInput.safeParse({ namespace, entity, key }).success
                }, 'An address namespace/entity/key'),
              expectedRevision: z.int32().min(0),
            }),
          )
          .min(1)
          .max(1000),
      }),
    )
    .mutation(({ ctx, input }) => discardDrafts(scopeOf(ctx), actorOf(ctx), input)),
})

type ServiceCaller = { services: { db: Parameters<typeof tenantScope>[0] }; tenantId: string; actor: { userId: string | null; tokenId: string | null }; principal: Parameters<typeof principalLabel>[0] }
/** The tenant scope and actor a config service takes, from a procedure's context. */
function scopeOf(ctx: ServiceCaller): TenantScope {
  return tenantScope(ctx.services.db, ctx.tenantId)
}
function actorOf(ctx: ServiceCaller): Actor {
  return { ...ctx.actor, label: principalLabel(ctx.principal) }
}
