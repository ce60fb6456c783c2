// The composer's dry run (a resource route): POST {automation, recordId, change?} as JSON, answered
// with `automations.dryRun`'s trace, or the problems in words (bad input, a record that is gone).
// A dry run writes nothing, so Managers may run it too (`automations:read`).
import { json, type ActionFunctionArgs } from '@remix-run/node'
import type { DryRunReply } from '~/components/studio/automation-runs-panel'
import { callForForm } from '~/utils/api-errors.server'
import { requirePermission } from '~/utils/session.server'

export async function action({ request, context }: ActionFunctionArgs) {
  await requirePermission(context, request, 'automations:read', 'dry-run an automation')
  const body: unknown = await request.json().catch(() => null)
  if (!body || typeof body !== 'object' || Array.isArray(body)) {
    return json<DryRunReply>({ ok: false, message: 'Malformed dry-run request' }, { status: 400, headers: context.resHeaders })
  }
  // The procedure's own schema checks the shape (a zod error becomes sentences below).
  const input = body as Parameters<typeof context.trpc.automations.dryRun>[0]
  const result = await callForForm(request, context, 'dryRun', (trpc) => trpc.automations.dryRun(input), {
    labels: { recordId: 'Record', automation: 'The automation', change: 'The change' },
  })
  if (!result.ok) {
    const failure = await result.response.json()
    // Each input's first problem in words; the general message only when no input is named.
    const named = Object.values(failure.fieldErrors)
    return json<DryRunReply>(
      { ok: false, message: named.length ? named.join(' ') : failure.message },
      { status: result.response.status, headers: context.resHeaders },
    )
  }
  return json<DryRunReply>({ ok: true, result: result.data }, { headers: context.resHeaders })
}
