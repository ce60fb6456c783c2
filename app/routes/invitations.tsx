// The invitations banner in the CRM shell posts here: accept or decline one of the signed-in
// person's own invitations (invitations.* procedures; docs/decisions/014-invitations.md).
import { json, redirect, type ActionFunctionArgs } from '@remix-run/node'
import { callForForm } from '~/utils/api-errors.server'
import { text } from '~/utils/form-data'

export async function loader() {
  return redirect('/')
}

export async function action({ request, context }: ActionFunctionArgs) {
  const form = await request.formData()
  const intent = text(form, 'intent')
  const id = text(form, 'invitationId')
  if (intent === 'accept') {
    const result = await callForForm(request, context, intent, (trpc) => trpc.invitations.accept({ id }))
    if (!result.ok) return result.response
    // Every loader runs again afterwards, so the tenant appears in the switcher at once.
    return json({ ok: true as const, intent, message: `You joined ${result.data.name}. Pick it in the tenant switcher.` }, { headers: context.resHeaders })
  }
  if (intent === 'decline') {
    const result = await callForForm(request, context, intent, (trpc) => trpc.invitations.decline({ id }))
    if (!result.ok) return result.response
    return json({ ok: true as const, intent, message: 'Invitation declined.' }, { headers: context.resHeaders })
  }
  throw json({ message: `Unknown action "${intent}"` }, { status: 400 })
}
