// The record pages (list, create, detail, edit) written once for customers, deals and cases, and
// the customer 360 page. Route files stay thin: they name the entity and wire the loaders of
// app/utils/record-routes.server.ts. No page lists fields: forms and views come from the config.
import { Link, useActionData, useLoaderData, useLocation, useNavigation, useSearchParams, useSubmit } from '@remix-run/react'
import { useMemo, useState, type ReactNode } from 'react'
import { DiscardChangesDialog, useUnsavedChanges } from '~/components/unsaved-changes'
import { viewsVisibleTo, type Entity, type ViewContent } from '../../../server/config-language'
import { useConfigIndex } from '~/config/live-config'
import { EmptyState, PageHeader } from '~/components/page'
import { DateTime } from '~/components/date-time'
import { Alert } from '~/components/ui/alert'
import { Button } from '~/components/ui/button'
import { ConfirmDialog } from '~/components/ui/confirm-dialog'
import type {
  customer360Loader,
  recordCreateLoader,
  recordEditLoader,
  recordListLoader,
  recordDetailLoader,
  RecordActionData,
} from '~/utils/record-routes.server'
import { ENTITY_META, recordHref, recordTitle, type ActivityEntry, type LookupLabels, type MemberOption, type RecordRow } from './entities'
import { FormRenderer, type ServerErrors } from './form-renderer'
import { ApprovalBanner } from './approval-banner'
import { SlaBadge } from './sla-badge'
import { TableViewRenderer } from './table-view-renderer'
import { EMPTY_TABLE_STATE, tableStateToParams, type TableViewState } from './table-state'

// ---------------------------------------------------------------------------------------------
// List

export function RecordListPage({ entity }: { entity: Entity }) {
  const data = useLoaderData<typeof recordListLoader>()
  const meta = ENTITY_META[entity]
  const index = useConfigIndex()
  const [, setParams] = useSearchParams()
  const navigation = useNavigation()
  const location = useLocation()
  const loading = navigation.state === 'loading' && navigation.location.pathname === location.pathname

  // The live config decides the view's columns and the switcher, so a publish shows at once.
  const views = useMemo(() => viewsVisibleTo(index, entity, data.role).map((v) => ({ key: v.key, label: v.content.label })), [index, entity, data.role])
  const view: ViewContent | undefined = data.viewKey ? index.content('views', entity, data.viewKey) : undefined
  const state = data.state as TableViewState
  const rows = data.page.rows
  const filtered = state.filter.length > 0 || state.search !== ''

  const go = (viewKey: string | null, next: TableViewState, replace = false) =>
    setParams(tableStateToParams(viewKey ?? undefined, next), { preventScrollReset: true, replace })

  const exportParams = tableStateToParams(data.viewKey ?? undefined, { ...state, cursors: [] })
  if (exportParams.has('q')) {
    exportParams.set('search', exportParams.get('q')!)
    exportParams.delete('q')
  }

  return (
    <>
      <PageHeader
        title={meta.plural}
        description={meta.description}
        actions={
          <>
            {entity === 'customer' && data.canWrite ? (
              <Button asChild variant="secondary">
                <Link to="/customers/import">Import CSV</Link>
              </Button>
            ) : null}
            {view ? (
              <Button asChild variant="secondary">
                <a href={`/api/crm/${meta.path}/export.csv?${exportParams}`} download>
                  Export CSV
                </a>
              </Button>
            ) : null}
            {data.canWrite ? (
              <Button asChild>
                <Link to={`/${meta.path}/new`}>New {meta.singular.toLowerCase()}</Link>
              </Button>
            ) : null}
          </>
        }
      />
      {!view ? (
        <EmptyState title={`No view of ${meta.plural.toLowerCase()}`}>
          <p>No table view of {meta.plural.toLowerCase()} is published for your role. An admin can add one in the Studio.</p>
        </EmptyState>
      ) : (
        <TableViewRenderer
          entity={entity}
          view={view}
          viewKey={data.viewKey ?? undefined}
          rows={rows}
          total={data.page.total}
          totalIsEstimate={data.page.totalIsEstimate}
          nextCursor={data.page.nextCursor}
          state={state}
          onStateChange={(next) => go(data.viewKey, next, next.search !== state.search)}
          views={views}
          onViewChange={(key) => go(key, { ...EMPTY_TABLE_STATE, search: state.search })}
          rowHref={(row) => recordHref(entity, row.id)}
          members={data.members}
          lookupLabels={data.lookupLabels}
          loading={loading}
          empty={
            filtered ? undefined : (
              <EmptyState title={view.filter ? `Nothing in “${view.label}” yet` : `No ${meta.plural.toLowerCase()} yet`}>
                <p>{meta.emptyText}</p>
              </EmptyState>
            )
          }
        />
      )}
    </>
  )
}

// ---------------------------------------------------------------------------------------------
// Create and edit

function useRecordSubmit() {
  const submit = useSubmit()
  const navigation = useNavigation()
  // Unsaved edits hold a navigation elsewhere (side nav, links, back) behind "Discard changes?".
  // Saving posts to this same page (never held) and its redirect is not held either; Cancel lets
  // its own navigation through.
  const [dirty, setDirty] = useState(false)
  const guard = useUnsavedChanges(() => dirty)
  return {
    submitting: navigation.state === 'submitting' || (navigation.state === 'loading' && navigation.formMethod === 'POST'),
    send: (body: Record<string, unknown>) => submit(JSON.parse(JSON.stringify(body)), { method: 'post', encType: 'application/json' }),
    onDirtyChange: setDirty,
    guardDialog: <DiscardChangesDialog blocker={guard.blocker} />,
    cancel: guard.allowNavigation,
  }
}

/** The values a patch replaces, as they were in `base` (null where absent), for the save's Undo. */
function previousValues(base: RecordRow, patch: RecordRow | Record<string, unknown>): Record<string, unknown> | undefined {
  const out: Record<string, unknown> = {}
  let changed = 0
  for (const [key, value] of Object.entries(patch)) {
    if (key === 'data' && value && typeof value === 'object') {
      const was = (base.data ?? {}) as Record<string, unknown>
      out.data = Object.fromEntries(Object.keys(value).map((k) => [k, was[k] ?? null]))
      changed += Object.keys(value).length
    } else {
      out[key] = base[key] ?? null
      changed++
    }
  }
  return changed > 0 ? out : undefined
}

export function RecordCreatePage({ entity }: { entity: Entity }) {
  const data = useLoaderData<typeof recordCreateLoader>()
  const failure = useActionData<RecordActionData>()
  const { submitting, send, onDirtyChange, guardDialog, cancel } = useRecordSubmit()
  const meta = ENTITY_META[entity]
  return (
    <>
      {guardDialog}
      <PageHeader
        title={`New ${meta.singular.toLowerCase()}`}
        description={`Fill in the ${meta.singular.toLowerCase()}'s details. Fields marked * are required.`}
      />
      <div className="card">
        <div className="card__body">
          <FormRenderer
            entity={entity}
            mode="create"
            role={data.role}
            defaultValues={data.defaults}
            members={data.members}
            lookupLabels={data.lookupLabels}
            onSubmit={(values) => send({ values })}
            onDirtyChange={onDirtyChange}
            serverErrors={failure as ServerErrors | undefined}
            submitting={submitting}
            submitLabel={`Create ${meta.singular.toLowerCase()}`}
            actions={
              <Button asChild variant="ghost">
                <Link to={`/${meta.path}`} onClick={cancel}>
                  Cancel
                </Link>
              </Button>
            }
          />
        </div>
      </div>
    </>
  )
}

export function RecordEditPage({ entity }: { entity: Entity }) {
  const data = useLoaderData<typeof recordEditLoader>()
  const failure = useActionData<RecordActionData>()
  const { submitting, send, onDirtyChange, guardDialog, cancel } = useRecordSubmit()
  const meta = ENTITY_META[entity]
  // The version the person started editing; it changes only when they choose to reload, so a
  // background revalidation never turns a conflict into a silent overwrite.
  const [base, setBase] = useState<RecordRow>(data.record)
  const conflict = failure && 'conflict' in failure && failure.conflict ? failure : null
  const title = recordTitle(entity, base)
  return (
    <>
      {guardDialog}
      <PageHeader title={`Edit ${title}`} description={`${meta.singular} · version ${base.version}`} />
      {conflict && conflict.current && conflict.current.version !== base.version ? (
        <Alert tone="error" className="alert--stack">
          <p className="alert__title">Someone changed this record meanwhile.</p>
          <p>Reload it to see their changes; your unsaved edits on this page will be replaced.</p>
          <Button variant="secondary" size="sm" onClick={() => setBase(conflict.current as RecordRow)}>
            Reload the record
          </Button>
        </Alert>
      ) : null}
      <div className="card">
        <div className="card__body">
          <FormRenderer
            // A reload (new base version) starts the form afresh from the current record.
            key={base.version}
            entity={entity}
            mode="edit"
            role={data.role}
            defaultValues={base}
            lockedFields={base.approval?.status === 'pending' ? base.approval.lockedFields : undefined}
            members={data.members}
            lookupLabels={data.lookupLabels}
            onSubmit={(values) => send({ values, expectedVersion: base.version, previous: previousValues(base, values) })}
            onDirtyChange={onDirtyChange}
            serverErrors={conflict ? null : (failure as ServerErrors | undefined)}
            submitting={submitting}
            actions={
              <Button asChild variant="ghost">
                <Link to={recordHref(entity, base.id)} onClick={cancel}>
                  Cancel
                </Link>
              </Button>
            }
          />
        </div>
      </div>
    </>
  )
}

// ---------------------------------------------------------------------------------------------
// Detail

function RecordActions({
  entity,
  record,
  canWrite,
  canDelete,
  extra,
}: {
  entity: Entity
  record: RecordRow
  canWrite: boolean
  canDelete: boolean
  extra?: ReactNode
}) {
  const submit = useSubmit()
  const meta = ENTITY_META[entity]
  return (
    <>
      {extra}
      {canWrite ? (
        <Button asChild variant="secondary">
          <Link to={`${recordHref(entity, record.id)}/edit`}>Edit</Link>
        </Button>
      ) : null}
      {canDelete ? (
        <ConfirmDialog
          trigger={<Button variant="danger">Delete</Button>}
          title={`Delete this ${meta.singular.toLowerCase()}?`}
          description={`“${recordTitle(entity, record)}” will be deleted. This cannot be undone.`}
          confirmLabel="Delete"
          onConfirm={() => submit({ intent: 'delete', version: String(record.version), title: recordTitle(entity, record) }, { method: 'post' })}
        />
      ) : null}
    </>
  )
}

export function RecordDetailPage({ entity }: { entity: Entity }) {
  const data = useLoaderData<typeof recordDetailLoader>()
  const failure = useActionData<RecordActionData>()
  const record = data.record
  const meta = ENTITY_META[entity]
  const activity = data.activity
  return (
    <>
      <Breadcrumb entity={entity} current={recordTitle(entity, record)} />
      <PageHeader
        title={recordTitle(entity, record)}
        description={<RecordMeta entity={entity} record={record} lookupLabels={data.lookupLabels} />}
        actions={<RecordActions entity={entity} record={record} canWrite={data.canWrite} canDelete={data.canDelete} />}
      />
      {failure?.intent === 'delete' || failure?.intent === 'approval' ? <Alert tone="error">{failure.message}</Alert> : null}
      {data.approvals.length ? <ApprovalBanner request={data.approvals[data.approvals.length - 1]!} /> : null}
      {data.linkedThreads.length > 0 ? (
        <p className="record-threads" data-testid="linked-threads">
          Conversation:{' '}
          {data.linkedThreads.map((t) => (
            <span key={t.id}>
              <Link to={`/inbox?thread=${t.id}`}>{t.subject || '(no subject)'}</Link> <span className="badge">{t.channel}</span>{' '}
            </span>
          ))}
        </p>
      ) : null}
      <div className="record-layout">
        <div className="card">
          <div className="card__body">
            <FormRenderer entity={entity} readOnly role={data.role} defaultValues={record} members={data.members} lookupLabels={data.lookupLabels} />
          </div>
        </div>
        <aside className="card" aria-labelledby="activity-title">
          <div className="card__body">
            <h2 className="card__title" id="activity-title">
              Activity
            </h2>
            <ActivityTimeline entries={activity ?? []} emptyText={`Changes to this ${meta.singular.toLowerCase()} will appear here.`} />
          </div>
        </aside>
      </div>
    </>
  )
}

function Breadcrumb({ entity, current }: { entity: Entity; current: string }) {
  const meta = ENTITY_META[entity]
  return (
    <nav aria-label="Breadcrumb" className="breadcrumb">
      <Link to={`/${meta.path}`}>{meta.plural}</Link>
      <span aria-hidden> / </span>
      <span aria-current="page">{current}</span>
    </nav>
  )
}

function RecordMeta({ entity, record, lookupLabels }: { entity: Entity; record: RecordRow; lookupLabels: LookupLabels }) {
  const customerId = typeof record.customerId === 'string' ? record.customerId : null
  return (
    <span className="record-meta">
      {entity !== 'customer' && customerId ? (
        <>
          <Link to={recordHref('customer', customerId)}>{lookupLabels[customerId] ?? 'Customer'}</Link>
          {' · '}
        </>
      ) : null}
      Created <DateTime value={record.createdAt} /> · updated <DateTime value={record.updatedAt} />
      {entity === 'case' && record.sla ? (
        <>
          {' · SLA '}
          <SlaBadge sla={record.sla} />
        </>
      ) : null}
    </span>
  )
}

// ---------------------------------------------------------------------------------------------
// Activity

export type { ActivityEntry }

/** A record's timeline, newest first. With `currentId`, entries of other records (a customer's deals and cases) link to them. */
export function ActivityTimeline({ entries, emptyText, currentId }: { entries: readonly ActivityEntry[]; emptyText: string; currentId?: string }) {
  if (entries.length === 0) return <p className="muted">{emptyText}</p>
  return (
    <ol className="timeline">
      {entries.map((a) => (
        <li key={a.id} className={`timeline__item timeline__item--${a.kind}`}>
          <span className="timeline__dot" aria-hidden />
          <div className="timeline__body">
            <p className="timeline__summary">
              {currentId && a.entity && a.recordId && a.recordId !== currentId && a.entity in ENTITY_META && a.kind !== 'deleted' ? (
                <Link to={recordHref(a.entity as Entity, a.recordId)}>{a.summary}</Link>
              ) : (
                a.summary
              )}
            </p>
            <p className="timeline__meta">
              {a.actor ? `${a.actor} · ` : ''}
              <DateTime value={a.createdAt} />
            </p>
          </div>
        </li>
      ))}
    </ol>
  )
}

// ---------------------------------------------------------------------------------------------
// Customer 360

export function Customer360Page() {
  const data = useLoaderData<typeof customer360Loader>()
  const failure = useActionData<RecordActionData>()
  const customer = data.customer
  const deals = data.deals
  const cases = data.cases
  const activity = data.activity
  const members = data.members as MemberOption[]
  const lookupLabels: LookupLabels = { ...(data.lookupLabels as LookupLabels), [customer.id]: recordTitle('customer', customer) }
  const newHref = (path: string) => `/${path}/new?customerId=${encodeURIComponent(customer.id)}`
  return (
    <>
      <Breadcrumb entity="customer" current={recordTitle('customer', customer)} />
      <PageHeader
        title={recordTitle('customer', customer)}
        description={<RecordMeta entity="customer" record={customer} lookupLabels={lookupLabels} />}
        actions={<RecordActions entity="customer" record={customer} canWrite={data.canWrite} canDelete={data.canDelete} />}
      />
      {failure?.intent === 'delete' ? <Alert tone="error">{failure.message}</Alert> : null}
      <div className="c360">
        <section className="card c360__profile" aria-label="Profile">
          <div className="card__body">
            <FormRenderer entity="customer" readOnly role={data.role} defaultValues={customer} members={members} lookupLabels={lookupLabels} />
          </div>
        </section>

        <div className="c360__main">
          <RelatedRecords
            entity="deal"
            rows={deals}
            members={members}
            lookupLabels={lookupLabels}
            action={data.canWrite ? <Link to={newHref('deals')}>New deal</Link> : null}
          />
          <RelatedRecords
            entity="case"
            rows={cases}
            members={members}
            lookupLabels={lookupLabels}
            action={data.canWrite ? <Link to={newHref('cases')}>New case</Link> : null}
          />
          <section className="card" aria-labelledby="c360-messages">
            <div className="card__body">
              <h2 className="card__title" id="c360-messages">
                Messages
              </h2>
              {data.messages.length === 0 ? (
                <p className="muted">Emails, chats and texts from this customer will appear here once the inbox receives them, threaded by conversation.</p>
              ) : (
                <ul className="c360-threads" data-testid="c360-threads">
                  {data.messages.map((t) => (
                    <li key={t.id} data-testid="c360-thread">
                      <Link to={`/inbox?thread=${t.id}`}>
                        <strong>{t.subject || '(no subject)'}</strong>
                      </Link>{' '}
                      <span className="badge">{t.channel}</span> <span className="badge">{t.status}</span>
                      {t.caseId ? (
                        <>
                          {' '}
                          <Link to={`/cases/${t.caseId}`} data-testid="c360-thread-case">
                            Case
                          </Link>
                        </>
                      ) : null}
                      <ul className="c360-thread__messages">
                        {t.latest.map((m) => (
                          <li key={m.id} className="muted">
                            {m.direction === 'outbound' ? '↩ ' : ''}
                            <strong>{m.fromLabel}</strong>: {m.text}
                          </li>
                        ))}
                      </ul>
                    </li>
                  ))}
                </ul>
              )}
            </div>
          </section>
          <section className="card" aria-labelledby="c360-activity">
            <div className="card__body">
              <h2 className="card__title" id="c360-activity">
                Activity
              </h2>
              <ActivityTimeline entries={activity} currentId={customer.id} emptyText="Changes to this customer, its deals and its cases will appear here." />
            </div>
          </section>
        </div>
      </div>
    </>
  )
}

/** A customer's deals or cases, in the columns of the entity's first view (no field list here). */
function RelatedRecords({
  entity,
  rows,
  members,
  lookupLabels,
  action,
}: {
  entity: Entity
  rows: RecordRow[]
  members: MemberOption[]
  lookupLabels: LookupLabels
  action: ReactNode
}) {
  const index = useConfigIndex()
  const meta = ENTITY_META[entity]
  const base = index.content('views', entity, 'all') ?? index.list('views', entity)[0]?.content
  // The customer column says the obvious on the customer's own page.
  const view = base && { ...base, columns: base.columns.filter((c) => c.field !== 'customerId') }
  const titleId = `c360-${meta.path}`
  return (
    <section className="card" aria-labelledby={titleId}>
      <div className="card__body">
        <div className="card__header">
          <h2 className="card__title" id={titleId}>
            {meta.plural} <span className="badge">{rows.length}</span>
          </h2>
          {action}
        </div>
        {rows.length === 0 || !view ? (
          <p className="muted">No {meta.plural.toLowerCase()} for this customer yet.</p>
        ) : (
          <TableViewRenderer
            entity={entity}
            view={view}
            rows={rows}
            total={rows.length}
            nextCursor={null}
            state={EMPTY_TABLE_STATE}
            onStateChange={() => undefined}
            rowHref={(row) => recordHref(entity, row.id)}
            members={members}
            lookupLabels={lookupLabels}
            compact
          />
        )}
      </div>
    </section>
  )
}

// ---------------------------------------------------------------------------------------------
// Document titles

export function listTitle(entity: Entity) {
  return [{ title: `${ENTITY_META[entity].plural} · Pulse-8` }]
}

export function recordPageTitle(entity: Entity, data: unknown, prefix = '') {
  const d = data as { record?: RecordRow; customer?: RecordRow } | undefined
  const record = d?.record ?? d?.customer
  const name = record ? recordTitle(entity, record) : ENTITY_META[entity].singular
  return [{ title: `${prefix}${name} · ${ENTITY_META[entity].plural} · Pulse-8` }]
}
