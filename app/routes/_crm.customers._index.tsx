import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { listTitle, RecordListPage } from '~/components/crm/record-pages'
import { recordListLoader } from '~/utils/record-routes.server'

export const meta: MetaFunction = () => listTitle('customer')

export const loader = (args: LoaderFunctionArgs) => recordListLoader('customer', args)

export default function CustomersList() {
  return <RecordListPage entity="customer" />
}
