// Studio overview: the state of the tenant's configuration at a glance — live version and its last
// publish, drafts waiting, validation, and the items per namespace with where to edit them.
import { json, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Link, useLoaderData } from '@remix-run/react'
import { NAMESPACES, type Namespace } from '../../server/config-language'
import { DateTime } from '~/components/date-time'
import { RouteErrorBoundary } from '~/components/error-page'
import { PageHeader } from '~/components/page'
import { ReadOnlyNote } from '~/components/studio/studio-chrome'
import { NAMESPACE_LABELS } from '~/components/studio/studio-links'
import { Button } from '~/components/ui/button'
import { callForPage } from '~/utils/api-errors.server'
import { requirePermission } from '~/utils/session.server'
import { useRequiredViewer } from '~/utils/use-viewer'
import { can } from '~/utils/viewer'

export const meta: MetaFunction = () => [{ title: 'Overview · Automation Studio · Pulse-8' }]

const WHERE: Record<Namespace, string> = {
  objects: '/studio/forms?tab=fields',
  forms: '/studio/forms',
  views: '/studio/views',
  triggers: '/studio/automations?ns=triggers',
  conditions: '/studio/automations?ns=conditions',
  actions: '/studio/automations?ns=actions',
  automations: '/studio/automations',
  approvals: '/studio/approvals',
  sla: '/studio/sla',
}

export async function loader({ request, context }: LoaderFunctionArgs) {
  await requirePermission(context, request, 'studio:read', 'open the Automation Studio')
  const [list, history, validation] = await Promise.all([
    callForPage(request, context, (trpc) => trpc.config.list()),
    callForPage(request, context, (trpc) => trpc.config.history({ limit: 5 })),
    callForPage(request, context, (trpc) => trpc.config.validate()),
  ])
  const perNamespace = NAMESPACES.map((ns) => {
    const items = list.items.filter((i) => i.namespace === ns)
    return { namespace: ns, items: items.filter((i) => i.state !== 'new').length, drafts: items.filter((i) => i.state !== 'live').length }
  })
  return json(
    {
      version: list.version,
      pending: list.items.filter((i) => i.state !== 'live').length,
      perNamespace,
      errors: validation.errors.length,
      warnings: validation.warnings.length,
      recent: history.items.map((h) => ({
        version: h.version,
        kind: h.kind,
        message: h.message,
        authorLabel: h.authorLabel,
        createdAt: h.createdAt.toISOString(),
        changedItems: h.changedItems,
      })),
    },
    { headers: context.resHeaders },
  )
}

export default function StudioOverviewPage() {
  const data = useLoaderData<typeof loader>()
  const viewer = useRequiredViewer()
  const last = data.recent[0]
  return (
    <>
      <PageHeader
        title="Overview"
        description="Shape the CRM without code: fields, forms, views, automations, approvals and SLA policies. Edits are drafts until you publish them."
        actions={
          <Button asChild>
            <Link to="/studio/publish">{data.pending ? `Review ${data.pending} draft${data.pending === 1 ? '' : 's'}` : 'Publish center'}</Link>
          </Button>
        }
      />
      {can(viewer, 'studio:write') ? null : <ReadOnlyNote />}
      <div className="stat-row">
        <div className="stat" data-testid="live-version">
          <span className="stat__label">Live version</span>
          <span className="stat__value">v{data.version}</span>
          {last ? (
            <span className="stat__meta">
              Last publish by {last.authorLabel || 'someone'}, <DateTime value={last.createdAt} />
            </span>
          ) : null}
          {last ? <span className="stat__meta stat__quote">“{last.message}”</span> : null}
        </div>
        <div className="stat">
          <span className="stat__label">Drafts pending</span>
          <span className="stat__value" data-testid="overview-drafts">
            {data.pending}
          </span>
          <span className="stat__meta">{data.pending ? 'Not visible to anyone until published' : 'Everything is published'}</span>
        </div>
        <div className="stat">
          <span className="stat__label">Validation of the drafts</span>
          <span className={`stat__value ${data.errors ? 'stat__value--bad' : 'stat__value--good'}`}>
            {data.errors ? `${data.errors} error${data.errors === 1 ? '' : 's'}` : 'No errors'}
          </span>
          <span className="stat__meta">
            {data.warnings} warning{data.warnings === 1 ? '' : 's'} · <Link to="/studio/publish">details</Link>
          </span>
        </div>
      </div>

      <div className="overview-grid">
        <section className="card" aria-labelledby="ns-title">
          <div className="card__body">
            <h2 id="ns-title" className="card__title">
              Configuration
            </h2>
            <table className="table table--compact" aria-label="Items per namespace">
              <thead>
                <tr>
                  <th scope="col">Namespace</th>
                  <th scope="col" className="num">
                    Live items
                  </th>
                  <th scope="col" className="num">
                    Drafts
                  </th>
                  <th scope="col" className="actions">
                    <span className="visually-hidden">Open</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {data.perNamespace.map((n) => (
                  <tr key={n.namespace}>
                    <td>
                      <strong>{NAMESPACE_LABELS[n.namespace]}</strong>
                    </td>
                    <td className="num">{n.items}</td>
                    <td className="num">{n.drafts ? <span className="badge badge--state-modified">{n.drafts}</span> : <span className="muted">0</span>}</td>
                    <td className="actions">
                      <Link to={WHERE[n.namespace]} aria-label={`Open ${NAMESPACE_LABELS[n.namespace]}`}>
                        Open
                      </Link>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </section>
        <section className="card" aria-labelledby="recent-title">
          <div className="card__body">
            <h2 id="recent-title" className="card__title">
              Recent publishes
            </h2>
            <ol className="recent-list">
              {data.recent.map((r) => (
                <li key={r.version}>
                  <Link to={`/studio/history?snapshot=${r.version}`}>
                    <strong>v{r.version}</strong>
                  </Link>{' '}
                  <span className="wrap">{r.message}</span>
                  <span className="muted recent-list__meta">
                    {r.authorLabel || 'someone'} · <DateTime value={r.createdAt} /> · {r.changedItems} item{r.changedItems === 1 ? '' : 's'}
                  </span>
                </li>
              ))}
            </ol>
            <Link to="/studio/history">All versions</Link>
          </div>
        </section>
      </div>
    </>
  )
}

export function ErrorBoundary() {
  return <RouteErrorBoundary />
}
