// API tokens of the active tenant: for internal tools and message ingestion (tokens.* procedures).
import { json, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction, type SerializeFrom } from '@remix-run/node'
import { useFetcher, useLoaderData } from '@remix-run/react'
import { callForForm, callForPage } from '~/utils/api-errors.server'
import { requirePermission } from '~/utils/session.server'
import { text } from '~/utils/form-data'
import { ROLE_LABELS, type Role } from '~/utils/viewer'
import { RoleSelect } from '~/components/role-select'
import { EmptyState, PageHeader } from '~/components/page'
import { DateTime } from '~/components/date-time'
import { RouteErrorBoundary } from '~/components/error-page'
import { Alert } from '~/components/ui/alert'
import { Button } from '~/components/ui/button'
import { ConfirmDialog } from '~/components/ui/confirm-dialog'
import { Field } from '~/components/ui/field'
import { NativeSelect } from '~/components/ui/input'
import { Label } from '~/components/ui/label'
import { OneTimeSecret } from '~/components/one-time-secret'

export const meta: MetaFunction = () => [{ title: 'API tokens · Settings · Pulse-8' }]

export async function loader({ request, context }: LoaderFunctionArgs) {
  await requirePermission(context, request, 'tokens:manage', 'manage API tokens')
  const tokens = await callForPage(request, context, (trpc) => trpc.tokens.list())
  return json({ tokens })
}

export async function action({ request, context }: ActionFunctionArgs) {
  const form = await request.formData()
  const intent = text(form, 'intent')
  switch (intent) {
    case 'create': {
      const result = await callForForm(
        request,
        context,
        intent,
        (trpc) =>
          // The procedure validates `role` and `scope`; the casts only satisfy the compiler.
          trpc.tokens.create({ name: text(form, 'name'), role: text(form, 'role') as Role, scope: text(form, 'scope') as TokenScope }),
        { labels: { name: 'Name', role: 'Role', scope: 'Scope' } },
      )
      if (!result.ok) return result.response
      // The secret leaves the server this once; only its hash is stored.
      return json({ ok: true as const, intent, message: `Token "${result.data.name}" created.`, secret: result.data.token })
    }
    case 'revoke': {
      const result = await callForForm(request, context, intent, (trpc) => trpc.tokens.revoke({ id: text(form, 'id') }))
      if (!result.ok) return result.response
      return json({ ok: true as const, intent, message: 'The token was revoked.', secret: null })
    }
    default:
      throw json({ message: `Unknown action "${intent}"` }, { status: 400 })
  }
}

type Token = SerializeFrom<typeof loader>['tokens'][number]
type TokenScope = Token['scope']

/** What each scope lets a token do, on top of its role (docs/decisions/024-token-scopes.md). */
const SCOPE_LABELS: Record<TokenScope, string> = {
  full: 'Full (everything its role may do)',
  read: 'Read only',
  ingest: 'Message ingestion only',
  config: 'Config as code (Studio, publish)',
}

export default function TokensPage() {
  const { tokens } = useLoaderData<typeof loader>()
  return (
    <>
      <PageHeader
        title="API tokens"
        description="Tokens let internal tools and outside systems (message ingestion) call the API for this tenant, with the rights of the role you give them, but never more than their creator has here now: demoting the creator narrows their tokens, removing them disables them."
      />
      <CreateTokenForm />
      {tokens.length === 0 ? (
        <EmptyState title="No API tokens yet">
          <p>Tokens you create appear here with their role and when they were last used.</p>
        </EmptyState>
      ) : (
        <div className="table-wrap">
          <table className="table" aria-label="API tokens">
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Role</th>
                <th scope="col">Scope</th>
                <th scope="col">Acts as</th>
                <th scope="col">Created by</th>
                <th scope="col">Created</th>
                <th scope="col">Last used</th>
                <th scope="col">Status</th>
                <th scope="col" className="actions">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {tokens.map((t) => (
                <TokenRow key={t.id} token={t} />
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  )
}

function CreateTokenForm() {
  const fetcher = useFetcher<typeof action>()
  const data = fetcher.state === 'idle' ? fetcher.data : undefined
  const busy = fetcher.state !== 'idle'
  return (
    <section className="card section" aria-labelledby="create-token-title">
      <div className="card__body">
        <h2 id="create-token-title" className="card__title">
          Create a token
        </h2>
        {data && !data.ok ? <Alert>{data.message}</Alert> : null}
        {data?.ok && data.secret ? <OneTimeSecret message={data.message} secret={data.secret} testId="new-token-secret" /> : null}
        <fetcher.Form method="post" className="toolbar">
          <input type="hidden" name="intent" value="create" />
          <Field label="Name" name="name" required placeholder="e.g. Support mailbox" error={data && !data.ok ? data.fieldErrors.name : undefined} />
          <div className="field">
            <Label htmlFor="token-role">Role</Label>
            <RoleSelect id="token-role" name="role" defaultValue="AGENT" />
          </div>
          <div className="field">
            <Label htmlFor="token-scope">Scope</Label>
            <NativeSelect id="token-scope" name="scope" defaultValue="full">
              {Object.entries(SCOPE_LABELS).map(([value, label]) => (
                <option key={value} value={value}>
                  {label}
                </option>
              ))}
            </NativeSelect>
          </div>
          <Button type="submit" disabled={busy}>
            {busy ? 'Creating…' : 'Create token'}
          </Button>
        </fetcher.Form>
      </div>
    </section>
  )
}

function TokenRow({ token }: { token: Token }) {
  const fetcher = useFetcher<typeof action>()
  const data = fetcher.state === 'idle' ? fetcher.data : undefined
  return (
    <tr>
      <td>{token.name}</td>
      <td>{ROLE_LABELS[token.role]}</td>
      <td>{SCOPE_LABELS[token.scope]}</td>
      <td>
        {/* The effective role: at most the creator's current role (decision 013). */}
        {token.effectiveRole ? ROLE_LABELS[token.effectiveRole] : <span className="muted">Nothing (disabled)</span>}
      </td>
      <td>{token.creator ? `${token.creator.name} (${token.creator.email})` : <span className="muted">Removed member</span>}</td>
      <td>
        <DateTime value={token.createdAt} />
      </td>
      <td>
        <DateTime value={token.lastUsedAt} fallback="Never" />
      </td>
      <td>
        {token.revokedAt ? (
          <span className="badge badge--danger">Revoked</span>
        ) : token.effectiveRole ? (
          <span className="badge badge--success">Active</span>
        ) : (
          <span className="badge badge--danger">Disabled</span>
        )}
      </td>
      <td className="actions">
        {token.revokedAt ? null : (
          <ConfirmDialog
            trigger={
              <Button variant="danger" size="sm" disabled={fetcher.state !== 'idle'} aria-label={`Revoke ${token.name}`}>
                Revoke
              </Button>
            }
            title={`Revoke "${token.name}"?`}
            description="Tools using this token stop working immediately. This cannot be undone."
            confirmLabel="Revoke token"
            onConfirm={() => fetcher.submit({ intent: 'revoke', id: token.id }, { method: 'post' })}
          />
        )}
        {data && !data.ok ? (
          <p role="alert" className="field__error">
            {data.message}
          </p>
        ) : null}
      </td>
    </tr>
  )
}

export function ErrorBoundary() {
  return <RouteErrorBoundary />
}
