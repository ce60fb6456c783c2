// The action builder: one form per action type (set a field, assign, add a tag, create a record,
// notify, call a webhook, request an approval), with inputs typed by the fields they concern and the
// item's validation issues next to the input they are about.
import { useId, useRef, type ReactNode } from 'react'
import {
  ACTION_TYPES,
  ENTITIES,
  ROLES,
  TEXT_TYPES,
  isSystemField,
  type ActionContent,
  type ActionOf,
  type ActionType,
  type ConfigIndex,
  type ConfigIssue,
  type Entity,
  type FieldDef,
} from '../../../server/config-language'
import { ENTITY_META, type MemberOption } from '~/components/crm/entities'
import { FieldControl } from '~/components/crm/field-inputs'
import { fromInputValue, toInputValue } from '~/components/crm/field-values'
import { Button } from '~/components/ui/button'
import { Input, NativeSelect } from '~/components/ui/input'
import { Label } from '~/components/ui/label'
import { ROLE_LABELS } from '~/utils/viewer'
import { ACTION_TYPE_LABELS } from './automation-words'
import { insertPlaceholder } from './condition-tree'
import { IssueNotes, issuesAt, issuesUnder } from './issue-notes'

export function looksLikeAction(c: unknown): c is ActionContent {
  return !!c && typeof c === 'object' && (ACTION_TYPES as readonly unknown[]).includes((c as { type?: unknown }).type)
}

/** A fresh action of a type, filled with the first sensible choices. */
export function newAction(type: ActionType, entity: Entity, fields: readonly FieldDef[], index: ConfigIndex): ActionContent {
  const settable = fields.filter((f) => !isSystemField(f.name))
  switch (type) {
    case 'setField':
      return { type, field: settable[0]?.name ?? 'name', value: null }
    case 'assign':
      return { type, to: { roundRobinRole: 'AGENT' } }
    case 'addTag':
      return { type, tag: 'follow-up' }
    case 'createRecord':
      return { type, entity: 'case', values: { [ENTITY_META.case.titleField]: 'Follow-up' } }
    case 'notify': {
      const userField = fields.find((f) => f.type === 'user')
      return {
        type,
        ...(userField ? { userFields: [userField.name] } : { roles: ['MANAGER' as const] }),
        message: `${ENTITY_META[entity].singular} update: {{${ENTITY_META[entity].titleField}}}`,
      }
    }
    case 'webhook':
      return { type, url: 'https://example.com/hooks/pulse8', retries: 3 }
    case 'requestApproval':
      return { type, approval: index.list('approvals', entity)[0]?.key ?? 'approval' }
  }
}

/** A first value that fits a field, so a new row starts valid where it can. */
export function starterValue(def: FieldDef | undefined): string | number | boolean | string[] {
  if (!def) return ''
  if (def.type === 'boolean') return false
  if (def.type === 'multiselect') return []
  if (['number', 'currency', 'percent'].includes(def.type)) return 0
  return def.options?.[0]?.value ?? ''
}

type Common = {
  entity: Entity
  /** The entity's fields in the working set. */
  fields: readonly FieldDef[]
  index: ConfigIndex
  members: readonly MemberOption[]
  issues: readonly ConfigIssue[]
  readOnly: boolean
}

export function ActionBuilder({ content, onChange, ...common }: Common & { content: ActionContent; onChange: (next: ActionContent) => void }) {
  const id = useId()
  const { issues, readOnly, entity, fields, index } = common
  return (
    <div className="action-builder">
      <IssueNotes issues={issuesAt(issues, [])} />
      <div className="field" data-config-path="type">
        <Label htmlFor={`${id}-type`}>Do</Label>
        <NativeSelect
          id={`${id}-type`}
          value={content.type}
          disabled={readOnly}
          onChange={(e) => onChange(newAction(e.target.value as ActionType, entity, fields, index))}
        >
          {ACTION_TYPES.map((t) => (
            <option key={t} value={t}>
              {ACTION_TYPE_LABELS[t]}
            </option>
          ))}
        </NativeSelect>
      </div>
      <ActionForm id={id} content={content} onChange={onChange} {...common} />
    </div>
  )
}

function ActionForm({ id, content, onChange, ...common }: Common & { id: string; content: ActionContent; onChange: (next: ActionContent) => void }) {
  switch (content.type) {
    case 'setField':
      return <SetFieldForm id={id} a={content} onChange={onChange} {...common} />
    case 'assign':
      return <AssignForm id={id} a={content} onChange={onChange} {...common} />
    case 'addTag':
      return (
        <Row id={`${id}-tag`} label="Tag" path="tag" issues={common.issues}>
          <Input
            id={`${id}-tag`}
            value={content.tag}
            maxLength={50}
            readOnly={common.readOnly}
            onChange={(e) => onChange({ ...content, tag: e.target.value })}
          />
        </Row>
      )
    case 'createRecord':
      return <CreateRecordForm id={id} a={content} onChange={onChange} {...common} />
    case 'notify':
      return <NotifyForm id={id} a={content} onChange={onChange} {...common} />
    case 'webhook':
      return <WebhookForm id={id} a={content} onChange={onChange} {...common} />
    case 'requestApproval': {
      const rules = common.index.list('approvals', common.entity)
      return (
        <Row id={`${id}-approval`} label="Approval rule" path="approval" issues={common.issues}>
          <NativeSelect
            id={`${id}-approval`}
            value={content.approval}
            disabled={common.readOnly}
            onChange={(e) => onChange({ ...content, approval: e.target.value })}
          >
            {rules.some((r) => r.key === content.approval) ? null : <option value={content.approval}>{content.approval} (no such rule)</option>}
            {rules.map((r) => (
              <option key={r.key} value={r.key}>
                {r.content.label}
              </option>
            ))}
          </NativeSelect>
        </Row>
      )
    }
  }
}

function Row({ id, label, path, issues, children }: { id: string; label: string; path: string; issues: readonly ConfigIssue[]; children: ReactNode }) {
  return (
    <div className="field" data-config-path={path}>
      <Label htmlFor={id}>{label}</Label>
      {children}
      <IssueNotes issues={issuesUnder(issues, path.split('.'))} />
    </div>
  )
}

/** A value typed for its field: the CRM's own input of that field type (select options, people, dates…). */
export function TypedValueInput({
  id,
  def,
  value,
  onChange,
  members,
  readOnly,
}: {
  id: string
  def: FieldDef
  value: unknown
  onChange: (value: unknown) => void
  members: readonly MemberOption[]
  readOnly: boolean
}) {
  // Text is kept as typed (trimming on every keystroke would eat the space being typed).
  const fromInput = (v: unknown) => (TEXT_TYPES.includes(def.type) ? (v === '' ? null : v) : fromInputValue(def, v))
  return (
    <FieldControl
      id={id}
      labelId={`${id}-label`}
      def={def}
      value={toInputValue(def, value)}
      onChange={(v) => onChange(fromInput(v) ?? null)}
      onBlur={() => undefined}
      disabled={readOnly}
      members={members}
    />
  )
}

function FieldPicker({
  id,
  value,
  fields,
  readOnly,
  onChange,
  extra,
}: {
  id: string
  value: string
  fields: readonly FieldDef[]
  readOnly: boolean
  onChange: (name: string) => void
  extra?: ReactNode
}) {
  return (
    <NativeSelect id={id} value={value} disabled={readOnly} onChange={(e) => onChange(e.target.value)}>
      {extra}
      {fields.some((f) => f.name === value) || value === 'id' ? null : <option value={value}>{value} (unknown field)</option>}
      {fields.map((f) => (
        <option key={f.name} value={f.name}>
          {f.label}
        </option>
      ))}
    </NativeSelect>
  )
}

function SetFieldForm({
  id,
  a,
  onChange,
  fields,
  members,
  issues,
  readOnly,
}: Common & { id: string; a: ActionOf<'setField'>; onChange: (n: ActionContent) => void }) {
  const settable = fields.filter((f) => !isSystemField(f.name))
  const def = fields.find((f) => f.name === a.field)
  return (
    <>
      <Row id={`${id}-field`} label="Field" path="field" issues={issues}>
        <FieldPicker id={`${id}-field`} value={a.field} fields={settable} readOnly={readOnly} onChange={(field) => onChange({ ...a, field, value: null })} />
      </Row>
      <div className="field" data-config-path="value">
        <span className="label" id={`${id}-value-label`}>
          To
        </span>
        <label className="check">
          <input
            type="checkbox"
            disabled={readOnly}
            checked={a.value === null}
            onChange={(e) => onChange({ ...a, value: e.target.checked ? null : starterValue(def) })}
          />
          Clear the field (empty)
        </label>
        {a.value !== null && def ? (
          <TypedValueInput
            id={`${id}-value`}
            def={def}
            value={a.value}
            members={members}
            readOnly={readOnly}
            onChange={(value) => onChange({ ...a, value: value as never })}
          />
        ) : null}
        <IssueNotes issues={issuesUnder(issues, ['value'])} />
      </div>
    </>
  )
}

const ASSIGNABLE_ROLES = ROLES.filter((r) => r !== 'VIEWER')

function AssignForm({ id, a, onChange, members, issues, readOnly }: Common & { id: string; a: ActionOf<'assign'>; onChange: (n: ActionContent) => void }) {
  const person = 'userId' in a.to
  return (
    <fieldset className="field" data-config-path="to">
      <legend className="label">Assign to</legend>
      <label className="check">
        <input type="radio" name={`${id}-mode`} disabled={readOnly} checked={!person} onChange={() => onChange({ ...a, to: { roundRobinRole: 'AGENT' } })} />
        Round-robin over a role
      </label>
      <label className="check">
        <input
          type="radio"
          name={`${id}-mode`}
          disabled={readOnly}
          checked={person}
          onChange={() => onChange({ ...a, to: { userId: members[0]?.id ?? '' } })}
        />
        A person
      </label>
      {'userId' in a.to ? (
        <>
          <label className="visually-hidden" htmlFor={`${id}-user`}>
            Person
          </label>
          <NativeSelect id={`${id}-user`} value={a.to.userId} disabled={readOnly} onChange={(e) => onChange({ ...a, to: { userId: e.target.value } })}>
            {members.some((m) => m.id === (a.to as { userId: string }).userId) ? null : <option value={a.to.userId}>(choose a person)</option>}
            {members.map((m) => (
              <option key={m.id} value={m.id}>
                {m.name}
              </option>
            ))}
          </NativeSelect>
        </>
      ) : (
        <>
          <label className="visually-hidden" htmlFor={`${id}-role`}>
            Role
          </label>
          <NativeSelect
            id={`${id}-role`}
            value={a.to.roundRobinRole}
            disabled={readOnly}
            onChange={(e) => onChange({ ...a, to: { roundRobinRole: e.target.value as (typeof ROLES)[number] } })}
          >
            {ASSIGNABLE_ROLES.map((r) => (
              <option key={r} value={r}>
                {ROLE_LABELS[r]}s, in turn
              </option>
            ))}
          </NativeSelect>
        </>
      )}
      <IssueNotes issues={issuesUnder(issues, ['to'])} />
    </fieldset>
  )
}

type CreateValue = ActionOf<'createRecord'>['values'][string]
const isCopy = (v: CreateValue): v is { copyFrom: string } => !!v && typeof v === 'object' && !Array.isArray(v) && 'copyFrom' in v

function CreateRecordForm({
  id,
  a,
  onChange,
  entity,
  fields,
  index,
  members,
  issues,
  readOnly,
}: Common & { id: string; a: ActionOf<'createRecord'>; onChange: (n: ActionContent) => void }) {
  const target = (index.fields(a.entity) ?? []).filter((f) => !isSystemField(f.name))
  const entries = Object.entries(a.values)
  const unused = target.filter((f) => !(f.name in a.values))
  const setValues = (values: ActionOf<'createRecord'>['values']) => onChange({ ...a, values })
  const setValue = (name: string, value: CreateValue) => setValues({ ...a.values, [name]: value })
  const starter = (name: string) => starterValue(target.find((f) => f.name === name))
  const rename = (from: string, to: string) => setValues(Object.fromEntries(entries.map(([k, v]) => (k === from ? [to, starter(to)] : [k, v]))))
  return (
    <>
      <Row id={`${id}-entity`} label="New record of" path="entity" issues={issues}>
        <NativeSelect
          id={`${id}-entity`}
          value={a.entity}
          disabled={readOnly}
          onChange={(e) => onChange({ ...a, entity: e.target.value as Entity, values: {} })}
        >
          {ENTITIES.map((e) => (
            <option key={e} value={e}>
              {ENTITY_META[e].singular}
            </option>
          ))}
        </NativeSelect>
      </Row>
      <fieldset className="create-values" data-config-path="values">
        <legend className="label">Values</legend>
        <IssueNotes issues={issuesAt(issues, ['values'])} />
        <ul className="create-values__rows">
          {entries.map(([name, value], i) => {
            const def = target.find((f) => f.name === name)
            const label = def?.label ?? name
            return (
              <li key={name} className="create-values__row" data-config-path={`values.${name}`}>
                <label className="visually-hidden" htmlFor={`${id}-v${i}-field`}>
                  Field {i + 1}
                </label>
                <FieldPicker
                  id={`${id}-v${i}-field`}
                  value={name}
                  fields={target.filter((f) => f.name === name || !(f.name in a.values))}
                  readOnly={readOnly}
                  onChange={(to) => rename(name, to)}
                />
                <label className="visually-hidden" htmlFor={`${id}-v${i}-mode`}>
                  How {label} is filled
                </label>
                <NativeSelect
                  id={`${id}-v${i}-mode`}
                  value={isCopy(value) ? 'copy' : 'value'}
                  disabled={readOnly}
                  onChange={(e) => setValue(name, e.target.value === 'copy' ? { copyFrom: 'id' } : starter(name))}
                >
                  <option value="value">set to</option>
                  <option value="copy">copy from the {ENTITY_META[entity].singular.toLowerCase()}&apos;s</option>
                </NativeSelect>
                {isCopy(value) ? (
                  <>
                    <label className="visually-hidden" htmlFor={`${id}-v${i}-source`}>
                      Copy {label} from
                    </label>
                    <FieldPicker
                      id={`${id}-v${i}-source`}
                      value={value.copyFrom}
                      fields={fields}
                      readOnly={readOnly}
                      onChange={(copyFrom) => setValue(name, { copyFrom })}
                      extra={<option value="id">{ENTITY_META[entity].singular} itself (its id)</option>}
                    />
                  </>
                ) : def ? (
                  <>
                    <span className="visually-hidden" id={`${id}-v${i}-value-label`}>
                      Value of {label}
                    </span>
                    <TypedValueInput
                      id={`${id}-v${i}-value`}
                      def={def}
                      value={value}
                      members={members}
                      readOnly={readOnly}
                      onChange={(v) => setValue(name, (v ?? '') as CreateValue)}
                    />
                  </>
                ) : null}
                {readOnly ? null : (
                  <button
                    type="button"
                    className="icon-btn icon-btn--danger"
                    aria-label={`Remove the value of ${label}`}
                    onClick={() => setValues(Object.fromEntries(entries.filter(([k]) => k !== name)))}
                  >
                    ✕
                  </button>
                )}
                <IssueNotes issues={issuesUnder(issues, ['values', name])} />
              </li>
            )
          })}
        </ul>
        {readOnly || unused.length === 0 ? null : (
          <Button size="sm" variant="secondary" onClick={() => setValue(unused[0]!.name, starter(unused[0]!.name))}>
            + Value
          </Button>
        )}
      </fieldset>
    </>
  )
}

function NotifyForm({
  id,
  a,
  onChange,
  entity,
  fields,
  members,
  issues,
  readOnly,
}: Common & { id: string; a: ActionOf<'notify'>; onChange: (n: ActionContent) => void }) {
  const message = useRef<HTMLTextAreaElement>(null)
  const userFields = fields.filter((f) => f.type === 'user')
  const set = (patch: Partial<ActionOf<'notify'>>) => {
    const next: ActionOf<'notify'> = { ...a, ...patch }
    for (const k of ['users', 'roles', 'userFields'] as const) if (next[k] && next[k]!.length === 0) delete next[k]
    onChange(next)
  }
  const toggle = <T,>(list: readonly T[] | undefined, v: T, on: boolean): T[] => (on ? [...(list ?? []), v] : (list ?? []).filter((x) => x !== v))
  return (
    <>
      <fieldset className="role-checks notify-recipients" data-config-path="users">
        <legend className="label">Who is notified</legend>
        <IssueNotes issues={issuesAt(issues, [])} />
        <p className="notify-recipients__group">People of the {ENTITY_META[entity].singular.toLowerCase()}:</p>
        {userFields.length === 0 ? <p className="muted">This entity has no person fields.</p> : null}
        {userFields.map((f) => (
          <label key={f.name} className="check">
            <input
              type="checkbox"
              disabled={readOnly}
              checked={a.userFields?.includes(f.name) ?? false}
              onChange={(e) => set({ userFields: toggle(a.userFields, f.name, e.target.checked) })}
            />
            Its {f.label.toLowerCase()}
          </label>
        ))}
        <p className="notify-recipients__group">Everyone with the role:</p>
        {ROLES.map((r) => (
          <label key={r} className="check">
            <input
              type="checkbox"
              disabled={readOnly}
              checked={a.roles?.includes(r) ?? false}
              onChange={(e) => set({ roles: toggle(a.roles, r, e.target.checked) })}
            />
            {ROLE_LABELS[r]}s
          </label>
        ))}
        <p className="notify-recipients__group">These people:</p>
        {members.map((m) => (
          <label key={m.id} className="check">
            <input
              type="checkbox"
              disabled={readOnly}
              checked={a.users?.includes(m.id) ?? false}
              onChange={(e) => set({ users: toggle(a.users, m.id, e.target.checked) })}
            />
            {m.name}
          </label>
        ))}
        <IssueNotes issues={[...issuesUnder(issues, ['users']), ...issuesUnder(issues, ['roles']), ...issuesUnder(issues, ['userFields'])]} />
      </fieldset>
      <div className="field" data-config-path="message">
        <Label htmlFor={`${id}-message`}>Message</Label>
        <textarea
          ref={message}
          id={`${id}-message`}
          className="input"
          rows={3}
          maxLength={1000}
          readOnly={readOnly}
          value={a.message}
          onChange={(e) => set({ message: e.target.value })}
        />
        {readOnly ? null : (
          <div className="notify-placeholder">
            <label htmlFor={`${id}-insert`} className="visually-hidden">
              Insert a field into the message
            </label>
            <NativeSelect
              id={`${id}-insert`}
              className="input--inline"
              value=""
              onChange={(e) => {
                if (!e.target.value) return
                const el = message.current
                const { message: next, cursor } = insertPlaceholder(a.message, e.target.value, el ? el.selectionStart : null)
                set({ message: next })
                requestAnimationFrame(() => {
                  el?.focus()
                  el?.setSelectionRange(cursor, cursor)
                })
              }}
            >
              <option value="">Insert a field…</option>
              {fields.map((f) => (
                <option key={f.name} value={f.name}>
                  {f.label}
                </option>
              ))}
            </NativeSelect>
            <span className="muted">Fields are filled in from the record when the message is sent.</span>
          </div>
        )}
        <IssueNotes issues={issuesUnder(issues, ['message'])} />
      </div>
    </>
  )
}

function WebhookForm({ id, a, onChange, issues, readOnly }: Common & { id: string; a: ActionOf<'webhook'>; onChange: (n: ActionContent) => void }) {
  return (
    <>
      <Row id={`${id}-url`} label="URL" path="url" issues={issues}>
        <Input id={`${id}-url`} type="url" value={a.url} readOnly={readOnly} maxLength={2000} onChange={(e) => onChange({ ...a, url: e.target.value })} />
      </Row>
      <Row id={`${id}-secret`} label="Signing secret (name)" path="secretRef" issues={issues}>
        <Input
          id={`${id}-secret`}
          value={a.secretRef ?? ''}
          readOnly={readOnly}
          maxLength={63}
          placeholder="e.g. crm-webhooks (optional)"
          onChange={(e) => {
            const { secretRef: _dropped, ...rest } = a
            onChange(e.target.value ? { ...rest, secretRef: e.target.value } : rest)
          }}
        />
      </Row>
      <Row id={`${id}-retries`} label="Retries on failure (0–10)" path="retries" issues={issues}>
        <Input
          id={`${id}-retries`}
          type="number"
          min={0}
          max={10}
          readOnly={readOnly}
          value={a.retries}
          onChange={(e) => onChange({ ...a, retries: Math.trunc(Number(e.target.value)) || 0 })}
        />
      </Row>
    </>
  )
}
