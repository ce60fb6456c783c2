// The approval banner of a record page: the latest request's status and step, who decides, the
// locked fields, the decisions so far; approve / reject with a comment for those who may decide,
// withdraw for the submitter. The server decides who may (the buttons are a courtesy).
import { Form, useNavigation } from '@remix-run/react'
import { Alert } from '~/components/ui/alert'
import { Button } from '~/components/ui/button'
import { DateTime } from '~/components/date-time'
import type { ApprovalRequest } from './entities'

const STATUS_TEXT: Record<ApprovalRequest['status'], string> = {
  pending: 'Approval pending',
  approved: 'Approved',
  rejected: 'Rejected',
  withdrawn: 'Withdrawn',
  cancelled: 'Cancelled',
}

export function ApprovalBanner({ request }: { request: ApprovalRequest }) {
  const navigation = useNavigation()
  const busy = navigation.state !== 'idle'
  const pending = request.status === 'pending'
  const step = request.steps[request.step]
  const tone = request.status === 'rejected' ? 'error' : request.status === 'approved' ? 'success' : 'info'
  return (
    <Alert tone={tone} className="alert--stack approval-banner">
      <p className="alert__title">
        {STATUS_TEXT[request.status]}: {request.ruleLabel}
      </p>
      {pending ? (
        <p>
          Step {request.step + 1} of {request.steps.length}
          {step ? `, decided by ${step.approvers}` : ''}. Submitted by {request.submittedBy} <DateTime value={request.createdAt} />.
          {request.lockedFields.length ? ` Locked until decided: ${request.lockedFields.join(', ')}.` : ''}
        </p>
      ) : request.reason ? (
        <p>{request.reason}</p>
      ) : null}
      {request.decisions.length ? (
        <ul className="approval-banner__decisions">
          {request.decisions.map((d, i) => (
            <li key={i}>
              {d.decision === 'approve' ? 'Approved' : 'Rejected'} by {d.actor} (step {d.step + 1}) <DateTime value={d.at} />
              {d.comment ? `: “${d.comment}”` : ''}
            </li>
          ))}
        </ul>
      ) : null}
      {request.canDecide ? (
        <Form method="post" className="approval-banner__form">
          <input type="hidden" name="requestId" value={request.id} />
          <input type="hidden" name="expectedStep" value={request.step} />
          <label className="label" htmlFor="approval-comment">
            Comment
          </label>
          <textarea id="approval-comment" name="comment" className="input" rows={2} maxLength={2000} />
          <div className="approval-banner__actions">
            <Button type="submit" name="intent" value="approve" disabled={busy}>
              Approve
            </Button>
            <Button type="submit" name="intent" value="reject" variant="danger" disabled={busy}>
              Reject
            </Button>
          </div>
        </Form>
      ) : null}
      {request.canWithdraw ? (
        <Form method="post">
          <input type="hidden" name="requestId" value={request.id} />
          <Button type="submit" name="intent" value="withdraw" variant="secondary" size="sm" disabled={busy}>
            Withdraw request
          </Button>
        </Form>
      ) : null}
    </Alert>
  )
}
