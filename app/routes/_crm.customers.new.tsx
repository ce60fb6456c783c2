import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { RecordCreatePage } from '~/components/crm/record-pages'
import { recordCreateAction, recordCreateLoader } from '~/utils/record-routes.server'

export const meta: MetaFunction = () => [{ title: 'New customer · Customers · Pulse-8' }]

export const loader = (args: LoaderFunctionArgs) => recordCreateLoader('customer', args)
export const action = (args: ActionFunctionArgs) => recordCreateAction('customer', args)

export default function NewCustomer() {
  return <RecordCreatePage entity="customer" />
}
