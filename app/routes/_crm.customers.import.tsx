import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { json } from '@remix-run/node'
import { Link } from '@remix-run/react'
import { PageHeader } from '~/components/page'
import { Button } from '~/components/ui/button'
import { CsvImport } from '~/components/crm/csv-import'
import { requirePermission } from '~/utils/session.server'

export const meta: MetaFunction = () => [{ title: 'Import customers · Pulse-8' }]

export async function loader({ request, context }: LoaderFunctionArgs) {
  await requirePermission(context, request, 'crm:write', 'import customers')
  return json({}, { headers: context.resHeaders })
}

export default function ImportCustomers() {
  return (
    <>
      <PageHeader
        title="Import customers"
        description="Add customers from a CSV file. Each row is checked against the published customer fields; rows with problems are skipped and listed in a report you can download."
        actions={
          <Button asChild variant="secondary">
            <Link to="/customers">Back to customers</Link>
          </Button>
        }
      />
      <CsvImport />
    </>
  )
}
