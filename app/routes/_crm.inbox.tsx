// The inbox: threads (unread first; filter by status, channel, assignee; search) beside the open
// conversation (messages in order, inbound and outbound styled apart, the customer card), with
// reply, internal note, assign, status, open a case or link one. Live: new messages and thread
// changes revalidate the page (useInboxEvents). HTML bodies were sanitised on ingest and are still
// shown only in a sandboxed iframe that runs no script (decision 021).
import { json, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData, useNavigation, useRevalidator, useSearchParams } from '@remix-run/react'
import { PageHeader, EmptyState } from '~/components/page'
import { RouteErrorBoundary } from '~/components/error-page'
import { Button } from '~/components/ui/button'
import { DateTime } from '~/components/date-time'
import { useInboxEvents } from '~/components/inbox/inbox-live'
import { requireUser } from '~/utils/session.server'
import { callForForm, callForPage, type FormFailure } from '~/utils/api-errors.server'
import { can, toViewer } from '~/utils/viewer'
import { cn } from '~/utils/cn'

export const meta: MetaFunction = () => [{ title: 'Inbox · Pulse-8' }]

const STATUSES = ['open', 'pending', 'closed'] as const
const CHANNELS = ['email', 'chat', 'sms', 'webform', 'api'] as const
const pick = <T extends string>(value: string | null, allowed: readonly T[]) =>
  value && (allowed as readonly string[]).includes(value) ? (value as T) : undefined

export async function loader({ request, context }: LoaderFunctionArgs) {
  const me = await requireUser(context, request)
  const url = new URL(request.url)
  const threadId = url.searchParams.get('thread') || undefined
  const filters = {
    status: pick(url.searchParams.get('status'), STATUSES),
    channel: pick(url.searchParams.get('channel'), CHANNELS),
    assignee: url.searchParams.get('assignee') || undefined,
    search: url.searchParams.get('q')?.slice(0, 200) || undefined,
    cursor: url.searchParams.get('cursor') || undefined,
  }
  // Opening a conversation reads it: mark it before the list is read, so the list agrees.
  if (threadId) await callForPage(request, context, (trpc) => trpc.inbox.markRead({ threadId }))
  const [list, members, open] = await Promise.all([
    callForPage(request, context, (trpc) => trpc.inbox.list(filters)),
    callForPage(request, context, (trpc) => trpc.members.names()),
    threadId ? callForPage(request, context, (trpc) => trpc.inbox.thread({ threadId })) : null,
  ])
  const customerCases =
    open && can(toViewer(me), 'crm:write')
      ? await callForPage(request, context, (trpc) => trpc.cases.list({ filter: { field: 'customerId', op: 'eq', value: open.thread.customerId }, limit: 50 }))
      : null
  return json(
    {
      list,
      members,
      open,
      cases: customerCases?.rows.map((c) => ({ id: c.id, subject: String(c.subject ?? c.id) })) ?? [],
      me: { userId: me.user.id, canReply: can(toViewer(me), 'inbox:reply'), canWrite: can(toViewer(me), 'crm:write') },
    },
    { headers: context.resHeaders },
  )
}

export async function action({ request, context }: ActionFunctionArgs) {
  const form = await request.formData()
  const intent = String(form.get('intent') ?? '')
  const threadId = String(form.get('threadId') ?? '')
  const text = String(form.get('text') ?? '')
  const run = (call: Parameters<typeof callForForm>[3]) => callForForm(request, context, intent, call, { labels: { text: 'Message' } })
  let result
  switch (intent) {
    case 'reply':
      result = await run((trpc) => trpc.inbox.reply({ threadId, text }))
      break
    case 'note':
      result = await run((trpc) => trpc.inbox.note({ threadId, text }))
      break
    case 'assign': {
      const userId = String(form.get('userId') ?? '')
      result = await run((trpc) => trpc.inbox.assign({ threadId, userId: userId || null }))
      break
    }
    case 'status':
      result = await run((trpc) => trpc.inbox.setStatus({ threadId, status: pick(String(form.get('status')), STATUSES) ?? 'open' }))
      break
    case 'openCase':
      result = await run((trpc) => trpc.inbox.openCase({ threadId }))
      break
    case 'linkToCase':
      result = await run((trpc) => trpc.inbox.linkToCase({ threadId, caseId: String(form.get('caseId') ?? '') }))
      break
    default:
      return json<FormFailure>({ ok: false, intent, message: 'Unknown action', fieldErrors: {} }, { status: 400 })
  }
  if (!result.ok) return result.response
  return json({ ok: true as const, intent }, { headers: context.resHeaders })
}

export default function InboxPage() {
  const { list, members, open, cases, me } = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>()
  const [params] = useSearchParams()
  const revalidator = useRevalidator()
  const navigation = useNavigation()
  useInboxEvents(() => {
    if (revalidator.state === 'idle') revalidator.revalidate()
  })
  const busy = navigation.state === 'submitting'
  const hrefWith = (changes: Record<string, string | null>) => {
    const next = new URLSearchParams(params)
    next.delete('cursor')
    for (const [k, v] of Object.entries(changes)) {
      if (v === null) next.delete(k)
      else next.set(k, v)
    }
    return `?${next.toString()}`
  }

  return (
    <>
      <PageHeader title="Inbox" description="Messages from email, chat, SMS and web forms, threaded by conversation." />
      <div className="inbox">
        <section className="inbox__list card" aria-label="Conversations">
          <Form method="get" className="inbox__filters">
            {params.get('thread') ? <input type="hidden" name="thread" value={params.get('thread')!} /> : null}
            <input className="input" type="search" name="q" placeholder="Search messages" defaultValue={params.get('q') ?? ''} aria-label="Search" />
            <select className="input" name="status" defaultValue={params.get('status') ?? ''} aria-label="Status">
              <option value="">Any status</option>
              {STATUSES.map((s) => (
                <option key={s} value={s}>
                  {s}
                </option>
              ))}
            </select>
            <select className="input" name="channel" defaultValue={params.get('channel') ?? ''} aria-label="Channel">
              <option value="">Any channel</option>
              {CHANNELS.map((c) => (
                <option key={c} value={c}>
                  {c}
                </option>
              ))}
            </select>
            <select className="input" name="assignee" defaultValue={params.get('assignee') ?? ''} aria-label="Assignee">
              <option value="">Anyone</option>
              <option value="me">Mine</option>
              <option value="unassigned">Unassigned</option>
            </select>
            <Button type="submit" size="sm" variant="secondary">
              Filter
            </Button>
          </Form>
          {list.threads.length === 0 ? (
            <EmptyState title="No conversations">Messages posted to the inbox endpoint appear here as they arrive.</EmptyState>
          ) : (
            <ul className="inbox__threads" data-testid="inbox-threads">
              {list.threads.map((t) => (
                <li key={t.id}>
                  <Link
                    to={hrefWith({ thread: t.id })}
                    className={cn('inbox__thread', t.unread && 'is-unread', params.get('thread') === t.id && 'is-active')}
                    data-testid="inbox-thread"
                    data-thread-id={t.id}
                  >
                    <span className="inbox__thread-top">
                      <strong>{t.customer?.name ?? t.lastFrom}</strong>
                      <span className="badge">{t.channel}</span>
                      <span className="badge">{t.status}</span>
                    </span>
                    <span className="inbox__thread-subject">{t.subject || '(no subject)'}</span>
                    <span className="muted inbox__thread-preview">{t.lastPreview}</span>
                    <span className="muted inbox__thread-meta">
                      <DateTime value={t.lastMessageAt} />
                      {t.assignee ? ` · ${t.assignee.name}` : ''}
                    </span>
                  </Link>
                </li>
              ))}
            </ul>
          )}
          {list.nextCursor ? (
            <Link to={`${hrefWith({})}&cursor=${encodeURIComponent(list.nextCursor)}`} className="inbox__more">
              Older conversations
            </Link>
          ) : null}
        </section>

        <section className="inbox__conversation card" aria-label="Conversation">
          {!open ? (
            <EmptyState title="Pick a conversation">Choose a conversation on the left to read it and reply.</EmptyState>
          ) : (
            <div className="card__body" data-testid="conversation">
              <div className="inbox__conversation-head">
                <div>
                  <h2 className="card__title">{open.thread.subject || '(no subject)'}</h2>
                  {open.thread.customer ? (
                    <p className="muted" data-testid="conversation-customer">
                      <Link to={`/customers/${open.thread.customer.id}`}>{open.thread.customer.name}</Link>
                      {open.thread.customer.email ? ` · ${open.thread.customer.email}` : ''}
                      {open.thread.customer.phone ? ` · ${open.thread.customer.phone}` : ''}
                    </p>
                  ) : null}
                  {open.case ? (
                    <p data-testid="conversation-case">
                      Case: <Link to={`/cases/${open.case.id}`}>{open.case.subject}</Link> <span className="badge">{open.case.status}</span>
                    </p>
                  ) : null}
                </div>
                {me.canReply ? (
                  <div className="inbox__controls">
                    <Form method="post" className="inbox__inline" key={`assign-${open.thread.version}`}>
                      <input type="hidden" name="threadId" value={open.thread.id} />
                      <input type="hidden" name="intent" value="assign" />
                      <select className="input" name="userId" defaultValue={open.thread.assigneeId ?? ''} aria-label="Assign to">
                        <option value="">Unassigned</option>
                        {members.map((m) => (
                          <option key={m.userId} value={m.userId}>
                            {m.userId === me.userId ? `${m.name} (me)` : m.name}
                          </option>
                        ))}
                      </select>
                      <Button type="submit" size="sm" variant="secondary" disabled={busy}>
                        Assign
                      </Button>
                    </Form>
                    <Form method="post" className="inbox__inline" key={`status-${open.thread.version}`}>
                      <input type="hidden" name="threadId" value={open.thread.id} />
                      <input type="hidden" name="intent" value="status" />
                      <select className="input" name="status" defaultValue={open.thread.status} aria-label="Status of the conversation">
                        {STATUSES.map((s) => (
                          <option key={s} value={s}>
                            {s}
                          </option>
                        ))}
                      </select>
                      <Button type="submit" size="sm" variant="secondary" disabled={busy}>
                        Set status
                      </Button>
                    </Form>
                  </div>
                ) : null}
              </div>
              {me.canWrite && !open.thread.caseId ? (
                <div className="inbox__inline">
                  <Form method="post">
                    <input type="hidden" name="threadId" value={open.thread.id} />
                    <Button type="submit" name="intent" value="openCase" size="sm" disabled={busy}>
                      Open a case
                    </Button>
                  </Form>
                  {cases.length > 0 ? (
                    <Form method="post" className="inbox__inline">
                      <input type="hidden" name="threadId" value={open.thread.id} />
                      <input type="hidden" name="intent" value="linkToCase" />
                      <select className="input" name="caseId" aria-label="Existing case">
                        {cases.map((c) => (
                          <option key={c.id} value={c.id}>
                            {c.subject}
                          </option>
                        ))}
                      </select>
                      <Button type="submit" size="sm" variant="secondary" disabled={busy}>
                        Link to case
                      </Button>
                    </Form>
                  ) : null}
                </div>
              ) : null}
              {actionData && !actionData.ok ? (
                <p className="alert alert--danger" role="alert">
                  {actionData.message}
                </p>
              ) : null}

              <ol className="inbox__messages" data-testid="messages">
                {open.messages.map((m) => (
                  <li key={m.id} className={cn('inbox__message', `inbox__message--${m.direction}`)} data-testid="message" data-direction={m.direction}>
                    <div className="inbox__message-head">
                      <strong>{m.fromLabel}</strong>
                      {m.direction === 'note' ? <span className="badge">internal note</span> : null}
                      <span className="muted">
                        <DateTime value={m.createdAt} />
                      </span>
                    </div>
                    {m.html ? (
                      // Sanitised on ingest, and still never in the page: a frame with every sandbox
                      // restriction (no scripts, no same origin, no forms, no top navigation).
                      <iframe className="inbox__html" title={`Message from ${m.fromLabel}`} sandbox="" srcDoc={m.html} data-testid="message-html" />
                    ) : (
                      <p className="inbox__text">{m.text}</p>
                    )}
                  </li>
                ))}
              </ol>

              {me.canReply ? (
                <Form method="post" className="inbox__reply" key={`reply-${open.messages.length}`}>
                  <input type="hidden" name="threadId" value={open.thread.id} />
                  <label className="label" htmlFor="reply-text">
                    Reply
                  </label>
                  <textarea id="reply-text" className="input" name="text" rows={4} required maxLength={200_000} />
                  <div className="inbox__inline">
                    <Button type="submit" name="intent" value="reply" disabled={busy}>
                      Send reply
                    </Button>
                    <Button type="submit" name="intent" value="note" variant="secondary" disabled={busy}>
                      Add internal note
                    </Button>
                  </div>
                </Form>
              ) : null}
            </div>
          )}
        </section>
      </div>
    </>
  )
}

export function ErrorBoundary() {
  return <RouteErrorBoundary />
}
