// Publish center: the pending drafts against the live version (item by item, path by path),
// validation of the whole draft set with every issue linked to where it can be fixed, the impact
// on existing records, and Publish with a message. A publish that lost a race (CONFLICT) shows
// what the other publish changed and asks for a fresh look before trying again.
import { json, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData, useNavigation } from '@remix-run/react'
import { useEffect, useId, useRef, useState } from 'react'
import { describeConfigDiff, type ConfigDiff, type ConfigIssue } from '../../server/config-language'
import { DateTime } from '~/components/date-time'
import { DiscardDraftButton } from '~/components/studio/discard-draft-button'
import { RouteErrorBoundary } from '~/components/error-page'
import { EmptyState, PageHeader } from '~/components/page'
import { StateBadge } from '~/components/studio/draft-status'
import { IssueList } from '~/components/studio/issue-list'
import { ChangeSummary, ChangeTable } from '~/components/studio/json-diff'
import { ReadOnlyNote } from '~/components/studio/studio-chrome'
import { builderHref } from '~/components/studio/studio-links'
import { Alert } from '~/components/ui/alert'
import { Button } from '~/components/ui/button'
import { ConfirmDialog } from '~/components/ui/confirm-dialog'
import { Dialog, DialogContent, DialogTrigger } from '~/components/ui/dialog'
import { Label } from '~/components/ui/label'
import { asApiError, callForPage, throwAsPageResponse } from '~/utils/api-errors.server'
import { text } from '~/utils/form-data'
import { requirePermission } from '~/utils/session.server'
import { useRequiredViewer } from '~/utils/use-viewer'
import { can } from '~/utils/viewer'

export const meta: MetaFunction = () => [{ title: 'Publish · Automation Studio · Pulse-8' }]

export async function loader({ request, context }: LoaderFunctionArgs) {
  await requirePermission(context, request, 'studio:read', 'open the Automation Studio')
  const workspace = await callForPage(request, context, (trpc) => trpc.config.workspace({ impact: true }))
  const pending = workspace.items
    .filter((i) => i.state !== 'live')
    .map((i) => ({
      address: i.address,
      namespace: i.namespace,
      entity: i.entity,
      key: i.key,
      state: i.state,
      draftRevision: i.draftRevision,
      updatedAt: new Date(i.updatedAt).toISOString(),
    }))
  const last = workspace.last
  return json(
    {
      version: workspace.version,
      pending,
      diff: workspace.diff,
      words: describeConfigDiff(workspace.diff, workspace.live, workspace.drafts),
      validation: workspace.validation,
      impact: workspace.impact ?? [],
      validatedAt: new Date().toISOString(),
      last: last ? { version: last.version, authorLabel: last.authorLabel, message: last.message, createdAt: last.createdAt.toISOString() } : null,
    },
    { headers: context.resHeaders },
  )
}

type ConflictInfo = {
  base: number
  live: number
  publishes: Array<{ version: number; authorLabel: string; message: string; createdAt: string }>
  diff: ConfigDiff | null
}
type ActionData =
  | { ok: true; intent: 'discard' | 'discardAll'; message: string }
  | { ok: false; intent: string; message: string; errors?: ConfigIssue[]; conflict?: ConflictInfo }

export async function action({ request, context }: ActionFunctionArgs) {
  await requirePermission(context, request, 'studio:write', 'publish the configuration')
  const form = await request.formData()
  const intent = text(form, 'intent')
  const reply = (data: ActionData, status = 200) => json<ActionData>(data, { status, headers: context.resHeaders })
  try {
    if (intent === 'publish') {
      const expectedVersion = Number(text(form, 'expectedVersion'))
      const message = text(form, 'message')
      if (!message) return reply({ ok: false, intent, message: 'Describe what this publish changes: the message goes into the history.' }, 400)
      const published = await context.trpc.config.publish({ expectedVersion, message })
      return redirect(`/studio/history?published=${published.version}`, { headers: context.resHeaders })
    }
    // Discards name the revisions the admin was shown (`address` and `revision` fields, in pairs):
    // all of them go in one transaction, and a draft someone saved since is a CONFLICT.
    if (intent === 'discard' || intent === 'discardAll') {
      const addresses = form.getAll('address').map(String)
      const revisions = form.getAll('revision').map(String)
      if (addresses.length === 0 || addresses.length !== revisions.length) return reply({ ok: false, intent, message: 'Unknown item' }, 400)
      await context.trpc.config.discardDrafts({ items: addresses.map((address, i) => ({ address, expectedRevision: Number(revisions[i]) })) })
      const what = intent === 'discard' ? `the draft of ${addresses[0]}` : `${addresses.length} draft${addresses.length === 1 ? '' : 's'}`
      return reply({ ok: true, intent, message: `Discarded ${what}.` })
    }
    return reply({ ok: false, intent, message: 'Unknown action' }, 400)
  } catch (err) {
    const api = asApiError(err)
    if (!api) throw err
    // Someone published since this page was loaded: the server says CONFLICT (stale version) or,
    // when their publish took every draft along, "nothing to publish". Either way the useful answer
    // is what they published.
    const base = Number(text(form, 'expectedVersion'))
    const history = intent === 'publish' && (api.code === 'CONFLICT' || api.code === 'BAD_REQUEST') ? await context.trpc.config.history({ limit: 50 }) : null
    const live = history?.items[0]?.version ?? base
    if (history && live > base) {
      const newer = history.items.filter((h) => h.version > base)
      const diff = base > 0 ? await context.trpc.config.diff({ from: base, to: live }) : null
      return reply(
        {
          ok: false,
          intent,
          message: api.code === 'CONFLICT' ? api.message : `The live configuration moved on to v${live} while you were reviewing. ${api.message}.`,
          conflict: {
            base,
            live,
            publishes: newer.map((h) => ({ version: h.version, authorLabel: h.authorLabel, message: h.message, createdAt: h.createdAt.toISOString() })),
            diff,
          },
        },
        409,
      )
    }
    if (api.code === 'BAD_REQUEST' || api.code === 'CONFLICT' || api.code === 'NOT_FOUND') {
      const errors = (api.cause as { errors?: ConfigIssue[] } | undefined)?.errors
      return reply(
        { ok: false, intent, message: api.message, errors: Array.isArray(errors) ? errors : undefined },
        api.code === 'BAD_REQUEST' ? 400 : api.code === 'CONFLICT' ? 409 : 404,
      )
    }
    throwAsPageResponse(err, request, context)
  }
}

export default function PublishCenterPage() {
  const data = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>()
  const viewer = useRequiredViewer()
  const canWrite = can(viewer, 'studio:write')
  const navigation = useNavigation()
  const validating = navigation.state === 'loading' && navigation.location?.pathname === '/studio/publish' && navigation.formMethod === undefined
  const { errors, warnings } = data.validation
  const changedCount = data.diff.added.length + data.diff.removed.length + data.diff.changed.length
  const nothing = data.pending.length === 0
  const conflict = actionData && !actionData.ok ? actionData.conflict : undefined
  const publishErrors = actionData && !actionData.ok && actionData.intent === 'publish' && !conflict ? actionData : undefined

  return (
    <>
      <PageHeader
        title="Publish"
        description="Check your drafts and publish them to everyone at once. Publishing makes a new version; history keeps every earlier one."
        actions={
          <>
            <Form method="get" replace preventScrollReset>
              <Button type="submit" variant="secondary" disabled={validating}>
                {validating ? 'Validating…' : 'Validate'}
              </Button>
            </Form>
            {canWrite ? (
              <PublishDialog
                version={data.version}
                disabled={nothing || errors.length > 0 || !!conflict}
                disabledReason={
                  nothing ? 'There are no drafts to publish.' : errors.length ? 'Fix the validation errors first.' : conflict ? 'Re-validate first.' : undefined
                }
                impact={data.impact}
                changedCount={changedCount}
                answer={actionData && !actionData.ok && actionData.intent === 'publish' ? actionData : null}
              />
            ) : null}
          </>
        }
      />
      {canWrite ? null : <ReadOnlyNote />}
      {actionData?.ok ? <Alert tone="success">{actionData.message}</Alert> : null}
      {conflict ? <ConflictPanel conflict={conflict} message={actionData && !actionData.ok ? actionData.message : ''} /> : null}
      {publishErrors ? (
        <Alert tone="error">
          <p>{publishErrors.message}</p>
          {publishErrors.errors?.length ? <IssueList errors={publishErrors.errors} warnings={[]} /> : null}
        </Alert>
      ) : null}
      {actionData && !actionData.ok && actionData.intent !== 'publish' ? <Alert tone="error">{actionData.message}</Alert> : null}

      <div className="stat-row">
        <div className="stat">
          <span className="stat__label">Live version</span>
          <span className="stat__value" data-testid="live-version">
            v{data.version}
          </span>
          {data.last ? (
            <span className="stat__meta">
              by {data.last.authorLabel || 'someone'}, <DateTime value={data.last.createdAt} />
            </span>
          ) : null}
        </div>
        <div className="stat">
          <span className="stat__label">Drafts pending</span>
          <span className="stat__value" data-testid="drafts-pending">
            {data.pending.length}
          </span>
          <span className="stat__meta">{changedCount} item(s) differ from live</span>
        </div>
        <div className="stat">
          <span className="stat__label">Validation</span>
          <span className={`stat__value ${errors.length ? 'stat__value--bad' : 'stat__value--good'}`} data-testid="validation-summary">
            {errors.length ? `${errors.length} error${errors.length === 1 ? '' : 's'}` : 'No errors'}
          </span>
          <span className="stat__meta">
            {warnings.length} warning{warnings.length === 1 ? '' : 's'} · checked <DateTime value={data.validatedAt} />
          </span>
        </div>
      </div>

      <section className="section" aria-labelledby="validation-title">
        <h2 id="validation-title" className="section__title">
          Validation
        </h2>
        {errors.length === 0 && warnings.length === 0 ? (
          <Alert tone="success">The drafts validate without errors or warnings.</Alert>
        ) : (
          <>
            {errors.length ? (
              <Alert tone="error">
                {errors.length === 1 ? '1 error blocks' : `${errors.length} errors block`} publishing. Each one links to the place to fix it.
              </Alert>
            ) : null}
            <IssueList errors={errors} warnings={warnings} />
          </>
        )}
      </section>

      <section className="section" aria-labelledby="changes-title">
        <div className="section__head">
          <h2 id="changes-title" className="section__title">
            Pending changes
          </h2>
          {canWrite && !nothing ? (
            <Form method="post" id="discard-all-form">
              <input type="hidden" name="intent" value="discardAll" />
              {data.pending.map((p) => (
                <DraftRef key={p.address} address={p.address} revision={p.draftRevision} />
              ))}
              <ConfirmDialog
                trigger={<Button variant="ghost">Discard all drafts</Button>}
                title="Discard every draft?"
                description="All pending changes go back to the live version. This cannot be undone."
                confirmLabel="Discard all"
                onConfirm={() => (document.getElementById('discard-all-form') as HTMLFormElement | null)?.requestSubmit()}
              />
            </Form>
          ) : null}
        </div>
        {nothing ? (
          <EmptyState title="No pending drafts">
            <p>Everything in the Studio matches live version v{data.version}. Changes you make in the builders appear here.</p>
          </EmptyState>
        ) : (
          <PendingChanges pending={data.pending} diff={data.diff} words={data.words} canWrite={canWrite} />
        )}
      </section>

      <section className="section" aria-labelledby="impact-title">
        <h2 id="impact-title" className="section__title">
          Impact on existing records
        </h2>
        <ImpactList impact={data.impact} />
      </section>
    </>
  )
}

type Impact = { address: string; entity: string; field: string; kind: string; records: number; message: string }

function ImpactList({ impact }: { impact: Impact[] }) {
  if (impact.length === 0) return <p className="muted">No pending change touches existing records.</p>
  return (
    <ul className="impact-list">
      {impact.map((i, n) => (
        <li key={n} className={i.records > 0 ? 'impact impact--touching' : 'impact'}>
          <Link to={builderHref(i.address)}>
            <code>{i.address}</code>
          </Link>{' '}
          {i.message}
        </li>
      ))}
    </ul>
  )
}

function PendingChanges({
  pending,
  diff,
  words,
  canWrite,
}: {
  pending: Array<{ address: string; state: 'live' | 'modified' | 'new' | 'deleted'; draftRevision: number; updatedAt: string }>
  diff: ConfigDiff
  words: Record<string, string[]>
  canWrite: boolean
}) {
  const changes = new Map(diff.changed.map((c) => [c.address, c.changes]))
  return (
    <ul className="pending-list">
      {pending.map((p) => {
        const itemChanges = changes.get(p.address)
        return (
          <li key={p.address} className="pending-item" data-testid={`pending-${p.address}`}>
            <div className="pending-item__head">
              <Link to={builderHref(p.address)} className="pending-item__address">
                <code>{p.address}</code>
              </Link>
              <StateBadge state={p.state} />
              <span className="muted">
                edited <DateTime value={p.updatedAt} />
              </span>
              <span className="item-bar__spacer" />
              {canWrite ? <DiscardForm address={p.address} revision={p.draftRevision} /> : null}
            </div>
            {diff.added.includes(p.address) ? (
              <p className="muted">A new item: {words[p.address]?.[0] ?? p.address}.</p>
            ) : diff.removed.includes(p.address) ? (
              <p className="muted">Removed when published: {words[p.address]?.[0] ?? p.address}.</p>
            ) : itemChanges ? (
              <ChangeSummary sentences={words[p.address] ?? []}>
                <ChangeTable address={p.address} changes={itemChanges} />
              </ChangeSummary>
            ) : (
              <p className="muted">Saved as a draft, but identical to the live version.</p>
            )}
          </li>
        )
      })}
    </ul>
  )
}

/** Discards one item's draft, after asking. */
function DiscardForm({ address, revision }: { address: string; revision: number }) {
  const form = useRef<HTMLFormElement>(null)
  return (
    <Form method="post" ref={form}>
      <input type="hidden" name="intent" value="discard" />
      <DraftRef address={address} revision={revision} />
      <DiscardDraftButton size="sm" label="Discard" what={address} onDiscard={() => form.current?.requestSubmit()} />
    </Form>
  )
}

/** The draft a discard form names: its address and the revision the admin was shown. */
function DraftRef({ address, revision }: { address: string; revision: number }) {
  return (
    <>
      <input type="hidden" name="address" value={address} />
      <input type="hidden" name="revision" value={revision} />
    </>
  )
}

function ConflictPanel({ conflict, message }: { conflict: ConflictInfo; message: string }) {
  return (
    <Alert tone="error" className="conflict-panel">
      <p className="alert__title">Someone published while you were reviewing</p>
      <p>{message}</p>
      <p>
        You reviewed your drafts against version v{conflict.base}; the live version is now v{conflict.live}.
      </p>
      {conflict.publishes.length ? (
        <ul>
          {conflict.publishes.map((p) => (
            <li key={p.version}>
              v{p.version} by {p.authorLabel || 'someone'}: “{p.message}” (<DateTime value={p.createdAt} />)
            </li>
          ))}
        </ul>
      ) : null}
      {conflict.diff ? (
        <details open className="conflict-panel__diff">
          <summary>
            What changed between v{conflict.base} and v{conflict.live}
          </summary>
          {conflict.diff.added.length ? <p>Added: {conflict.diff.added.join(', ')}</p> : null}
          {conflict.diff.removed.length ? <p>Removed: {conflict.diff.removed.join(', ')}</p> : null}
          {conflict.diff.changed.map((c) => (
            <div key={c.address} className="conflict-panel__item">
              <p>
                <code>{c.address}</code>
              </p>
              <ChangeTable address={c.address} changes={c.changes} linkToBuilder={false} />
            </div>
          ))}
        </details>
      ) : null}
      <Form method="get" replace>
        <Button type="submit">Re-validate against v{conflict.live}</Button>
      </Form>
    </Alert>
  )
}

function PublishDialog({
  version,
  disabled,
  disabledReason,
  impact,
  changedCount,
  answer,
}: {
  version: number
  disabled: boolean
  disabledReason?: string
  impact: Impact[]
  changedCount: number
  /** The action's answer to a publish that did not go through. */
  answer: object | null
}) {
  const id = useId()
  const [open, setOpen] = useState(false)
  const [message, setMessage] = useState('')
  const hasMessage = message.trim().length > 0
  const navigation = useNavigation()
  const publishing = navigation.state === 'submitting' && navigation.formData?.get('intent') === 'publish'
  // An answer from the action (an error or a conflict) closes the dialog so the page can explain.
  useEffect(() => {
    if (answer) setOpen(false)
  }, [answer])
  const touching = impact.filter((i) => i.records > 0)
  return (
    <Dialog open={open} onOpenChange={setOpen}>
      <span className="publish-trigger" title={disabled ? disabledReason : undefined}>
        <DialogTrigger asChild>
          <Button disabled={disabled} aria-describedby={disabled && disabledReason ? `${id}-why` : undefined}>
            Publish…
          </Button>
        </DialogTrigger>
        {disabled && disabledReason ? (
          <span id={`${id}-why`} className="visually-hidden">
            {disabledReason}
          </span>
        ) : null}
      </span>
      <DialogContent
        title={`Publish version ${version + 1}`}
        description={`${changedCount} item(s) change. Everyone sees the new version at once.`}
        className="dialog--wide"
      >
        <h3 className="dialog__subtitle">Impact on existing records</h3>
        {impact.length === 0 ? (
          <p className="muted">No pending change touches existing records.</p>
        ) : (
          <>
            {touching.length ? (
              <Alert tone="info">{touching.reduce((n, i) => n + i.records, 0)} existing record(s) are affected. Check the list before you publish.</Alert>
            ) : null}
            <ImpactList impact={impact} />
          </>
        )}
        <Form method="post" className="publish-form">
          <input type="hidden" name="intent" value="publish" />
          <input type="hidden" name="expectedVersion" value={version} />
          <div className="field">
            <Label htmlFor={`${id}-message`}>
              Message
              <span className="required-mark" aria-hidden>
                {' *'}
              </span>
            </Label>
            <textarea
              id={`${id}-message`}
              name="message"
              className="input textarea"
              rows={3}
              required
              aria-required
              aria-describedby={`${id}-message-hint`}
              maxLength={500}
              placeholder="What changes, and why"
              value={message}
              onChange={(e) => setMessage(e.target.value)}
            />
            <p id={`${id}-message-hint`} className="field__hint">
              Required: the message goes into the history, next to this version.
            </p>
          </div>
          <div className="dialog__actions">
            <Button variant="secondary" onClick={() => setOpen(false)}>
              Cancel
            </Button>
            {/* Disabled until there is a message; the button says why (title and its description). */}
            <Button
              type="submit"
              disabled={publishing || !hasMessage}
              title={hasMessage ? undefined : 'Write a message first'}
              aria-describedby={hasMessage ? undefined : `${id}-publish-why`}
            >
              {publishing ? 'Publishing…' : `Publish v${version + 1}`}
            </Button>
            {hasMessage ? null : (
              <span id={`${id}-publish-why`} className="visually-hidden">
                Write a message first: publishing needs one.
              </span>
            )}
          </div>
        </Form>
      </DialogContent>
    </Dialog>
  )
}

export function ErrorBoundary() {
  return <RouteErrorBoundary />
}
