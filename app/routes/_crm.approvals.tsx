// My approvals: the pending requests the signed-in person may decide now (approvals.pending),
// oldest first, each linking to its record, where the banner offers approve / reject.
import { json, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Link, useLoaderData } from '@remix-run/react'
import { callForPage } from '~/utils/api-errors.server'
import { requirePermission } from '~/utils/session.server'
import { EmptyState, PageHeader } from '~/components/page'
import { DateTime } from '~/components/date-time'
import { RouteErrorBoundary } from '~/components/error-page'
import { recordHref } from '~/components/crm/entities'

export const meta: MetaFunction = () => [{ title: 'My approvals · Pulse-8' }]

export async function loader({ request, context }: LoaderFunctionArgs) {
  await requirePermission(context, request, 'crm:read', 'see approvals')
  const cursor = new URL(request.url).searchParams.get('cursor') ?? undefined
  const page = await callForPage(request, context, (trpc) => trpc.approvals.pending(cursor ? { cursor } : undefined))
  return json({ page }, { headers: context.resHeaders })
}

export default function MyApprovalsPage() {
  const { page } = useLoaderData<typeof loader>()
  return (
    <>
      <PageHeader title="My approvals" description="Requests waiting for your decision, oldest first." />
      {page.items.length === 0 ? (
        <EmptyState title="Nothing to decide">Requests you may approve or reject will appear here.</EmptyState>
      ) : (
        <div className="card">
          <table className="table">
            <thead>
              <tr>
                <th>Record</th>
                <th>Rule</th>
                <th>Step</th>
                <th>Submitted</th>
              </tr>
            </thead>
            <tbody>
              {page.items.map((r) => (
                <tr key={r.id}>
                  <td>
                    <Link to={recordHref(r.entity, r.recordId)}>{r.recordTitle}</Link>
                  </td>
                  <td>{r.ruleLabel}</td>
                  <td>
                    {r.step + 1} of {r.steps.length}
                  </td>
                  <td>
                    {r.submittedBy}, <DateTime value={r.createdAt} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {page.nextCursor ? (
        <p>
          <Link to={`?cursor=${encodeURIComponent(page.nextCursor)}`}>More requests</Link>
        </p>
      ) : null}
    </>
  )
}

export function ErrorBoundary() {
  return <RouteErrorBoundary />
}
