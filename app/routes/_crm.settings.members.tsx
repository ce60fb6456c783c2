// Members of the active tenant: add people, change their role, remove them (members.* procedures).
import { json, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction, type SerializeFrom } from '@remix-run/node'
import { useFetcher, useLoaderData } from '@remix-run/react'
import { useEffect, useState } from 'react'
import { callForForm, callForPage } from '~/utils/api-errors.server'
import { requirePermission } from '~/utils/session.server'
import { PASSWORD_MIN_LENGTH } from '~/utils/password-policy.server'
import { optionalText, text } from '~/utils/form-data'
import { ROLE_LABELS, type Role } from '~/utils/viewer'
import { RoleSelect } from '~/components/role-select'
import { PageHeader } from '~/components/page'
import { DateTime } from '~/components/date-time'
import { RouteErrorBoundary } from '~/components/error-page'
import { Alert } from '~/components/ui/alert'
import { Button } from '~/components/ui/button'
import { ConfirmDialog } from '~/components/ui/confirm-dialog'
import { Dialog, DialogContent, DialogTrigger } from '~/components/ui/dialog'
import { Field } from '~/components/ui/field'
import { Label } from '~/components/ui/label'

export const meta: MetaFunction = () => [{ title: 'Members · Settings · Pulse-8' }]

export async function loader({ request, context }: LoaderFunctionArgs) {
  const me = await requirePermission(context, request, 'members:manage', 'manage members')
  const members = await callForPage(request, context, (trpc) => trpc.members.list())
  return json({ members, currentUserId: me.user.id, tenantName: me.activeTenant?.name ?? '', passwordMinLength: PASSWORD_MIN_LENGTH })
}

export async function action({ request, context }: ActionFunctionArgs) {
  const form = await request.formData()
  const intent = text(form, 'intent')
  // The procedures validate `role`; the cast only satisfies the compiler.
  const role = text(form, 'role') as Role
  switch (intent) {
    case 'add': {
      const result = await callForForm(request, context, intent, (trpc) =>
        trpc.members.add({
          email: text(form, 'email'),
          role,
          name: optionalText(form, 'name'),
          initialPassword: optionalText(form, 'initialPassword'),
        }),
      )
      if (!result.ok) return result.response
      const m = result.data
      return json({ ok: true as const, intent, message: `${m.name} (${m.email}) was added as ${ROLE_LABELS[m.role]}.` })
    }
    case 'set-role': {
      const result = await callForForm(request, context, intent, (trpc) => trpc.members.setRole({ userId: text(form, 'userId'), role }))
      if (!result.ok) return result.response
      return json({ ok: true as const, intent, message: `${result.data.name} is now ${ROLE_LABELS[result.data.role]}.` })
    }
    case 'remove': {
      const result = await callForForm(request, context, intent, (trpc) => trpc.members.remove({ userId: text(form, 'userId') }))
      if (!result.ok) return result.response
      return json({ ok: true as const, intent, message: 'The member was removed.' })
    }
    default:
      throw json({ message: `Unknown action "${intent}"` }, { status: 400 })
  }
}

type Member = SerializeFrom<typeof loader>['members'][number]

function useFormResult(fetcher: ReturnType<typeof useFetcher<typeof action>>) {
  const data = fetcher.state === 'idle' ? fetcher.data : undefined
  return {
    error: data && !data.ok ? data.message : null,
    fieldErrors: data && !data.ok ? data.fieldErrors : {},
    success: data?.ok ? data.message : null,
  }
}

export default function MembersPage() {
  const { members, currentUserId, tenantName, passwordMinLength } = useLoaderData<typeof loader>()
  const addFetcher = useFetcher<typeof action>()
  const added = useFormResult(addFetcher).success
  return (
    <>
      <PageHeader
        title="Members"
        description={`People who can sign in to ${tenantName}, and their role here. Roles decide what each person may see and do.`}
        actions={<AddMemberDialog fetcher={addFetcher} passwordMinLength={passwordMinLength} />}
      />
      {added ? <Alert tone="success">{added}</Alert> : null}
      <div className="table-wrap">
        <table className="table" aria-label="Members">
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Email</th>
              <th scope="col">Role</th>
              <th scope="col">Member since</th>
              <th scope="col" className="actions">
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {members.map((m) => (
              <MemberRow key={m.userId} member={m} isSelf={m.userId === currentUserId} tenantName={tenantName} />
            ))}
          </tbody>
        </table>
      </div>
    </>
  )
}

function MemberRow({ member, isSelf, tenantName }: { member: Member; isSelf: boolean; tenantName: string }) {
  const roleFetcher = useFetcher<typeof action>()
  const removeFetcher = useFetcher<typeof action>()
  const roleResult = useFormResult(roleFetcher)
  const removeResult = useFormResult(removeFetcher)
  // Show the chosen role while the change is saved; the loader's answer decides afterwards.
  const pendingRole = roleFetcher.formData?.get('role')
  const role = typeof pendingRole === 'string' ? pendingRole : member.role
  const selectId = `role-${member.userId}`
  return (
    <tr data-testid={`member-${member.email}`}>
      <td>
        {member.name} {isSelf ? <span className="badge">You</span> : null}
      </td>
      <td>{member.email}</td>
      <td>
        <roleFetcher.Form method="post" className="inline-form">
          <input type="hidden" name="intent" value="set-role" />
          <input type="hidden" name="userId" value={member.userId} />
          <Label htmlFor={selectId} className="visually-hidden">
            Role of {member.name}
          </Label>
          <RoleSelect
            id={selectId}
            name="role"
            className="input--inline"
            value={role}
            onChange={(e) => roleFetcher.submit(e.currentTarget.form)}
           />
          <noscript>
            <Button type="submit" size="sm" variant="secondary">
              Save
            </Button>
          </noscript>
        </roleFetcher.Form>
        {roleResult.error ? (
          <p role="alert" className="field__error">
            {roleResult.error}
          </p>
        ) : null}
      </td>
      <td>
        <DateTime value={member.since} />
      </td>
      <td className="actions">
        <ConfirmDialog
          trigger={
            <Button variant="danger" size="sm" disabled={removeFetcher.state !== 'idle'} aria-label={`Remove ${member.name}`}>
              Remove
            </Button>
          }
          title={isSelf ? `Leave ${tenantName}?` : `Remove ${member.name}?`}
          description={
            isSelf
              ? 'You lose access to this tenant immediately. Your account and your other tenants stay.'
              : `${member.name} loses access to ${tenantName} immediately. Their account and their other tenants stay.`
          }
          confirmLabel={isSelf ? 'Leave tenant' : 'Remove member'}
          onConfirm={() => removeFetcher.submit({ intent: 'remove', userId: member.userId }, { method: 'post' })}
        />
        {removeResult.error ? (
          <p role="alert" className="field__error">
            {removeResult.error}
          </p>
        ) : null}
      </td>
    </tr>
  )
}

function AddMemberDialog({
  fetcher,
  passwordMinLength,
}: {
  fetcher: ReturnType<typeof useFetcher<typeof action>>
  passwordMinLength: number
}) {
  const [open, setOpen] = useState(false)
  const { error, fieldErrors, success } = useFormResult(fetcher)
  useEffect(() => {
    if (success) setOpen(false)
  }, [success])
  const busy = fetcher.state !== 'idle'
  return (
    <Dialog open={open} onOpenChange={setOpen}>
      <DialogTrigger asChild>
        <Button>Add member</Button>
      </DialogTrigger>
      <DialogContent
        title="Add member"
        description="Someone who already has a Pulse-8 account just joins this tenant. For a new person, give a name and an initial password and share it with them."
      >
        {error ? <Alert>{error}</Alert> : null}
        <fetcher.Form method="post">
          <input type="hidden" name="intent" value="add" />
          <Field label="Email" name="email" type="email" required autoComplete="off" error={fieldErrors.email} />
          <div className="field">
            <Label htmlFor="add-member-role">Role</Label>
            <RoleSelect id="add-member-role" name="role" defaultValue="AGENT" />
          </div>
          <div className="form-grid">
            <Field label="Name" name="name" autoComplete="off" hint="New accounts only" error={fieldErrors.name} />
            <Field
              label="Initial password"
              name="initialPassword"
              type="password"
              autoComplete="new-password"
              minLength={passwordMinLength}
              hint={`New accounts only; at least ${passwordMinLength} characters`}
              error={fieldErrors.initialPassword}
            />
          </div>
          <div className="dialog__actions">
            <Button variant="secondary" onClick={() => setOpen(false)}>
              Cancel
            </Button>
            <Button type="submit" disabled={busy}>
              {busy ? 'Adding…' : 'Add member'}
            </Button>
          </div>
        </fetcher.Form>
      </DialogContent>
    </Dialog>
  )
}

export function ErrorBoundary() {
  return <RouteErrorBoundary />
}
