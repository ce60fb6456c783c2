// Customer 360: profile, deals, cases, messages and activity of one customer.
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { Customer360Page, recordPageTitle } from '~/components/crm/record-pages'
import { customer360Loader, recordDeleteAction } from '~/utils/record-routes.server'

export const meta: MetaFunction = ({ data }) => recordPageTitle('customer', data)

export const loader = (args: LoaderFunctionArgs) => customer360Loader(args)
export const action = (args: ActionFunctionArgs) => recordDeleteAction('customer', args)

export default function Customer360() {
  return <Customer360Page />
}
