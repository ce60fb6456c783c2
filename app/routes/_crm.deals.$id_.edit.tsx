import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { RecordEditPage, recordPageTitle } from '~/components/crm/record-pages'
import { recordEditLoader, recordUpdateAction } from '~/utils/record-routes.server'

export const meta: MetaFunction = ({ data }) => recordPageTitle('deal', data, 'Edit ')

export const loader = (args: LoaderFunctionArgs) => recordEditLoader('deal', args)
export const action = (args: ActionFunctionArgs) => recordUpdateAction('deal', args)

export default function EditDeal() {
  return <RecordEditPage entity="deal" />
}
