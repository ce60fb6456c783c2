// The item picker of a builder that edits one of an entity's keyed items (forms/<entity>/<key>,
// views/<entity>/<key>): pick the item, start a new one (through a small name + key dialog), remove
// it or discard its draft.
import { useState } from 'react'
import { KEY_PATTERN } from '../../../server/config-language'
import { Button } from '~/components/ui/button'
import { ConfirmDialog } from '~/components/ui/confirm-dialog'
import { Dialog, DialogContent } from '~/components/ui/dialog'
import { Field } from '~/components/ui/field'
import { NativeSelect } from '~/components/ui/input'
import { Label } from '~/components/ui/label'
import type { AnyDraftItem } from './autosave'
import { DiscardDraftButton } from './discard-draft-button'

type Props = {
  /** What the items are called, lower-case and singular ("form", "view"); also their namespace without the "s". */
  noun: 'form' | 'view'
  /** The keys to pick from (the current one included). */
  keys: string[]
  /** What to show for a key: the item's name ("Gold customers"), not its key ("gold"). */
  nameOf: (key: string) => string
  current: string
  draft: AnyDraftItem
  readOnly: boolean
  onPick: (key: string) => void
  /** The text of the "Remove …" confirmation. */
  removeDescription: string
  /** The text of the "New …" dialog. */
  createDescription: string
  onCreate: (key: string, label: string) => void
}

export function ItemToolbar({ noun, keys, nameOf, current, draft, readOnly, onPick, removeDescription, createDescription, onCreate }: Props) {
  const [creating, setCreating] = useState(false)
  const title = noun === 'form' ? 'Form' : 'View'
  return (
    <>
      <div className="toolbar toolbar--wrap">
        <div className="field">
          <Label htmlFor={`${noun}-pick`}>{title}</Label>
          <NativeSelect id={`${noun}-pick`} value={current} onChange={(e) => onPick(e.target.value)}>
            {keys.map((k) => (
              <option key={k} value={k}>
                {nameOf(k)}
              </option>
            ))}
          </NativeSelect>
        </div>
        {readOnly ? null : (
          <>
            <Button variant="secondary" onClick={() => setCreating(true)}>
              {`New ${noun}`}
            </Button>
            {draft.state !== 'absent' && draft.state !== 'deleted' ? (
              <ConfirmDialog
                trigger={<Button variant="danger">{`Remove ${noun}`}</Button>}
                title={`Remove the ${noun} "${nameOf(current)}"?`}
                description={removeDescription}
                confirmLabel={`Remove ${noun}`}
                onConfirm={draft.remove}
              />
            ) : null}
            {draft.state === 'modified' || draft.state === 'deleted' ? (
              <DiscardDraftButton what={`the ${noun} "${current}"`} onDiscard={draft.discard} />
            ) : null}
          </>
        )}
      </div>
      <NewItemDialog noun={noun} description={createDescription} open={creating} onOpenChange={setCreating} taken={keys} onCreate={onCreate} />
    </>
  )
}

function NewItemDialog({
  noun,
  description,
  open,
  onOpenChange,
  taken,
  onCreate,
}: {
  noun: string
  description: string
  open: boolean
  onOpenChange: (open: boolean) => void
  taken: string[]
  onCreate: (key: string, label: string) => void
}) {
  const [key, setKey] = useState('')
  const [label, setLabel] = useState('')
  const problem = !key
    ? null
    : !KEY_PATTERN.test(key)
      ? 'Lower-case letters, digits and dashes, starting with a letter'
      : taken.includes(key)
        ? 'That key is taken'
        : null
  return (
    <Dialog open={open} onOpenChange={onOpenChange}>
      <DialogContent title={`New ${noun}`} description={description}>
        <form
          onSubmit={(e) => {
            e.preventDefault()
            if (!key || problem || !label.trim()) return
            onOpenChange(false)
            onCreate(key, label.trim())
            setKey('')
            setLabel('')
          }}
        >
          <Field label="Name" value={label} onChange={(e) => setLabel(e.target.value)} required />
          <Field
            label="Key"
            value={key}
            onChange={(e) => setKey(e.target.value)}
            error={problem ?? undefined}
            hint={`Part of the address ${noun}s/<entity>/<key>`}
            required
          />
          <div className="dialog__actions">
            <Button variant="secondary" onClick={() => onOpenChange(false)}>
              Cancel
            </Button>
            <Button type="submit" disabled={!key || !!problem || !label.trim()}>
              {`Create ${noun}`}
            </Button>
          </div>
        </form>
      </DialogContent>
    </Dialog>
  )
}
