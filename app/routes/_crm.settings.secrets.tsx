// Tenant secrets: the keys webhook actions sign with (secrets.* procedures, decision 019). A value
// is shown once, when it is created or rotated; the list never has it.
import { json, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction, type SerializeFrom } from '@remix-run/node'
import { useFetcher, useLoaderData } from '@remix-run/react'
import { callForForm, callForPage } from '~/utils/api-errors.server'
import { requirePermission } from '~/utils/session.server'
import { text } from '~/utils/form-data'
import { EmptyState, PageHeader } from '~/components/page'
import { DateTime } from '~/components/date-time'
import { RouteErrorBoundary } from '~/components/error-page'
import { OneTimeSecret } from '~/components/one-time-secret'
import { Alert } from '~/components/ui/alert'
import { Button } from '~/components/ui/button'
import { ConfirmDialog } from '~/components/ui/confirm-dialog'
import { Field } from '~/components/ui/field'

export const meta: MetaFunction = () => [{ title: 'Secrets · Settings · Pulse-8' }]

export async function loader({ request, context }: LoaderFunctionArgs) {
  await requirePermission(context, request, 'secrets:manage', 'manage secrets')
  const secrets = await callForPage(request, context, (trpc) => trpc.secrets.list())
  return json({ secrets })
}

export async function action({ request, context }: ActionFunctionArgs) {
  const form = await request.formData()
  const intent = text(form, 'intent')
  const name = text(form, 'name')
  switch (intent) {
    case 'create':
    case 'rotate': {
      const result = await callForForm(
        request,
        context,
        intent,
        (trpc) => (intent === 'create' ? trpc.secrets.create({ name }) : trpc.secrets.rotate({ name })),
        {
          labels: { name: 'Name' },
        },
      )
      if (!result.ok) return result.response
      const message = intent === 'create' ? `Secret "${result.data.name}" created.` : `Secret "${result.data.name}" rotated: the old value no longer signs.`
      return json({ ok: true as const, intent, name: result.data.name, message, value: result.data.value })
    }
    case 'remove': {
      const result = await callForForm(request, context, intent, (trpc) => trpc.secrets.remove({ name }))
      if (!result.ok) return result.response
      return json({ ok: true as const, intent, name, message: `Secret "${name}" removed.`, value: null })
    }
    default:
      throw json({ message: `Unknown action "${intent}"` }, { status: 400 })
  }
}

type Secret = SerializeFrom<typeof loader>['secrets'][number]

export default function SecretsPage() {
  const { secrets } = useLoaderData<typeof loader>()
  // One fetcher for the page: the value of the last create or rotate is shown above the list.
  const fetcher = useFetcher<typeof action>()
  const data = fetcher.state === 'idle' ? fetcher.data : undefined
  const busy = fetcher.state !== 'idle'
  return (
    <>
      <PageHeader
        title="Secrets"
        description="Webhook actions sign each request with a secret named here (the Pulse8-Signature header), so receivers can check it came from this tenant and refuse replays. A value is shown once, when it is created or rotated."
      />
      <section className="card section" aria-labelledby="create-secret-title">
        <div className="card__body">
          <h2 id="create-secret-title" className="card__title">
            Create a secret
          </h2>
          {data && !data.ok ? <Alert>{data.message}</Alert> : null}
          {data?.ok && data.value ? <OneTimeSecret message={data.message} secret={data.value} testId="new-secret-value" /> : null}
          {data?.ok && !data.value ? <Alert tone="success">{data.message}</Alert> : null}
          <fetcher.Form method="post" className="toolbar">
            <input type="hidden" name="intent" value="create" />
            <Field
              label="Name"
              name="name"
              required
              maxLength={63}
              placeholder="e.g. zapier-signing"
              error={data && !data.ok && data.intent === 'create' ? data.fieldErrors.name : undefined}
            />
            <Button type="submit" disabled={busy}>
              {busy ? 'Working…' : 'Create secret'}
            </Button>
          </fetcher.Form>
        </div>
      </section>
      {secrets.length === 0 ? (
        <EmptyState title="No secrets yet">
          <p>Create one, then name it in a webhook action in the Automation Studio.</p>
        </EmptyState>
      ) : (
        <div className="table-wrap">
          <table className="table" aria-label="Secrets">
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Created by</th>
                <th scope="col">Created</th>
                <th scope="col">Rotated</th>
                <th scope="col" className="actions">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {secrets.map((s) => (
                <SecretRow key={s.name} secret={s} busy={busy} submit={(intent) => fetcher.submit({ intent, name: s.name }, { method: 'post' })} />
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  )
}

function SecretRow({ secret, busy, submit }: { secret: Secret; busy: boolean; submit: (intent: 'rotate' | 'remove') => void }) {
  return (
    <tr>
      <td>
        <code>{secret.name}</code>
      </td>
      <td>{secret.createdBy ? secret.createdBy.name : <span className="muted">Removed member</span>}</td>
      <td>
        <DateTime value={secret.createdAt} />
      </td>
      <td>
        <DateTime value={secret.rotatedAt} fallback="Never" />
      </td>
      <td className="actions">
        <ConfirmDialog
          trigger={
            <Button variant="secondary" size="sm" disabled={busy} aria-label={`Rotate ${secret.name}`}>
              Rotate
            </Button>
          }
          title={`Rotate "${secret.name}"?`}
          description="A new value replaces the current one at once: receivers that check the signature must be given the new value, or they will refuse the next webhooks."
          confirmLabel="Rotate secret"
          onConfirm={() => submit('rotate')}
        />{' '}
        <ConfirmDialog
          trigger={
            <Button variant="danger" size="sm" disabled={busy} aria-label={`Remove ${secret.name}`}>
              Remove
            </Button>
          }
          title={`Remove "${secret.name}"?`}
          description="Webhook actions naming this secret fail until a secret of that name exists again. This cannot be undone."
          confirmLabel="Remove secret"
          onConfirm={() => submit('remove')}
        />
      </td>
    </tr>
  )
}

export function ErrorBoundary() {
  return <RouteErrorBoundary />
}
