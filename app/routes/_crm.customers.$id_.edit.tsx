import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { RecordEditPage, recordPageTitle } from '~/components/crm/record-pages'
import { recordEditLoader, recordUpdateAction } from '~/utils/record-routes.server'

export const meta: MetaFunction = ({ data }) => recordPageTitle('customer', data, 'Edit ')

export const loader = (args: LoaderFunctionArgs) => recordEditLoader('customer', args)
export const action = (args: ActionFunctionArgs) => recordUpdateAction('customer', args)

export default function EditCustomer() {
  return <RecordEditPage entity="customer" />
}
