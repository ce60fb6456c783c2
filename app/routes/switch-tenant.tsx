import { redirect, type ActionFunctionArgs } from '@remix-run/node'
import { callForPage } from '~/utils/api-errors.server'
import { text } from '~/utils/form-data'

export async function loader() {
  return redirect('/')
}

/**
 * The tenant switcher posts here. The new tenant's dashboard is the one page sure to exist there
 * for any role, so that is where the switch lands.
 */
export async function action({ request, context }: ActionFunctionArgs) {
  const form = await request.formData()
  await callForPage(request, context, (trpc) => trpc.auth.switchTenant({ tenantId: text(form, 'tenantId') }))
  return redirect('/', { headers: context.resHeaders })
}
