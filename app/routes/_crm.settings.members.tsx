// Members of the active tenant: invite people, change their role, remove them, and the pending
// invitations with revoke (members.* procedures). Nobody joins without accepting: decision 014.
import { json, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction, type SerializeFrom } from '@remix-run/node'
import { useFetcher, useLoaderData } from '@remix-run/react'
import { useEffect, useState } from 'react'
import { callForForm, callForPage } from '~/utils/api-errors.server'
import { requirePermission } from '~/utils/session.server'
import { PASSWORD_MIN_LENGTH } from '../../server/config-language/password-rule'
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
  const [members, invitations] = await Promise.all([
    callForPage(request, context, (trpc) => trpc.members.list()),
    callForPage(request, context, (trpc) => trpc.members.invitations()),
  ])
  return json({ members, invitations, currentUserId: me.user.id, tenantName: me.activeTenant?.name ?? '', passwordMinLength: PASSWORD_MIN_LENGTH })
}

export async function action({ request, context }: ActionFunctionArgs) {
  const form = await request.formData()
  const intent = text(form, 'intent')
  // The procedures validate `role`; the cast only satisfies the compiler.
  const role = text(form, 'role') as Role
  switch (intent) {
    case 'invite': {
      // With a name and an initial password, an account is created first when the email has none
      // (members.add); either way the answer is the same invitation.
      const name = optionalText(form, 'name')
      const initialPassword = optionalText(form, 'initialPassword')
      const email = text(form, 'email')
      const result = await callForForm(
        request,
        context,
        intent,
        (trpc) =>
          name || initialPassword
            ? trpc.members.add({ email, role, name: name ?? '', initialPassword: initialPassword ?? '' })
            : trpc.members.invite({ email, role }),
        { labels: { email: 'Email', role: 'Role', name: 'Name', initialPassword: 'Initial password' } },
      )
      if (!result.ok) return result.response
      const i = result.data
      return json({ ok: true as const, intent, message: `${i.email} was invited as ${ROLE_LABELS[i.role]}. They join once they accept.` })
    }
    case 'revoke-invitation': {
      const result = await callForForm(request, context, intent, (trpc) => trpc.members.revokeInvitation({ id: text(form, 'invitationId') }))
      if (!result.ok) return result.response
      return json({ ok: true as const, intent, message: 'The invitation was revoked.' })
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
type Invitation = SerializeFrom<typeof loader>['invitations'][number]

function useFormResult(fetcher: ReturnType<typeof useFetcher<typeof action>>) {
  const data = fetcher.state === 'idle' ? fetcher.data : undefined
  return {
    error: data && !data.ok ? data.message : null,
    fieldErrors: data && !data.ok ? data.fieldErrors : {},
    success: data?.ok ? data.message : null,
  }
}

export default function MembersPage() {
  const { members, invitations, currentUserId, tenantName, passwordMinLength } = useLoaderData<typeof loader>()
  const addFetcher = useFetcher<typeof action>()
  const added = useFormResult(addFetcher).success
  return (
    <>
      <PageHeader
        title="Members"
        description={`People who can sign in to ${tenantName}, and their role here. Roles decide what each person may see and do.`}
        actions={<InviteMemberDialog fetcher={addFetcher} passwordMinLength={passwordMinLength} />}
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
      <h2>Pending invitations</h2>
      {invitations.length === 0 ? (
        <p className="muted">No pending invitations.</p>
      ) : (
        <div className="table-wrap">
          <table className="table" aria-label="Pending invitations">
            <thead>
              <tr>
                <th scope="col">Email</th>
                <th scope="col">Role</th>
                <th scope="col">Invited</th>
                <th scope="col">Expires</th>
                <th scope="col" className="actions">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {invitations.map((i) => (
                <InvitationRow key={i.id} invitation={i} />
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  )
}

function InvitationRow({ invitation }: { invitation: Invitation }) {
  const revokeFetcher = useFetcher<typeof action>()
  const { error } = useFormResult(revokeFetcher)
  return (
    <tr data-testid={`invitation-${invitation.email}`}>
      <td>{invitation.email}</td>
      <td>{ROLE_LABELS[invitation.role]}</td>
      <td>
        <DateTime value={invitation.createdAt} />
      </td>
      <td>
        <DateTime value={invitation.expiresAt} />
      </td>
      <td className="actions">
        <Button
          variant="danger"
          size="sm"
          disabled={revokeFetcher.state !== 'idle'}
          aria-label={`Revoke the invitation of ${invitation.email}`}
          onClick={() => revokeFetcher.submit({ intent: 'revoke-invitation', invitationId: invitation.id }, { method: 'post' })}
        >
          Revoke
        </Button>
        {error ? (
          <p role="alert" className="field__error">
            {error}
          </p>
        ) : null}
      </td>
    </tr>
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
          <RoleSelect id={selectId} name="role" className="input--inline" value={role} onChange={(e) => roleFetcher.submit(e.currentTarget.form)} />
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

function InviteMemberDialog({ fetcher, passwordMinLength }: { fetcher: ReturnType<typeof useFetcher<typeof action>>; passwordMinLength: number }) {
  const [open, setOpen] = useState(false)
  const { error, fieldErrors, success } = useFormResult(fetcher)
  useEffect(() => {
    if (success) setOpen(false)
  }, [success])
  const busy = fetcher.state !== 'idle'
  return (
    <Dialog open={open} onOpenChange={setOpen}>
      <DialogTrigger asChild>
        <Button>Invite member</Button>
      </DialogTrigger>
      <DialogContent
        title="Invite member"
        description="The person joins this tenant once they sign in and accept. For someone new to Pulse-8, also give a name and an initial password to share with them: an account is created if the email has none."
      >
        {error ? <Alert>{error}</Alert> : null}
        <fetcher.Form method="post">
          <input type="hidden" name="intent" value="invite" />
          <Field label="Email" name="email" type="email" required autoComplete="off" error={fieldErrors.email} />
          <div className="field">
            <Label htmlFor="add-member-role">Role</Label>
            <RoleSelect id="add-member-role" name="role" defaultValue="AGENT" />
          </div>
          <div className="form-grid">
            <Field label="Name" name="name" autoComplete="off" hint="Optional: for a new account" error={fieldErrors.name} />
            <Field
              label="Initial password"
              name="initialPassword"
              type="password"
              autoComplete="new-password"
              minLength={passwordMinLength}
              hint={`Optional: for a new account; at least ${passwordMinLength} characters`}
              error={fieldErrors.initialPassword}
            />
          </div>
          <div className="dialog__actions">
            <Button variant="secondary" onClick={() => setOpen(false)}>
              Cancel
            </Button>
            <Button type="submit" disabled={busy}>
              {busy ? 'Inviting…' : 'Send invitation'}
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
