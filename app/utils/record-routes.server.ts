// Loaders and actions of the record pages (customers, deals, cases), written once for the three
// entities: the route files only name their entity. Every read and write is a tRPC procedure
// called through the page helpers (callForPage / callForForm).
import { json, redirect, type ActionFunctionArgs, type AppLoadContext, type LoaderFunctionArgs } from '@remix-run/node'
import { buildConfigIndex, viewsVisibleTo, type Entity } from '../../server/config-language'
import { ENTITY_META, recordHref, recordTitle, type ActivityEntry, type LookupLabels, type MemberOption, type RecordRow } from '~/components/crm/entities'
import { listInput, parseTableState } from '~/components/crm/table-state'
import { asApiError, callForForm, callForPage, errorPage, type FormFailure } from './api-errors.server'
import { requirePermission } from './session.server'
import { setFlash } from './flash.server'
import type { SignedInMe } from './viewer'

type Trpc = AppLoadContext['trpc']

/** The record procedures of one entity (the three routers share their shape). */
function api(trpc: Trpc, entity: Entity) {
  return trpc[ENTITY_META[entity].path]
}

const what = (entity: Entity) => ENTITY_META[entity].plural.toLowerCase()

/** Members for user fields: with emails for roles that may list members, by name for the others. */
async function membersFor(me: SignedInMe, context: AppLoadContext): Promise<MemberOption[]> {
  if (me.permissions.includes('members:read')) {
    const list = await context.trpc.members.list()
    return list.map((m) => ({ id: m.userId, name: m.name, email: m.email }))
  }
  const names = await context.trpc.members.names()
  return names.map((m) => ({ id: m.userId, name: m.name }))
}

function viewerInfo(me: SignedInMe) {
  return {
    role: me.activeTenant!.role,
    canWrite: me.permissions.includes('crm:write'),
    canDelete: me.permissions.includes('crm:delete'),
  }
}

// ---------------------------------------------------------------------------------------------
// List

export async function recordListLoader(entity: Entity, { request, context }: LoaderFunctionArgs) {
  const me = await requirePermission(context, request, 'crm:read', `see ${what(entity)}`)
  const url = new URL(request.url)
  const state = parseTableState(url.searchParams)
  const live = await callForPage(request, context, (trpc) => trpc.runtime.config())
  const views = viewsVisibleTo(buildConfigIndex(live.items), entity, me.activeTenant!.role)
  const requested = url.searchParams.get('view')
  const viewKey = requested ?? (views.find((v) => v.key === 'all') ?? views[0])?.key
  if (requested && !views.some((v) => v.key === requested)) {
    throw errorPage(context, 404, `There is no view "${requested}" of ${what(entity)} that your role may see.`)
  }
  const [page, members] = await Promise.all([
    callForPage(request, context, (trpc) => api(trpc, entity).list(listInput(viewKey, state))),
    membersFor(me, context),
  ])
  return json({ viewKey: viewKey ?? null, state, page, members, lookupLabels: page.lookupLabels, ...viewerInfo(me) }, { headers: context.resHeaders })
}

// ---------------------------------------------------------------------------------------------
// One record

function recordId(params: LoaderFunctionArgs['params']): string {
  const id = params.id
  if (!id) throw new Response('Not found', { status: 404 })
  return id
}

async function loadRecord(entity: Entity, { request, context, params }: LoaderFunctionArgs) {
  const me = await requirePermission(context, request, 'crm:read', `see ${what(entity)}`)
  const id = recordId(params)
  const [record, members] = await Promise.all([callForPage(request, context, (trpc) => api(trpc, entity).get({ id })), membersFor(me, context)])
  return { record, members, lookupLabels: record.lookupLabels, ...viewerInfo(me) }
}

/** A deal's or case's detail page: the record and its own entries of its customer's timeline. */
export async function recordDetailLoader(entity: Entity, args: LoaderFunctionArgs) {
  const { request, context } = args
  const data = await loadRecord(entity, args)
  const customerId = data.record.customerId
  let activity: ActivityEntry[] = []
  let linkedThreads: { id: string; subject: string; channel: string; status: string }[] = []
  if (entity !== 'customer' && typeof customerId === 'string') {
    // There is no per-record activity procedure yet: the customer's timeline holds the record's entries.
    const c360 = await callForPage(request, context, (trpc) => trpc.customer360.get({ id: customerId }))
    activity = c360.activity.filter((a) => a.recordId === data.record.id)
    // A case shows the inbox conversation(s) linked to it (among the customer's newest threads).
    linkedThreads = c360.messages.filter((t) => t.caseId === data.record.id).map(({ id, subject, channel, status }) => ({ id, subject, channel, status }))
  }
  const approvals = await callForPage(request, context, (trpc) => trpc.approvals.forRecord({ entity, id: data.record.id }))
  return json({ ...data, activity, approvals, linkedThreads }, { headers: context.resHeaders })
}

export async function customer360Loader({ request, context, params }: LoaderFunctionArgs) {
  const me = await requirePermission(context, request, 'crm:read', 'see customers')
  const id = recordId(params)
  const [c360, members] = await Promise.all([callForPage(request, context, (trpc) => trpc.customer360.get({ id })), membersFor(me, context)])
  return json({ ...c360, members, ...viewerInfo(me) }, { headers: context.resHeaders })
}

export async function recordCreateLoader(entity: Entity, { request, context }: LoaderFunctionArgs) {
  const me = await requirePermission(context, request, 'crm:write', `create ${what(entity)}`)
  // "New deal" from a customer's page arrives with ?customerId=… and starts with that customer.
  const customerId = new URL(request.url).searchParams.get('customerId')
  const [members, customer] = await Promise.all([
    membersFor(me, context),
    customerId && entity !== 'customer' ? context.trpc.customers.get({ id: customerId }).catch(() => null) : Promise.resolve(null),
  ])
  const defaults: Record<string, unknown> = customer ? { customerId: customer.id } : {}
  const lookupLabels: LookupLabels = customer ? { [customer.id]: String(customer.name) } : {}
  return json({ defaults, members, lookupLabels, ...viewerInfo(me) }, { headers: context.resHeaders })
}

export async function recordEditLoader(entity: Entity, args: LoaderFunctionArgs) {
  await requirePermission(args.context, args.request, 'crm:write', `edit ${what(entity)}`)
  return json(await loadRecord(entity, args), { headers: args.context.resHeaders })
}

// ---------------------------------------------------------------------------------------------
// Writes

export type RecordActionData = FormFailure | (FormFailure & { conflict: true; current: RecordRow | null })

async function readBody(request: Request): Promise<Record<string, unknown>> {
  const type = request.headers.get('content-type') ?? ''
  if (type.includes('application/json')) {
    const body: unknown = await request.json().catch(() => null)
    return body && typeof body === 'object' ? (body as Record<string, unknown>) : {}
  }
  return Object.fromEntries(await request.formData())
}

type Values = Parameters<ReturnType<typeof api>['create']>[0]['values']

export async function recordCreateAction(entity: Entity, { request, context }: ActionFunctionArgs) {
  const body = await readBody(request)
  const values = (body.values ?? {}) as Values
  const result = await callForForm(request, context, 'create', (trpc) => api(trpc, entity).create({ values }), { fieldsUnder: 'values' })
  if (!result.ok) return result.response
  setFlash(request, context, { title: `${ENTITY_META[entity].singular} created`, description: recordTitle(entity, result.data) })
  return redirect(recordHref(entity, result.data.id), { headers: context.resHeaders })
}

export async function recordUpdateAction(entity: Entity, { request, context, params }: ActionFunctionArgs) {
  const id = recordId(params)
  const body = await readBody(request)
  const values = (body.values ?? {}) as Values
  const expectedVersion = Number(body.expectedVersion)
  try {
    const row = await api(context.trpc, entity).update({ id, expectedVersion, values })
    setFlash(request, context, updateFlash(entity, id, row, body))
  } catch (err) {
    if (asApiError(err)?.code === 'CONFLICT') {
      // Hand back the record as it is now, so the form can offer to reload it.
      const current = await api(context.trpc, entity)
        .get({ id })
        .catch(() => null)
      return json<RecordActionData>(
        { ok: false, intent: 'update', conflict: true, current, message: 'Someone changed this record meanwhile.', fieldErrors: {} },
        { status: 409, headers: context.resHeaders },
      )
    }
    const result = await callForForm(request, context, 'update', () => Promise.reject(err), { fieldsUnder: 'values' })
    if (!result.ok) return result.response
  }
  return redirect(recordHref(entity, id), { headers: context.resHeaders })
}

/**
 * "Changes saved", with an Undo when the form sent the values it replaced (`previous`, the same
 * fields as `values` as they were at `expectedVersion`): the undo writes them back expecting the
 * version this update produced, so it only lands if nobody changed the record since. An undo
 * itself offers no further undo.
 */
function updateFlash(entity: Entity, id: string, row: RecordRow | null, body: Record<string, unknown>) {
  const singular = ENTITY_META[entity].singular
  const description = row ? recordTitle(entity, row) : undefined
  if (body.undo === true) return { title: 'Change undone', description }
  const previous = body.previous
  const undo =
    row && previous && typeof previous === 'object' && !Array.isArray(previous)
      ? { action: `${recordHref(entity, id)}/edit`, values: previous as Record<string, unknown>, expectedVersion: row.version as number }
      : undefined
  return { title: `${singular} saved`, description, undo }
}

/**
 * The detail page's actions: delete (manager and up), and the approval banner's approve / reject /
 * withdraw (the procedures check who may).
 */
export async function recordDeleteAction(entity: Entity, args: ActionFunctionArgs) {
  const { request, context, params } = args
  const id = recordId(params)
  const body = await readBody(request)
  if (body.intent === 'approve' || body.intent === 'reject' || body.intent === 'withdraw') return approvalAction(entity, id, body, args)
  if (body.intent !== 'delete') throw json({ message: `Unknown action "${String(body.intent)}"` }, { status: 400 })
  const version = Number(body.version)
  const expectedVersion = Number.isInteger(version) && version > 0 ? version : undefined
  const result = await callForForm(request, context, 'delete', (trpc) => api(trpc, entity).remove({ id, expectedVersion }))
  if (!result.ok) return result.response
  // No undo: a delete cannot be restored exactly (the id, history and links of the record are gone).
  setFlash(request, context, {
    title: `${ENTITY_META[entity].singular} deleted`,
    description: typeof body.title === 'string' ? body.title.slice(0, 200) : undefined,
  })
  return redirect(`/${ENTITY_META[entity].path}`, { headers: context.resHeaders })
}

async function approvalAction(entity: Entity, id: string, body: Record<string, unknown>, { request, context }: ActionFunctionArgs) {
  const requestId = String(body.requestId ?? '')
  const comment = typeof body.comment === 'string' && body.comment.trim() ? body.comment.trim() : undefined
  const result = await callForForm(request, context, 'approval', (trpc) =>
    body.intent === 'withdraw'
      ? trpc.approvals.withdraw({ requestId })
      : trpc.approvals.decide({ requestId, decision: body.intent as 'approve' | 'reject', comment, expectedStep: Number(body.expectedStep) }),
  )
  if (!result.ok) return result.response
  const done = body.intent === 'withdraw' ? 'Request withdrawn' : body.intent === 'approve' ? 'Approved' : 'Rejected'
  setFlash(request, context, { title: done, description: result.data.ruleLabel })
  return redirect(recordHref(entity, id), { headers: context.resHeaders })
}

// ---------------------------------------------------------------------------------------------
// Lookups and import

/** Records of an entity matching `q`, as lookup options (the lookup field's combobox). */
export async function lookupLoader({ request, context }: LoaderFunctionArgs) {
  await requirePermission(context, request, 'crm:read', 'search records')
  const url = new URL(request.url)
  const entity = url.searchParams.get('entity') as Entity
  if (!(entity in ENTITY_META)) return json({ options: [] }, { status: 400 })
  const q = (url.searchParams.get('q') ?? '').slice(0, 200)
  const page = await callForPage(request, context, (trpc) => api(trpc, entity).list({ ...(q ? { search: q } : {}), limit: 10 }))
  const meta = ENTITY_META[entity]
  const options = page.rows.map((r) => {
    const row = r as RecordRow
    const detail =
      entity === 'customer' ? [row.company, row.email].filter((x) => typeof x === 'string' && x).join(' · ') : (row.customerName as string | undefined)
    return { id: row.id, label: String(row[meta.titleField] ?? row.id), detail: detail || undefined }
  })
  return json({ options }, { headers: context.resHeaders })
}

/** One chunk of a CSV import from the import page (JSON in, JSON out; errors as `{ ok: false, message }`). */
export async function importCustomersAction({ request, context }: ActionFunctionArgs) {
  if (request.method !== 'POST') return json({ ok: false as const, message: 'POST a chunk of rows' }, { status: 405 })
  const body = await readBody(request)
  const input = {
    rows: (Array.isArray(body.rows) ? body.rows : []) as Record<string, string>[],
    mapping: (body.mapping && typeof body.mapping === 'object' ? body.mapping : {}) as Record<string, string>,
    dryRun: body.dryRun === true,
  }
  try {
    const results = await context.trpc.customers.importRows(input)
    return json({ ok: true as const, results }, { headers: context.resHeaders })
  } catch (err) {
    const api = asApiError(err)
    if (!api) throw err
    const status = api.code === 'UNAUTHORIZED' ? 401 : api.code === 'FORBIDDEN' ? 403 : api.code === 'BAD_REQUEST' ? 400 : 500
    return json({ ok: false as const, message: api.message }, { status, headers: context.resHeaders })
  }
}
