import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { listTitle, RecordListPage } from '~/components/crm/record-pages'
import { recordListLoader } from '~/utils/record-routes.server'

export const meta: MetaFunction = () => listTitle('deal')

export const loader = (args: LoaderFunctionArgs) => recordListLoader('deal', args)

export default function DealsList() {
  return <RecordListPage entity="deal" />
}
