// The view builder's live preview (a resource route): a draft view run on the tenant's real records
// through the same `list` procedure the CRM uses, with `viewDraft` instead of a published view key.
import { json, type LoaderFunctionArgs } from '@remix-run/node'
import { ENTITY_INFO, isEntity } from '../../server/config-language'
import { listInput, parseTableState } from '~/components/crm/table-state'
import type { RecordRow } from '~/components/crm/entities'
import type { ViewPreviewData } from '~/components/studio/preview-types'
import { asApiError, throwAsPageResponse } from '~/utils/api-errors.server'
import { requirePermission } from '~/utils/session.server'

export async function loader({ request, context }: LoaderFunctionArgs) {
  await requirePermission(context, request, 'studio:read', 'open the Automation Studio')
  const params = new URL(request.url).searchParams
  const entity = params.get('entity')
  const reply = (data: ViewPreviewData) => json(data, { headers: context.resHeaders })
  if (!isEntity(entity)) return reply({ ok: false, message: 'Unknown entity', issues: [] })
  let viewDraft: unknown
  try {
    viewDraft = JSON.parse(params.get('view') ?? '')
  } catch {
    return reply({ ok: false, message: 'The view is not valid JSON', issues: [] })
  }
  const state = parseTableState(params)
  try {
    const page = await context.trpc[ENTITY_INFO[entity].path].list({ ...listInput(undefined, state), viewDraft })
    // Deals and cases carry their customer's name, so lookup cells read as names.
    const lookupLabels: Record<string, string> = {}
    for (const r of page.rows) if (typeof r.customerId === 'string' && typeof r.customerName === 'string') lookupLabels[r.customerId] = r.customerName
    return reply({
      ok: true,
      rows: page.rows as RecordRow[],
      total: page.total,
      totalIsEstimate: page.totalIsEstimate,
      nextCursor: page.nextCursor,
      lookupLabels,
    })
  } catch (err) {
    const api = asApiError(err)
    if (api?.code !== 'BAD_REQUEST') throwAsPageResponse(err, request, context)
    const zodIssues = (api.cause as { issues?: Array<{ path: PropertyKey[]; message: string }> } | undefined)?.issues ?? []
    return reply({
      ok: false,
      message: api.message,
      issues: zodIssues.map((i) => ({ path: i.path.filter((p): p is string | number => typeof p !== 'symbol'), message: i.message })),
    })
  }
}
