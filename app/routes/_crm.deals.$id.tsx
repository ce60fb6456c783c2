import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { RecordDetailPage, recordPageTitle } from '~/components/crm/record-pages'
import { recordDeleteAction, recordDetailLoader } from '~/utils/record-routes.server'

export const meta: MetaFunction = ({ data }) => recordPageTitle('deal', data)

export const loader = (args: LoaderFunctionArgs) => recordDetailLoader('deal', args)
export const action = (args: ActionFunctionArgs) => recordDeleteAction('deal', args)

export default function DealDetail() {
  return <RecordDetailPage entity="deal" />
}
