import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { RecordCreatePage } from '~/components/crm/record-pages'
import { recordCreateAction, recordCreateLoader } from '~/utils/record-routes.server'

export const meta: MetaFunction = () => [{ title: 'New case · Cases · Pulse-8' }]

export const loader = (args: LoaderFunctionArgs) => recordCreateLoader('case', args)
export const action = (args: ActionFunctionArgs) => recordCreateAction('case', args)

export default function NewCase() {
  return <RecordCreatePage entity="case" />
}
