import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { RecordDetailPage, recordPageTitle } from '~/components/crm/record-pages'
import { recordDeleteAction, recordDetailLoader } from '~/utils/record-routes.server'

export const meta: MetaFunction = ({ data }) => recordPageTitle('case', data)

export const loader = (args: LoaderFunctionArgs) => recordDetailLoader('case', args)
export const action = (args: ActionFunctionArgs) => recordDeleteAction('case', args)

export default function CaseDetail() {
  return <RecordDetailPage entity="case" />
}
