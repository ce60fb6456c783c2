// Builds a condition tree (a view's filter, a form field's visible-when, an automation's named
// condition): AND/OR/NOT groups of `field operator value` rows. Operators come from operatorsFor(type), values are typed for the
// field (options, numbers, dates), and validation issues show next to the row they concern.
import { useId } from 'react'
import {
  CHANGE_OPERATORS,
  LIST_OPERATORS,
  NUMBER_TYPES,
  VALUELESS_OPERATORS,
  operatorsFor,
  type Condition,
  type ConditionValue,
  type ConfigIssue,
  type FieldCondition,
  type FieldDef,
  type Operator,
} from '../../../server/config-language'
import { OPERATOR_LABELS } from '~/components/crm/operator-labels'
import { Button } from '~/components/ui/button'
import { NativeSelect, Input } from '~/components/ui/input'
import { isoToLocalInput } from '~/components/crm/field-values'
import type { MemberOption } from '~/components/crm/entities'
import { IssueNotes } from './issue-notes'
import { pathKey } from './studio-links'

type Path = (string | number)[]

type Group = { kind: 'all' | 'any'; children: Condition[] }

function asGroup(c: Condition): Group | null {
  if ('all' in c) return { kind: 'all', children: c.all }
  if ('any' in c) return { kind: 'any', children: c.any }
  return null
}
const fromGroup = (g: Group): Condition => (g.kind === 'all' ? { all: g.children } : { any: g.children })

function operatorsOf(def: FieldDef | undefined, allowChange: boolean): readonly Operator[] {
  const ops = def ? operatorsFor(def.type) : (['eq', 'neq', 'isEmpty', 'isNotEmpty'] as Operator[])
  return allowChange ? ops : ops.filter((o) => !CHANGE_OPERATORS.includes(o))
}

function defaultValue(def: FieldDef | undefined, op: Operator): ConditionValue | undefined {
  if (VALUELESS_OPERATORS.includes(op)) return undefined
  const first = def?.options?.[0]?.value
  if (LIST_OPERATORS.includes(op)) return first !== undefined ? [first] : []
  if (!def) return ''
  if (def.type === 'boolean') return true
  if (NUMBER_TYPES.includes(def.type)) return 0
  if ((def.type === 'select' || def.type === 'multiselect') && first !== undefined) return first
  return ''
}

/** Adapts the current value when the operator changes (a list ↔ one value), keeping what fits. */
function coerceValue(def: FieldDef | undefined, op: Operator, value: ConditionValue | undefined): ConditionValue | undefined {
  if (VALUELESS_OPERATORS.includes(op)) return undefined
  if (LIST_OPERATORS.includes(op)) {
    if (Array.isArray(value)) return value
    if (value === undefined || value === '' || typeof value === 'boolean') return defaultValue(def, op)
    return [value]
  }
  if (Array.isArray(value)) return value[0] ?? defaultValue(def, op)
  return value ?? defaultValue(def, op)
}

export function newFieldCondition(fields: readonly FieldDef[], allowChange = false): FieldCondition {
  const def = fields[0]
  const op = operatorsOf(def, allowChange)[0] ?? 'eq'
  const value = defaultValue(def, op)
  return value === undefined ? { field: def?.name ?? 'name', op } : { field: def?.name ?? 'name', op, value }
}

export type ConditionEditorProps = {
  value: Condition | undefined
  onChange: (next: Condition | undefined) => void
  fields: readonly FieldDef[]
  /** Where the tree sits in its item (['filter'], ['sections', 0, 'fields', 2, 'visibleWhen']). */
  basePath: Path
  /** The item's issues; each row shows those under its path. */
  issues: readonly ConfigIssue[]
  readOnly?: boolean
  /** changed/changedTo/changedFrom need a previous record: never in views and forms. */
  allowChange?: boolean
  /** What the tree is, for labels ("Filter", "Visible when"). */
  label: string
  /** Members, so user fields get a person picker instead of a text box. */
  members?: readonly MemberOption[]
}

export function ConditionEditor(props: ConditionEditorProps) {
  const { value, onChange, fields, basePath, readOnly, label } = props
  if (value === undefined) {
    return readOnly ? (
      <p className="muted">No condition.</p>
    ) : (
      <Button size="sm" variant="secondary" onClick={() => onChange({ all: [newFieldCondition(fields, props.allowChange)] })}>
        Add {label.toLowerCase()} condition
      </Button>
    )
  }
  // A root that is a single condition is shown as a one-row AND group; the tree is written back in
  // its simplest form (one row under AND is just that row).
  const group = asGroup(value)
  const virtual = group === null
  const shown: Group = group ?? { kind: 'all', children: [value] }
  const emit = (g: Group) => {
    if (g.children.length === 0) onChange(undefined)
    else if (g.kind === 'all' && g.children.length === 1 && !asGroup(g.children[0]!)) onChange(g.children[0]!)
    else onChange(fromGroup(g))
  }
  return (
    <GroupEditor
      {...props}
      group={shown}
      path={basePath}
      childPath={(i) => (virtual ? basePath : [...basePath, shown.kind, i])}
      onGroupChange={emit}
      depth={0}
      onRemove={readOnly ? undefined : () => onChange(undefined)}
    />
  )
}

function GroupEditor(
  props: ConditionEditorProps & {
    group: Group
    path: Path
    childPath: (i: number) => Path
    onGroupChange: (g: Group) => void
    depth: number
    onRemove?: () => void
  },
) {
  const { group, path, childPath, onGroupChange, depth, fields, readOnly, issues, label } = props
  const id = useId()
  const own = issues.filter((i) => pathKey(i.path) === pathKey(path))
  const setChild = (i: number, next: Condition | null) =>
    onGroupChange({ ...group, children: next === null ? group.children.filter((_, j) => j !== i) : group.children.map((c, j) => (j === i ? next : c)) })
  return (
    <fieldset className={`cond-group cond-group--depth-${depth}`} data-config-path={pathKey(path)}>
      <legend className="cond-group__legend">
        <label htmlFor={`${id}-kind`} className="visually-hidden">
          {depth === 0 ? label : 'Group'}: match
        </label>
        <span aria-hidden>Match</span>{' '}
        <NativeSelect
          id={`${id}-kind`}
          className="input--inline"
          value={group.kind}
          disabled={readOnly}
          onChange={(e) => onGroupChange({ ...group, kind: e.target.value as Group['kind'] })}
        >
          <option value="all">all (AND)</option>
          <option value="any">any (OR)</option>
        </NativeSelect>{' '}
        <span>of these conditions</span>
      </legend>
      <IssueNotes issues={own} />
      <ul className="cond-group__rows">
        {group.children.map((child, i) => (
          <li key={i} className="cond-group__row">
            <NodeEditor {...props} node={child} path={childPath(i)} depth={depth} onNodeChange={(next) => setChild(i, next)} />
          </li>
        ))}
      </ul>
      {readOnly ? null : (
        <div className="cond-group__actions">
          <Button
            size="sm"
            variant="secondary"
            onClick={() => onGroupChange({ ...group, children: [...group.children, newFieldCondition(fields, props.allowChange)] })}
          >
            + Condition
          </Button>
          {depth < 3 ? (
            <>
              <Button
                size="sm"
                variant="secondary"
                onClick={() => onGroupChange({ ...group, children: [...group.children, { any: [newFieldCondition(fields, props.allowChange)] }] })}
              >
                + Group
              </Button>
              <Button
                size="sm"
                variant="secondary"
                onClick={() => onGroupChange({ ...group, children: [...group.children, { not: { any: [newFieldCondition(fields, props.allowChange)] } }] })}
              >
                + None of (NOT)
              </Button>
            </>
          ) : null}
          {props.onRemove ? (
            <Button size="sm" variant="ghost" onClick={props.onRemove}>
              {depth === 0 ? `Remove ${label.toLowerCase()}` : 'Remove group'}
            </Button>
          ) : null}
        </div>
      )}
    </fieldset>
  )
}

function NodeEditor(props: ConditionEditorProps & { node: Condition; path: Path; depth: number; onNodeChange: (next: Condition | null) => void }) {
  const { node, path, depth, onNodeChange, readOnly, issues } = props
  const group = asGroup(node)
  if (group) {
    return (
      <GroupEditor
        {...props}
        group={group}
        path={path}
        childPath={(i) => [...path, group.kind, i]}
        onGroupChange={(g) => onNodeChange(fromGroup(g))}
        depth={depth + 1}
        onRemove={readOnly ? undefined : () => onNodeChange(null)}
      />
    )
  }
  if ('not' in node) {
    return (
      <div className="cond-not" data-config-path={pathKey(path)}>
        <span className="cond-not__label">NOT</span>
        <NodeEditor
          {...props}
          node={node.not}
          path={[...path, 'not']}
          depth={depth}
          onNodeChange={(next) => onNodeChange(next === null ? null : { not: next })}
        />
      </div>
    )
  }
  if ('ref' in node) {
    return (
      <div className="cond-row" data-config-path={pathKey(path)}>
        <span>
          Named condition <code>{node.ref}</code>
        </span>
        {readOnly ? null : (
          <Button size="sm" variant="ghost" onClick={() => onNodeChange(null)} aria-label={`Remove condition ${node.ref}`}>
            Remove
          </Button>
        )}
        <IssueNotes issues={issues.filter((i) => pathKey(i.path).startsWith(pathKey(path)))} />
      </div>
    )
  }
  return <LeafEditor {...props} leaf={node as FieldCondition} path={path} onLeafChange={onNodeChange} />
}

function LeafEditor({
  leaf,
  path,
  onLeafChange,
  fields,
  readOnly,
  issues,
  allowChange = false,
  members,
}: ConditionEditorProps & { leaf: FieldCondition; path: Path; onLeafChange: (next: FieldCondition | null) => void }) {
  const id = useId()
  const def = fields.find((f) => f.name === leaf.field)
  const ops = operatorsOf(def, allowChange)
  const mine = issues.filter((i) => {
    const k = pathKey(i.path)
    const p = pathKey(path)
    return k === p || k.startsWith(`${p}.`)
  })
  const fieldName = def?.label ?? leaf.field
  const set = (patch: Partial<FieldCondition>) => {
    const next: FieldCondition = { ...leaf, ...patch }
    if (next.value === undefined) delete next.value
    onLeafChange(next)
  }
  return (
    <div className={`cond-row${mine.length ? ' has-issues' : ''}`} data-config-path={pathKey(path)} data-testid={`condition-${leaf.field}`}>
      <div className="cond-row__inputs">
        <label htmlFor={`${id}-field`} className="visually-hidden">
          Field
        </label>
        <NativeSelect
          id={`${id}-field`}
          value={leaf.field}
          disabled={readOnly}
          aria-invalid={def ? undefined : true}
          onChange={(e) => {
            const nextDef = fields.find((f) => f.name === e.target.value)
            const op = operatorsOf(nextDef, allowChange)[0] ?? 'eq'
            const value = defaultValue(nextDef, op)
            onLeafChange(value === undefined ? { field: e.target.value, op } : { field: e.target.value, op, value })
          }}
        >
          {def ? null : <option value={leaf.field}>{leaf.field} (unknown field)</option>}
          {fields.map((f) => (
            <option key={f.name} value={f.name}>
              {f.label}
            </option>
          ))}
        </NativeSelect>
        <label htmlFor={`${id}-op`} className="visually-hidden">
          Operator for {fieldName}
        </label>
        <NativeSelect
          id={`${id}-op`}
          value={leaf.op}
          disabled={readOnly}
          onChange={(e) => {
            const op = e.target.value as Operator
            set({ op, value: coerceValue(def, op, leaf.value) })
          }}
        >
          {ops.includes(leaf.op) ? null : <option value={leaf.op}>{OPERATOR_LABELS[leaf.op] ?? leaf.op} (does not fit)</option>}
          {ops.map((op) => (
            <option key={op} value={op}>
              {OPERATOR_LABELS[op]}
            </option>
          ))}
        </NativeSelect>
        <ValueInput
          id={`${id}-value`}
          def={def}
          op={leaf.op}
          value={leaf.value}
          readOnly={readOnly}
          fieldName={fieldName}
          members={members}
          onChange={(value) => set({ value })}
        />
        {readOnly ? null : (
          <button
            type="button"
            className="icon-btn icon-btn--danger"
            onClick={() => onLeafChange(null)}
            aria-label={`Remove condition on ${fieldName}`}
            title="Remove condition"
          >
            ✕
          </button>
        )}
      </div>
      <IssueNotes issues={mine} />
    </div>
  )
}

function toLocalInput(iso: unknown): string {
  if (typeof iso !== 'string' || !iso || Number.isNaN(new Date(iso).getTime())) return ''
  return isoToLocalInput(iso)
}

function ValueInput({
  id,
  def,
  op,
  value,
  readOnly,
  fieldName,
  members,
  onChange,
}: {
  id: string
  def: FieldDef | undefined
  op: Operator
  value: ConditionValue | undefined
  readOnly?: boolean
  fieldName: string
  members?: readonly MemberOption[]
  onChange: (value: ConditionValue | undefined) => void
}) {
  if (VALUELESS_OPERATORS.includes(op)) return null
  const label = (
    <label htmlFor={id} className="visually-hidden">
      Value for {fieldName}
    </label>
  )
  // A user field compares member ids: offer the people by name.
  const options = def?.type === 'user' && members ? members.map((m) => ({ value: m.id, label: m.name })) : (def?.options ?? [])
  const isNumber = def ? NUMBER_TYPES.includes(def.type) : false
  if (LIST_OPERATORS.includes(op)) {
    const list = Array.isArray(value) ? value : []
    if (options.length) {
      return (
        <fieldset className="cond-options" id={id}>
          <legend className="visually-hidden">Values for {fieldName}</legend>
          {options.map((o) => (
            <label key={o.value} className="check">
              <input
                type="checkbox"
                disabled={readOnly}
                checked={list.includes(o.value)}
                onChange={(e) => onChange(e.target.checked ? [...list, o.value] : list.filter((v) => v !== o.value))}
              />
              {o.label}
            </label>
          ))}
        </fieldset>
      )
    }
    return (
      <>
        {label}
        <Input
          id={id}
          readOnly={readOnly}
          placeholder="a, b, c"
          defaultValue={list.join(', ')}
          onChange={(e) => {
            const parts = e.target.value
              .split(',')
              .map((s) => s.trim())
              .filter(Boolean)
            onChange(isNumber ? parts.map(Number) : parts)
          }}
        />
      </>
    )
  }
  if (options.length) {
    return (
      <>
        {label}
        <NativeSelect id={id} value={typeof value === 'string' ? value : ''} disabled={readOnly} onChange={(e) => onChange(e.target.value)}>
          {typeof value === 'string' && !options.some((o) => o.value === value) ? <option value={value}>{value || '(choose)'}</option> : null}
          {options.map((o) => (
            <option key={o.value} value={o.value}>
              {o.label}
            </option>
          ))}
        </NativeSelect>
      </>
    )
  }
  if (def?.type === 'boolean') {
    return (
      <>
        {label}
        <NativeSelect id={id} value={String(value === true)} disabled={readOnly} onChange={(e) => onChange(e.target.value === 'true')}>
          <option value="true">yes</option>
          <option value="false">no</option>
        </NativeSelect>
      </>
    )
  }
  if (isNumber) {
    return (
      <>
        {label}
        <Input
          id={id}
          type="number"
          readOnly={readOnly}
          value={typeof value === 'number' ? value : ''}
          onChange={(e) => onChange(e.target.value === '' ? '' : Number(e.target.value))}
        />
      </>
    )
  }
  if (def?.type === 'date') {
    return (
      <>
        {label}
        <Input id={id} type="date" readOnly={readOnly} value={typeof value === 'string' ? value : ''} onChange={(e) => onChange(e.target.value)} />
      </>
    )
  }
  if (def?.type === 'datetime') {
    return (
      <>
        {label}
        <Input
          id={id}
          type="datetime-local"
          readOnly={readOnly}
          value={toLocalInput(value)}
          onChange={(e) => onChange(e.target.value ? new Date(e.target.value).toISOString() : '')}
        />
      </>
    )
  }
  return (
    <>
      {label}
      <Input
        id={id}
        readOnly={readOnly}
        value={typeof value === 'string' || typeof value === 'number' ? String(value) : ''}
        onChange={(e) => onChange(e.target.value)}
      />
    </>
  )
}
