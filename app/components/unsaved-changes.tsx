// The one unsaved-changes guard of the app (CRM record forms and the Studio's autosave): holds an
// in-app navigation to another page while there are unsaved changes (Remix `useBlocker`) and asks
// the browser to confirm closing or reloading the tab (`beforeunload`). What happens to a held
// navigation is the caller's choice; most show <DiscardChangesDialog> (Stay / Discard).
//
// Submissions to the same page (saving the form) are never held, and the redirect after a save is
// not a navigation the router blocks, so saving clears the guard by itself. `allowNavigation()`
// lets one deliberate navigation through (e.g. the form's Cancel).
import { useCallback, useRef } from 'react'
import { useBeforeUnload, useBlocker, type Blocker, type BlockerFunction } from '@remix-run/react'
import { AlertDialog } from 'radix-ui'

export type UnsavedChanges = { blocker: Blocker; allowNavigation: () => void }

/** `hasUnsaved` is read when a navigation starts (the latest one passed is used). */
export function useUnsavedChanges(hasUnsaved: () => boolean): UnsavedChanges {
  const latest = useRef(hasUnsaved)
  latest.current = hasUnsaved
  const allowed = useRef(false)
  const blocker = useBlocker(
    useCallback<BlockerFunction>(({ currentLocation, nextLocation }) => {
      if (allowed.current) {
        allowed.current = false
        return false
      }
      return latest.current() && (currentLocation.pathname !== nextLocation.pathname || currentLocation.search !== nextLocation.search)
    }, []),
  )
  useBeforeUnload(
    useCallback((event: BeforeUnloadEvent) => {
      if (!latest.current()) return
      event.preventDefault()
      // Older browsers show their prompt only when returnValue is set.
      event.returnValue = ''
    }, []),
  )
  const allowNavigation = useCallback(() => {
    allowed.current = true
  }, [])
  return { blocker, allowNavigation }
}

/**
 * "Discard changes?" while a navigation is held (radix AlertDialog: focus starts on Stay, Escape
 * stays). `open` defaults to "the blocker holds a navigation".
 */
export function DiscardChangesDialog({
  blocker,
  open = blocker.state === 'blocked',
  description = 'Your changes on this page are not saved. Leave and lose them?',
}: {
  blocker: Blocker
  open?: boolean
  description?: string
}) {
  return (
    // Controlled by the blocker: each button settles it (Stay resets, Discard proceeds) and the
    // dialog closes because the blocker no longer holds anything.
    <AlertDialog.Root open={open}>
      <AlertDialog.Portal>
        <AlertDialog.Overlay className="dialog__overlay" />
        <AlertDialog.Content className="dialog" data-testid="discard-changes-dialog" onEscapeKeyDown={() => blocker.reset?.()}>
          <AlertDialog.Title className="dialog__title">Discard changes?</AlertDialog.Title>
          <AlertDialog.Description className="dialog__description">{description}</AlertDialog.Description>
          <div className="dialog__actions">
            <AlertDialog.Cancel className="btn btn--secondary" onClick={() => blocker.reset?.()}>
              Stay
            </AlertDialog.Cancel>
            <AlertDialog.Action className="btn btn--danger-solid" onClick={() => blocker.proceed?.()}>
              Discard
            </AlertDialog.Action>
          </div>
        </AlertDialog.Content>
      </AlertDialog.Portal>
    </AlertDialog.Root>
  )
}
