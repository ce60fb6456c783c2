// The built-in fields of each entity: real columns of the record tables, which the server, the
// dashboard and the SLA engine rely on. Admins may relabel them, add help text, change a default
// or add select options, but not remove them, change their type, relax `required` or drop an
// option the product logic names (validate.ts: builtin_field_removed / builtin_field_changed).
import type { Entity } from './address'
import type { FieldDef } from './field-def'

/** Set by the server on every write; readable in views and conditions, never written by a client. */
export const SYSTEM_FIELD_NAMES = ['createdAt', 'updatedAt'] as const

/** Names a custom field may not take: they are record columns or the record envelope itself. */
export const RESERVED_FIELD_NAMES = ['id', 'data', 'version', 'tenantId', 'deletedAt'] as const

export const DEAL_STAGES = ['qualification', 'proposal', 'negotiation', 'won', 'lost'] as const
export const CASE_STATUSES = ['new', 'open', 'pending', 'resolved', 'closed'] as const
export const CASE_PRIORITIES = ['low', 'normal', 'high', 'urgent'] as const

/** The user field an `assign` action sets, per entity. */
export const ASSIGNEE_FIELD: Record<Entity, string> = { customer: 'owner', deal: 'owner', case: 'assignee' }

/** The multiselect an `addTag` action adds to; every entity has it. */
export const TAGS_FIELD = 'tags'

function builtIn(def: Omit<FieldDef, 'builtIn' | 'required'> & { required?: boolean }): FieldDef {
  return { required: false, ...def, builtIn: true }
}

const title = (s: string) => s.charAt(0).toUpperCase() + s.slice(1)
const options = (values: readonly string[]) => values.map((value) => ({ value, label: title(value) }))

// Free tagging: a multiselect without options accepts any tag (see field-values.ts).
const tags = builtIn({ name: TAGS_FIELD, label: 'Tags', type: 'multiselect', options: [] })
const createdAt = builtIn({ name: 'createdAt', label: 'Created', type: 'datetime' })
const updatedAt = builtIn({ name: 'updatedAt', label: 'Updated', type: 'datetime' })

export const BUILT_IN_FIELDS: Readonly<Record<Entity, readonly FieldDef[]>> = {
  customer: [
    builtIn({ name: 'name', label: 'Name', type: 'text', required: true, max: 200 }),
    builtIn({ name: 'email', label: 'Email', type: 'email' }),
    builtIn({ name: 'phone', label: 'Phone', type: 'phone' }),
    builtIn({ name: 'company', label: 'Company', type: 'text', max: 200 }),
    builtIn({ name: 'owner', label: 'Owner', type: 'user' }),
    tags,
    createdAt,
    updatedAt,
  ],
  deal: [
    builtIn({ name: 'name', label: 'Deal name', type: 'text', required: true, max: 200 }),
    builtIn({ name: 'customerId', label: 'Customer', type: 'lookup', lookupEntity: 'customer', required: true }),
    // The column is numeric(18, 2): a larger amount would fail in the database, not in validation.
    builtIn({ name: 'amount', label: 'Amount', type: 'currency', min: 0, max: 1_000_000_000_000_000 }),
    builtIn({ name: 'stage', label: 'Stage', type: 'select', required: true, options: options(DEAL_STAGES), default: 'qualification' }),
    builtIn({ name: 'closeDate', label: 'Close date', type: 'date' }),
    builtIn({ name: 'owner', label: 'Owner', type: 'user' }),
    tags,
    createdAt,
    updatedAt,
  ],
  case: [
    builtIn({ name: 'subject', label: 'Subject', type: 'text', required: true, max: 300 }),
    builtIn({ name: 'customerId', label: 'Customer', type: 'lookup', lookupEntity: 'customer', required: true }),
    builtIn({ name: 'status', label: 'Status', type: 'select', required: true, options: options(CASE_STATUSES), default: 'new' }),
    builtIn({ name: 'priority', label: 'Priority', type: 'select', required: true, options: options(CASE_PRIORITIES), default: 'normal' }),
    builtIn({ name: 'assignee', label: 'Assignee', type: 'user' }),
    builtIn({ name: 'description', label: 'Description', type: 'textarea', max: 20000 }),
    tags,
    createdAt,
    updatedAt,
  ],
}

export function builtInField(entity: Entity, name: string): FieldDef | undefined {
  return BUILT_IN_FIELDS[entity].find((f) => f.name === name)
}

export function isBuiltInFieldName(entity: Entity, name: string): boolean {
  return builtInField(entity, name) !== undefined
}

export function isSystemField(name: string): boolean {
  return (SYSTEM_FIELD_NAMES as readonly string[]).includes(name)
}
