import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { RecordEditPage, recordPageTitle } from '~/components/crm/record-pages'
import { recordEditLoader, recordUpdateAction } from '~/utils/record-routes.server'

export const meta: MetaFunction = ({ data }) => recordPageTitle('case', data, 'Edit ')

export const loader = (args: LoaderFunctionArgs) => recordEditLoader('case', args)
export const action = (args: ActionFunctionArgs) => recordUpdateAction('case', args)

export default function EditCase() {
  return <RecordEditPage entity="case" />
}
