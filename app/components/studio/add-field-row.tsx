// The "add one more" row under a list of fields (a form section's fields, a view's columns): a
// select of the fields not yet in the list and an add button.
import { useState } from 'react'
import type { FieldDef } from '../../../server/config-language'
import { Button } from '~/components/ui/button'
import { NativeSelect } from '~/components/ui/input'
import { Label } from '~/components/ui/label'

type Props = {
  /** The fields that can still be added. */
  available: readonly FieldDef[]
  /** The select's accessible name. */
  selectLabel: string
  /** With an id the select also gets a visually hidden <label>. */
  id?: string
  /** The select's only option when nothing is left to add. */
  emptyText: string
  buttonText: string
  onAdd: (field: string) => void
}

export function AddFieldRow({ available, selectLabel, id, emptyText, buttonText, onAdd }: Props) {
  const [toAdd, setToAdd] = useState('')
  const add = toAdd && available.some((f) => f.name === toAdd) ? toAdd : (available[0]?.name ?? '')
  return (
    <div className="add-row">
      {id ? (
        <Label htmlFor={id} className="visually-hidden">
          {selectLabel}
        </Label>
      ) : null}
      <NativeSelect id={id} value={add} onChange={(e) => setToAdd(e.target.value)} disabled={available.length === 0} aria-label={selectLabel}>
        {available.length === 0 ? <option value="">{emptyText}</option> : null}
        {available.map((f) => (
          <option key={f.name} value={f.name}>
            {f.label}
          </option>
        ))}
      </NativeSelect>
      <Button
        size="sm"
        variant="secondary"
        disabled={!add}
        onClick={() => {
          onAdd(add)
          setToAdd('')
        }}
      >
        {buttonText}
      </Button>
    </div>
  )
}
