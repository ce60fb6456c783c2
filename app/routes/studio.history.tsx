// History: every published version (author, time, message), one version's snapshot, a
// side-by-side diff of any two versions with the changed paths highlighted, and rollback (a new
// version with an old version's content; history stays linear).
import { json, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData, useNavigation, useSubmit } from '@remix-run/react'
import { addressOf, describeConfigDiff, NAMESPACES, type ConfigItem } from '../../server/config-language'
import { DateTime } from '~/components/date-time'
import { RouteErrorBoundary } from '~/components/error-page'
import { EmptyState, PageHeader } from '~/components/page'
import { ChangeSummary, ChangeTable, JsonLines, SideBySide } from '~/components/studio/json-diff'
import { ReadOnlyNote } from '~/components/studio/studio-chrome'
import { NAMESPACE_LABELS } from '~/components/studio/studio-links'
import { Alert } from '~/components/ui/alert'
import { Button } from '~/components/ui/button'
import { ConfirmDialog } from '~/components/ui/confirm-dialog'
import { NativeSelect } from '~/components/ui/input'
import { Label } from '~/components/ui/label'
import { asApiError, callForPage, throwAsPageResponse } from '~/utils/api-errors.server'
import { text } from '~/utils/form-data'
import { requirePermission } from '~/utils/session.server'
import { useRequiredViewer } from '~/utils/use-viewer'
import { can } from '~/utils/viewer'

export const meta: MetaFunction = () => [{ title: 'History · Automation Studio · Pulse-8' }]

const PAGE_SIZE = 20
const positive = (v: string | null) => (v && /^\d+$/.test(v) && Number(v) > 0 ? Number(v) : null)

export async function loader({ request, context }: LoaderFunctionArgs) {
  await requirePermission(context, request, 'studio:read', 'open the Automation Studio')
  const params = new URL(request.url).searchParams
  const cursor = positive(params.get('cursor'))
  const snapshotVersion = positive(params.get('snapshot'))
  const from = positive(params.get('from'))
  const to = positive(params.get('to'))
  const [page, head] = await Promise.all([
    callForPage(request, context, (trpc) => trpc.config.history({ limit: PAGE_SIZE, ...(cursor ? { cursor } : {}) })),
    callForPage(request, context, (trpc) => trpc.config.history({ limit: 1 })),
  ])
  const liveVersion = head.items[0]?.version ?? 0
  const snapshot = snapshotVersion ? await callForPage(request, context, (trpc) => trpc.config.snapshot({ version: snapshotVersion })) : null
  let compare = null
  if (from && to) {
    const [diff, a, b] = await Promise.all([
      callForPage(request, context, (trpc) => trpc.config.diff({ from, to })),
      callForPage(request, context, (trpc) => trpc.config.snapshot({ version: from })),
      callForPage(request, context, (trpc) => trpc.config.snapshot({ version: to })),
    ])
    const before = new Map(a.items.map((i) => [addressOf(i), i.content]))
    const after = new Map(b.items.map((i) => [addressOf(i), i.content]))
    const touched = new Set([...diff.added, ...diff.removed, ...diff.changed.map((c) => c.address)])
    compare = {
      from,
      to,
      diff,
      words: describeConfigDiff(diff, a.items, b.items),
      // Only the items that differ travel to the page.
      before: Object.fromEntries([...touched].filter((k) => before.has(k)).map((k) => [k, before.get(k)])),
      after: Object.fromEntries([...touched].filter((k) => after.has(k)).map((k) => [k, after.get(k)])),
    }
  }
  return json(
    {
      liveVersion,
      versions: page.items.map((v) => ({ ...v, createdAt: v.createdAt.toISOString() })),
      nextCursor: page.nextCursor,
      cursor,
      snapshot: snapshot ? { ...snapshot, createdAt: snapshot.createdAt.toISOString() } : null,
      compare,
      published: positive(params.get('published')),
    },
    { headers: context.resHeaders },
  )
}

export async function action({ request, context }: ActionFunctionArgs) {
  await requirePermission(context, request, 'studio:write', 'roll back the configuration')
  const form = await request.formData()
  const toVersion = Number(text(form, 'toVersion'))
  const expectedVersion = Number(text(form, 'expectedVersion'))
  try {
    const event = await context.trpc.config.rollback({ toVersion, expectedVersion })
    return redirect(`/studio/history?published=${event.version}`, { headers: context.resHeaders })
  } catch (err) {
    const api = asApiError(err)
    if (api && (api.code === 'CONFLICT' || api.code === 'NOT_FOUND' || api.code === 'BAD_REQUEST')) {
      return json({ message: api.message }, { status: api.code === 'CONFLICT' ? 409 : 400, headers: context.resHeaders })
    }
    throwAsPageResponse(err, request, context)
  }
}

const KIND_LABELS: Record<string, string> = { publish: 'Publish', rollback: 'Rollback', initial: 'Initial' }

export default function HistoryPage() {
  const data = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>()
  const viewer = useRequiredViewer()
  const canWrite = can(viewer, 'studio:write')
  const submit = useSubmit()
  const navigation = useNavigation()
  const publishedEntry = data.published ? data.versions.find((v) => v.version === data.published) : undefined
  const versionsForCompare = data.versions.map((v) => v.version)
  const defaultTo = data.compare?.to ?? data.liveVersion
  const defaultFrom = data.compare?.from ?? Math.max(1, defaultTo - 1)

  return (
    <>
      <PageHeader
        title="History"
        description="Every published version of the configuration. Compare any two, look inside one, or roll back to an earlier one."
      />
      {canWrite ? null : <ReadOnlyNote />}
      {data.published ? (
        <Alert tone="success">
          Version v{data.published} is live
          {publishedEntry?.kind === 'rollback' && publishedEntry.rollbackOf ? `, with the content of version v${publishedEntry.rollbackOf}` : ''}. Every open
          browser of this tenant has been told.
        </Alert>
      ) : null}
      {actionData ? <Alert tone="error">{actionData.message}</Alert> : null}

      <Form method="get" className="toolbar toolbar--wrap compare-form" aria-label="Compare versions">
        <div className="field">
          <Label htmlFor="compare-from">Compare</Label>
          <NativeSelect id="compare-from" name="from" defaultValue={defaultFrom} key={`f${defaultFrom}`}>
            {withFallback(versionsForCompare, defaultFrom).map((v) => (
              <option key={v} value={v}>
                v{v}
              </option>
            ))}
          </NativeSelect>
        </div>
        <div className="field">
          <Label htmlFor="compare-to">with</Label>
          <NativeSelect id="compare-to" name="to" defaultValue={defaultTo} key={`t${defaultTo}`}>
            {withFallback(versionsForCompare, defaultTo).map((v) => (
              <option key={v} value={v}>
                v{v}
              </option>
            ))}
          </NativeSelect>
        </div>
        <Button type="submit" variant="secondary">
          Compare
        </Button>
      </Form>

      {data.compare ? <ComparePanel compare={data.compare} /> : null}
      {data.snapshot ? <SnapshotPanel snapshot={data.snapshot} /> : null}

      <section className="section" aria-labelledby="versions-title">
        <h2 id="versions-title" className="section__title">
          Versions
        </h2>
        {data.versions.length === 0 ? (
          <EmptyState title="Nothing published yet" />
        ) : (
          <div className="table-wrap">
            <table className="table table--versions" aria-label="Versions">
              <thead>
                <tr>
                  <th scope="col">Version</th>
                  <th scope="col">Message</th>
                  <th scope="col">Author</th>
                  <th scope="col">When</th>
                  <th scope="col" className="num">
                    Items
                  </th>
                  <th scope="col" className="actions">
                    <span className="visually-hidden">Actions</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {data.versions.map((v) => (
                  <tr key={v.version} data-testid={`version-${v.version}`}>
                    <td>
                      <div className="cell-stack">
                        <strong>v{v.version}</strong>
                        <span>
                          <span className="badge">{KIND_LABELS[v.kind] ?? v.kind}</span>
                          {v.version === data.liveVersion ? <span className="badge badge--success">Live</span> : null}
                        </span>
                      </div>
                    </td>
                    <td className="wrap">{v.message}</td>
                    <td>{v.authorLabel || '—'}</td>
                    <td>
                      <DateTime value={v.createdAt} />
                    </td>
                    <td className="num">{v.changedItems}</td>
                    <td className="actions">
                      <Button asChild size="sm" variant="ghost">
                        <Link to={`?snapshot=${v.version}`} aria-label={`View snapshot v${v.version}`}>
                          View
                        </Link>
                      </Button>
                      {v.version > 1 ? (
                        <Button asChild size="sm" variant="ghost">
                          <Link to={`?from=${v.version - 1}&to=${v.version}`} aria-label={`Compare v${v.version} with v${v.version - 1}`}>
                            Diff
                          </Link>
                        </Button>
                      ) : null}
                      {canWrite && v.version !== data.liveVersion ? (
                        <ConfirmDialog
                          trigger={
                            <Button size="sm" variant="danger" disabled={navigation.state !== 'idle'} aria-label={`Roll back to v${v.version}`}>
                              Roll back
                            </Button>
                          }
                          title={`Roll back to version v${v.version}?`}
                          description={`This publishes the content of v${v.version} as a new version v${data.liveVersion + 1}, for everyone at once, and replaces all pending drafts. Nothing in the history is lost.`}
                          confirmLabel={`Roll back to v${v.version}`}
                          onConfirm={() => submit({ toVersion: String(v.version), expectedVersion: String(data.liveVersion) }, { method: 'post' })}
                        />
                      ) : null}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
        <div className="pager">
          {data.cursor ? (
            <Button asChild variant="ghost">
              <Link to="?">Newest versions</Link>
            </Button>
          ) : null}
          {data.nextCursor ? (
            <Button asChild variant="secondary">
              <Link to={`?cursor=${data.nextCursor}`}>Older versions</Link>
            </Button>
          ) : null}
        </div>
      </section>
    </>
  )
}

function withFallback(list: number[], v: number): number[] {
  return list.includes(v) ? list : [...list, v].sort((a, b) => b - a)
}

type Compare = NonNullable<ReturnType<typeof useLoaderData<typeof loader>>['compare']>

function ComparePanel({ compare }: { compare: Compare }) {
  const { diff, from, to } = compare
  const before = compare.before as Record<string, unknown>
  const after = compare.after as Record<string, unknown>
  const none = diff.added.length + diff.removed.length + diff.changed.length === 0
  return (
    <section className="section compare-panel" aria-labelledby="compare-title">
      <div className="section__head">
        <h2 id="compare-title" className="section__title">
          v{from} → v{to}
        </h2>
        <Link to="?">Close</Link>
      </div>
      {none ? (
        <Alert tone="info">
          v{from} and v{to} have the same content.
        </Alert>
      ) : (
        <p className="muted">
          {diff.changed.length} changed, {diff.added.length} added, {diff.removed.length} removed.
        </p>
      )}
      {diff.changed.map((c) => (
        <article key={c.address} className="diff-item" data-testid={`diff-${c.address}`}>
          <h3 className="diff-item__title">
            <code>{c.address}</code> <span className="badge badge--change-changed">changed</span>
          </h3>
          <ChangeSummary sentences={compare.words[c.address] ?? []}>
            <ChangeTable address={c.address} changes={c.changes} linkToBuilder={false} />
            <SideBySide before={before[c.address]} after={after[c.address]} changes={c.changes} beforeLabel={`v${from}`} afterLabel={`v${to}`} />
          </ChangeSummary>
        </article>
      ))}
      {diff.added.map((a) => (
        <article key={a} className="diff-item">
          <h3 className="diff-item__title">
            <code>{a}</code> <span className="badge badge--change-added">added</span>
          </h3>
          <ChangeSummary sentences={compare.words[a] ?? []}>
            <SideBySide
              before={undefined}
              after={after[a]}
              changes={[{ path: [], kind: 'added', after: after[a] }]}
              beforeLabel={`v${from}`}
              afterLabel={`v${to}`}
            />
          </ChangeSummary>
        </article>
      ))}
      {diff.removed.map((r) => (
        <article key={r} className="diff-item">
          <h3 className="diff-item__title">
            <code>{r}</code> <span className="badge badge--change-removed">removed</span>
          </h3>
          <ChangeSummary sentences={compare.words[r] ?? []}>
            <SideBySide
              before={before[r]}
              after={undefined}
              changes={[{ path: [], kind: 'removed', before: before[r] }]}
              beforeLabel={`v${from}`}
              afterLabel={`v${to}`}
            />
          </ChangeSummary>
        </article>
      ))}
    </section>
  )
}

type Snapshot = NonNullable<ReturnType<typeof useLoaderData<typeof loader>>['snapshot']>

function SnapshotPanel({ snapshot }: { snapshot: Snapshot }) {
  const items = snapshot.items as ConfigItem[]
  return (
    <section className="section snapshot-panel" aria-labelledby="snapshot-title">
      <div className="section__head">
        <h2 id="snapshot-title" className="section__title">
          Snapshot v{snapshot.version}
        </h2>
        <Link to="?">Close</Link>
      </div>
      <p className="muted">
        “{snapshot.message}” by {snapshot.authorLabel || 'someone'}, <DateTime value={snapshot.createdAt} /> · {items.length} items · checksum{' '}
        <code>{snapshot.checksum.slice(0, 12)}</code>
      </p>
      {NAMESPACES.map((ns) => {
        const inNs = items.filter((i) => i.namespace === ns)
        if (inNs.length === 0) return null
        return (
          <div key={ns} className="snapshot-group">
            <h3 className="snapshot-group__title">
              {NAMESPACE_LABELS[ns]} <span className="muted">({inNs.length})</span>
            </h3>
            {inNs.map((i) => (
              <details key={addressOf(i)} className="snapshot-item">
                <summary>
                  <code>{addressOf(i)}</code>
                </summary>
                <JsonLines value={i.content} marks={new Map()} label={addressOf(i)} />
              </details>
            ))}
          </div>
        )
      })}
    </section>
  )
}

export function ErrorBoundary() {
  return <RouteErrorBoundary />
}
