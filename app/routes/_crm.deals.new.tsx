import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { RecordCreatePage } from '~/components/crm/record-pages'
import { recordCreateAction, recordCreateLoader } from '~/utils/record-routes.server'

export const meta: MetaFunction = () => [{ title: 'New deal · Deals · Pulse-8' }]

export const loader = (args: LoaderFunctionArgs) => recordCreateLoader('deal', args)
export const action = (args: ActionFunctionArgs) => recordCreateAction('deal', args)

export default function NewDeal() {
  return <RecordCreatePage entity="deal" />
}
