import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { listTitle, RecordListPage } from '~/components/crm/record-pages'
import { recordListLoader } from '~/utils/record-routes.server'

export const meta: MetaFunction = () => listTitle('case')

export const loader = (args: LoaderFunctionArgs) => recordListLoader('case', args)

export default function CasesList() {
  return <RecordListPage entity="case" />
}
