// How an item's autosave is doing, and what to do when it could not save.
import { useState } from 'react'
import { Alert } from '~/components/ui/alert'
import { Button } from '~/components/ui/button'
import { cn } from '~/utils/cn'
import type { AnyDraftItem, LocalState } from './autosave'

const STATUS_TEXT = {
  saved: 'All changes saved',
  pending: 'Unsaved changes…',
  saving: 'Saving…',
  conflict: 'Not saved: conflict',
  error: 'Not saved',
} as const

export function DraftStatus({ draft }: { draft: Pick<AnyDraftItem, 'status' | 'revision'> }) {
  return (
    <span className={cn('save-status', `save-status--${draft.status}`)} role="status" aria-live="polite" data-testid="save-status">
      {STATUS_TEXT[draft.status]}
    </span>
  )
}

const STATE_TEXT: Record<LocalState, string> = {
  live: 'Live',
  modified: 'Draft',
  new: 'New',
  deleted: 'Removed in draft',
  absent: 'Not saved yet',
}

export function StateBadge({ state }: { state: LocalState }) {
  return <span className={cn('badge', `badge--state-${state}`)}>{STATE_TEXT[state]}</span>
}

/**
 * The conflict banner: someone saved this item after you started editing. Autosave has stopped;
 * reloading takes their version, and your edit stays below to copy from until dismissed.
 */
export function DraftProblems({ draft, what }: { draft: AnyDraftItem; what: string }) {
  const [copied, setCopied] = useState(false)
  if (draft.status === 'error') {
    return (
      <Alert tone="error">
        <p className="alert__title">Could not save {what}</p>
        <p>{draft.message}</p>
        <Button size="sm" variant="secondary" onClick={draft.saveNow}>
          Try again
        </Button>
      </Alert>
    )
  }
  if (draft.status !== 'conflict' && !draft.unsavedEdit) return null
  const copy = async () => {
    if (!draft.unsavedEdit) return
    await navigator.clipboard?.writeText(draft.unsavedEdit).catch(() => undefined)
    setCopied(true)
  }
  return (
    <Alert tone={draft.status === 'conflict' ? 'error' : 'info'} className="conflict-banner">
      {draft.status === 'conflict' ? (
        <>
          <p className="alert__title">Someone else changed {what} while you were editing</p>
          <p>
            Your latest edit was <strong>not saved</strong>, and autosave is paused for this item. Reload to get their version, then apply your change again;
            your edit stays below to copy from.
          </p>
        </>
      ) : (
        <>
          <p className="alert__title">Reloaded the latest version of {what}</p>
          <p>Your earlier, unsaved edit is below. Copy what you need, then dismiss it.</p>
        </>
      )}
      {draft.unsavedEdit ? (
        <details className="conflict-banner__mine" open>
          <summary>Your unsaved edit</summary>
          <textarea className="input code-area" readOnly rows={8} value={draft.unsavedEdit} aria-label="Your unsaved edit (JSON)" />
        </details>
      ) : null}
      <div className="alert__actions">
        {draft.status === 'conflict' ? (
          <Button size="sm" onClick={draft.reload} disabled={draft.reloading}>
            {draft.reloading ? 'Reloading…' : 'Reload their version'}
          </Button>
        ) : (
          <Button size="sm" variant="secondary" onClick={draft.dismissUnsavedEdit}>
            Dismiss
          </Button>
        )}
        {draft.unsavedEdit ? (
          <Button size="sm" variant="ghost" onClick={copy}>
            {copied ? 'Copied' : 'Copy my edit'}
          </Button>
        ) : null}
      </div>
    </Alert>
  )
}
