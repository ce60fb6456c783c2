// "Discard draft", asked first: a discard drops every unpublished change to the item and cannot be
// undone, so the builders and the publish centre confirm it (focus starts on Cancel) and name what goes.
import { ConfirmDialog } from '~/components/ui/confirm-dialog'
import { Button } from '~/components/ui/button'

export function DiscardDraftButton({
  what,
  onDiscard,
  size,
  label = 'Discard draft',
}: {
  /** Names the item in the question ("the form default", "views/customer/all"). */
  what: string
  onDiscard: () => void
  size?: 'sm' | 'md'
  /** The trigger's text. */
  label?: string
}) {
  return (
    <ConfirmDialog
      trigger={
        <Button size={size} variant="ghost" aria-label={`Discard the draft of ${what}`}>
          {label}
        </Button>
      }
      title={`Discard the draft of ${what}?`}
      description={`Every unpublished change to ${what} is dropped and it goes back to the live version. This cannot be undone.`}
      confirmLabel="Discard draft"
      onConfirm={onDiscard}
    />
  )
}
