// The signed-in person's pending invitations, above every CRM page: accept (the tenant then
// appears in the switcher) or decline. Posts to app/routes/invitations.tsx.
import { useFetcher } from '@remix-run/react'
import type { action } from '~/routes/invitations'
import type { RouterOutputs } from '../../../server/app-router'
import { ROLE_LABELS } from '~/utils/viewer'
import { Alert } from '~/components/ui/alert'
import { Button } from '~/components/ui/button'

export type PendingInvitation = Pick<RouterOutputs['invitations']['list'][number], 'id' | 'role' | 'tenant'>

export function InvitationsBanner({ invitations }: { invitations: PendingInvitation[] }) {
  const fetcher = useFetcher<typeof action>()
  const data = fetcher.state === 'idle' ? fetcher.data : undefined
  if (invitations.length === 0 && !data) return null
  const busy = fetcher.state !== 'idle'
  return (
    <section aria-label="Invitations">
      {data ? <Alert tone={data.ok ? 'success' : 'error'}>{data.message}</Alert> : null}
      {invitations.map((i) => (
        <Alert key={i.id} tone="info">
          <span data-testid={`invitation-from-${i.tenant.name}`}>
            You are invited to join <strong>{i.tenant.name}</strong> as {ROLE_LABELS[i.role]}.
          </span>
          <div className="alert__actions">
            <Button
              size="sm"
              disabled={busy}
              onClick={() => fetcher.submit({ intent: 'accept', invitationId: i.id }, { method: 'post', action: '/invitations' })}
            >
              Accept
            </Button>
            <Button
              size="sm"
              variant="secondary"
              disabled={busy}
              onClick={() => fetcher.submit({ intent: 'decline', invitationId: i.id }, { method: 'post', action: '/invitations' })}
            >
              Decline
            </Button>
          </div>
        </Alert>
      ))}
    </section>
  )
}
