// The Studio's draft endpoint (a resource route): autosave, removal and discard of one config item
// through `config.saveDraft` / `config.discardDraft`, always with the revision the editor started
// from, and a loader that reads one item back (to reload after a conflict).
import { json, type ActionFunctionArgs, type LoaderFunctionArgs } from '@remix-run/node'
import { z } from 'zod'
import { addressFields } from '../../server/config-language'
import { asApiError, throwAsPageResponse } from '~/utils/api-errors.server'
import { requirePermission } from '~/utils/session.server'
import type { DraftActionData, DraftLoaderData } from '~/components/studio/draft-types'

const address = addressFields

const requestSchema = z.discriminatedUnion('intent', [
  z.object({ intent: z.literal('save'), seq: z.number().int(), ...address, expectedRevision: z.number().int().min(0), content: z.unknown() }),
  z.object({ intent: z.literal('delete'), seq: z.number().int(), ...address, expectedRevision: z.number().int().min(0) }),
  z.object({ intent: z.literal('discard'), seq: z.number().int(), ...address, expectedRevision: z.number().int().min(0) }),
])

const STATUS: Record<string, number> = { CONFLICT: 409, BAD_REQUEST: 400, NOT_FOUND: 404, FORBIDDEN: 403, TOO_MANY_REQUESTS: 429 }

export async function action({ request, context }: ActionFunctionArgs) {
  await requirePermission(context, request, 'studio:write', 'edit the configuration')
  const parsed = requestSchema.safeParse(await request.json().catch(() => null))
  if (!parsed.success) {
    return json<DraftActionData>({ ok: false, seq: -1, kind: 'error', message: 'Malformed draft request' }, { status: 400, headers: context.resHeaders })
  }
  const input = parsed.data
  const { namespace, entity, key } = input
  try {
    if (input.intent === 'discard') {
      await context.trpc.config.discardDraft({ namespace, entity, key, expectedRevision: input.expectedRevision })
      const item = await context.trpc.config.get({ namespace, entity, key }).catch(() => null)
      return json<DraftActionData>(
        {
          ok: true,
          seq: input.seq,
          intent: 'discard',
          draftRevision: item?.draftRevision ?? 0,
          errors: [],
          warnings: [],
          content: item?.content ?? null,
          state: item?.state ?? null,
        },
        { headers: context.resHeaders },
      )
    }
    const saved =
      input.intent === 'delete'
        ? await context.trpc.config.saveDraft({ namespace, entity, key, expectedRevision: input.expectedRevision, delete: true })
        : await context.trpc.config.saveDraft({ namespace, entity, key, expectedRevision: input.expectedRevision, content: input.content })
    return json<DraftActionData>(
      { ok: true, seq: input.seq, intent: input.intent, draftRevision: saved.draftRevision, errors: saved.errors, warnings: saved.warnings },
      { headers: context.resHeaders },
    )
  } catch (err) {
    const api = asApiError(err)
    if (!api || api.code === 'UNAUTHORIZED' || api.code === 'INTERNAL_SERVER_ERROR') throwAsPageResponse(err, request, context)
    return json<DraftActionData>(
      { ok: false, seq: input.seq, kind: api.code === 'CONFLICT' ? 'conflict' : 'error', message: api.message },
      { status: STATUS[api.code] ?? 400, headers: context.resHeaders },
    )
  }
}

/** One item's working copy, for "reload" after a conflict. */
export async function loader({ request, context }: LoaderFunctionArgs) {
  await requirePermission(context, request, 'studio:read', 'open the Automation Studio')
  const params = new URL(request.url).searchParams
  const parsed = z.object(address).safeParse({ namespace: params.get('namespace'), entity: params.get('entity'), key: params.get('key') })
  if (!parsed.success) return json<DraftLoaderData>({ found: false }, { headers: context.resHeaders })
  try {
    const item = await context.trpc.config.get(parsed.data)
    return json<DraftLoaderData>({ found: true, content: item.content, draftRevision: item.draftRevision, state: item.state }, { headers: context.resHeaders })
  } catch (err) {
    if (asApiError(err)?.code === 'NOT_FOUND') return json<DraftLoaderData>({ found: false }, { headers: context.resHeaders })
    throwAsPageResponse(err, request, context)
  }
}
