// Notify messages may name record fields as `{{field}}` placeholders (validated as field
// references). Rendering is here so the automation engine and the dry-run trace agree.
import type { Entity } from './address'
import type { FieldDef } from './field-def'
import { readField, type RecordLike } from './record'
import { MESSAGE_PLACEHOLDER } from './schemas'

export function renderMessage(template: string, record: RecordLike, ctx: { fields?: readonly FieldDef[]; entity?: Entity } = {}): string {
  return template.replace(MESSAGE_PLACEHOLDER, (_match, name: string) => {
    const def = ctx.fields?.find((f) => f.name === name)
    const value = readField(record, def ?? name, ctx.entity)
    if (value === undefined || value === null) return ''
    if (Array.isArray(value)) return value.join(', ')
    // Show the option's label, not its stored value ("Urgent", not "urgent").
    const option = def?.options?.find((o) => o.value === value)
    return option ? option.label : String(value)
  })
}
