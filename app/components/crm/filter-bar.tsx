// The ad-hoc filters of a table: chips ANDed together, added through a small popover that offers
// the entity's fields, the operators that fit the field's type (operatorsFor) and a value input
// that fits the type.
import { useId, useState, type FormEvent } from 'react'
import { Popover } from 'radix-ui'
import {
  CHANGE_OPERATORS,
  LIST_OPERATORS,
  NUMBER_TYPES,
  VALUELESS_OPERATORS,
  operatorsFor,
  type FieldCondition,
  type FieldDef,
  type Operator,
} from '../../../server/config-language'
import { Button } from '~/components/ui/button'
import { Input, NativeSelect } from '~/components/ui/input'
import { Label } from '~/components/ui/label'
import type { LookupLabels, MemberOption } from './entities'
import { optionLabel } from './field-display'
import { FieldControl } from './field-inputs'
import { fromInputValue, toInputValue } from './field-values'
import { OPERATOR_LABELS } from './operator-labels'

const TEMPORAL_LABELS: Partial<Record<Operator, string>> = { gt: 'after', gte: 'on or after', lt: 'before', lte: 'on or before' }

export function operatorLabel(def: FieldDef | undefined, op: Operator): string {
  if (def && (def.type === 'date' || def.type === 'datetime')) return TEMPORAL_LABELS[op] ?? OPERATOR_LABELS[op]
  if (def?.type === 'multiselect' && op === 'contains') return 'has'
  return OPERATOR_LABELS[op]
}

/** Operators a view filter offers: those of the type, without the change operators (no "before" in a list). */
export function filterOperators(def: FieldDef): Operator[] {
  return operatorsFor(def.type).filter((op) => !CHANGE_OPERATORS.includes(op))
}

type Ctx = { members?: readonly MemberOption[]; lookupLabels?: LookupLabels }

function valueText(def: FieldDef | undefined, value: unknown, ctx: Ctx): string {
  if (value === undefined) return ''
  const one = (v: unknown): string => {
    if (!def) return String(v)
    if (def.type === 'select' || def.type === 'multiselect') return optionLabel(def, v)
    if (def.type === 'boolean') return v === true ? 'Yes' : 'No'
    if (def.type === 'user') return ctx.members?.find((m) => m.id === v)?.name ?? String(v)
    if (def.type === 'lookup') return ctx.lookupLabels?.[String(v)] ?? String(v)
    return String(v)
  }
  return Array.isArray(value) ? value.map(one).join(', ') : one(value)
}

export function describeFilter(fields: readonly FieldDef[], c: FieldCondition, ctx: Ctx): string {
  const def = fields.find((f) => f.name === c.field)
  const text = valueText(def, c.value, ctx)
  return `${def?.label ?? c.field} ${operatorLabel(def, c.op)}${text ? ` ${text}` : ''}`
}

export function FilterBar({
  fields,
  filters,
  onChange,
  members,
  lookupLabels,
}: {
  fields: readonly FieldDef[]
  filters: FieldCondition[]
  onChange: (next: FieldCondition[]) => void
  members?: readonly MemberOption[]
  lookupLabels?: LookupLabels
}) {
  const [open, setOpen] = useState(false)
  return (
    <div className="filter-bar" role="group" aria-label="Filters">
      {filters.map((c, i) => (
        <span key={`${i}-${c.field}-${c.op}`} className="chip" data-testid="filter-chip">
          <span>{describeFilter(fields, c, { members, lookupLabels })}</span>
          <button
            type="button"
            className="chip__remove"
            aria-label={`Remove filter ${describeFilter(fields, c, { members, lookupLabels })}`}
            onClick={() => onChange(filters.filter((_, j) => j !== i))}
          >
            ×
          </button>
        </span>
      ))}
      <Popover.Root open={open} onOpenChange={setOpen}>
        <Popover.Trigger asChild>
          <Button variant="secondary" size="sm">
            + Filter
          </Button>
        </Popover.Trigger>
        <Popover.Portal>
          <Popover.Content className="popover" sideOffset={6} align="start">
            <AddFilterForm
              fields={fields}
              members={members}
              lookupLabels={lookupLabels}
              onAdd={(c) => {
                onChange([...filters, c])
                setOpen(false)
              }}
            />
          </Popover.Content>
        </Popover.Portal>
      </Popover.Root>
      {filters.length > 1 ? (
        <Button variant="ghost" size="sm" onClick={() => onChange([])}>
          Clear all
        </Button>
      ) : null}
    </div>
  )
}

function AddFilterForm({ fields, members, lookupLabels, onAdd }: { fields: readonly FieldDef[]; onAdd: (c: FieldCondition) => void } & Ctx) {
  const id = useId()
  const [fieldName, setFieldName] = useState(fields[0]?.name ?? '')
  const def = fields.find((f) => f.name === fieldName)
  const ops = def ? filterOperators(def) : []
  const [opState, setOp] = useState<Operator>(ops[0] ?? 'eq')
  const op = ops.includes(opState) ? opState : (ops[0] ?? 'eq')
  const [input, setInput] = useState<unknown>('')
  const [error, setError] = useState<string | null>(null)

  const valueless = VALUELESS_OPERATORS.includes(op)
  const list = LIST_OPERATORS.includes(op)
  const hasOptions = (def?.options?.length ?? 0) > 0
  // The value control reuses the form inputs with a fitting definition: a list of options becomes
  // checkboxes, `contains` on a multiselect picks one option, booleans pick yes or no.
  const valueDef: FieldDef | undefined = def && {
    ...def,
    required: false,
    default: undefined,
    min: undefined,
    max: undefined,
    type: list && hasOptions ? 'multiselect' : def.type === 'multiselect' ? (hasOptions ? 'select' : 'text') : def.type,
  }

  const reset = (name: string) => {
    setFieldName(name)
    setInput('')
    setError(null)
  }

  const submit = (e: FormEvent) => {
    e.preventDefault()
    e.stopPropagation()
    if (!def || !valueDef) return
    if (valueless) return onAdd({ field: def.name, op })
    let value: unknown
    if (list) {
      if (Array.isArray(input)) value = input
      else {
        const parts = String(input ?? '')
          .split(',')
          .map((s) => s.trim())
          .filter(Boolean)
        value = NUMBER_TYPES.includes(def.type) ? parts.map(Number) : parts
      }
      if (!Array.isArray(value) || value.length === 0 || value.some((v) => typeof v === 'number' && !Number.isFinite(v))) {
        return setError(hasOptions ? 'Pick at least one option' : 'Enter one or more values, separated by commas')
      }
    } else if (def.type === 'boolean') {
      value = input !== 'false'
    } else {
      value = fromInputValue(valueDef, input)
      if (value === null || value === undefined || value === '') return setError('Enter a value')
      if (NUMBER_TYPES.includes(def.type) && typeof value !== 'number') return setError('Enter a number')
    }
    onAdd({ field: def.name, op, value: value as FieldCondition['value'] })
  }

  return (
    <form className="filter-form" onSubmit={submit} aria-label="Add a filter">
      <div className="field">
        <Label htmlFor={`${id}-field`}>Field</Label>
        <NativeSelect id={`${id}-field`} value={fieldName} onChange={(e) => reset(e.target.value)}>
          {fields.map((f) => (
            <option key={f.name} value={f.name}>
              {f.label}
            </option>
          ))}
        </NativeSelect>
      </div>
      <div className="field">
        <Label htmlFor={`${id}-op`}>Condition</Label>
        <NativeSelect id={`${id}-op`} value={op} onChange={(e) => setOp(e.target.value as Operator)}>
          {ops.map((o) => (
            <option key={o} value={o}>
              {operatorLabel(def, o)}
            </option>
          ))}
        </NativeSelect>
      </div>
      {valueless || !valueDef ? null : (
        <div className="field">
          <Label htmlFor={`${id}-value`} id={`${id}-value-label`}>
            Value
          </Label>
          {def?.type === 'boolean' ? (
            <NativeSelect id={`${id}-value`} value={String(input || 'true')} onChange={(e) => setInput(e.target.value)}>
              <option value="true">Yes</option>
              <option value="false">No</option>
            </NativeSelect>
          ) : list && !hasOptions ? (
            <Input id={`${id}-value`} value={String(input ?? '')} onChange={(e) => setInput(e.target.value)} placeholder="a, b, c" />
          ) : (
            <FieldControl
              id={`${id}-value`}
              labelId={`${id}-value-label`}
              def={valueDef}
              value={input === '' ? toInputValue(valueDef, undefined) : input}
              onChange={(v) => {
                setInput(v)
                setError(null)
              }}
              onBlur={() => undefined}
              invalid={Boolean(error)}
              describedBy={error ? `${id}-error` : undefined}
              members={members}
              lookupLabels={lookupLabels}
            />
          )}
          {error ? (
            <p id={`${id}-error`} className="field__error">
              {error}
            </p>
          ) : null}
        </div>
      )}
      <div className="filter-form__actions">
        <Button type="submit" size="sm">
          Apply filter
        </Button>
      </div>
    </form>
  )
}
