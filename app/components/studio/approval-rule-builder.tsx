// The approval rule builder (approvals/<entity>/<key>): its name and when it applies (the condition
// builder, change operators allowed: a rule may ask again when a locked field changes), the fields
// locked while a request is pending, the ordered approval steps (anyone with a role, or each of
// some people) and the actions run on approve / reject, picked from the entity's actions. The
// item's JSON stays one toggle away, like every automation part.
import { useId } from 'react'
import {
  ROLES,
  isSystemField,
  type ApprovalContent,
  type ApprovalStep,
  type ConfigIssue,
  type Entity,
  type FieldDef,
  type Role,
} from '../../../server/config-language'
import { ENTITY_META, type MemberOption } from '~/components/crm/entities'
import { Button } from '~/components/ui/button'
import { NativeSelect } from '~/components/ui/input'
import { Label } from '~/components/ui/label'
import { ROLE_LABELS } from '~/utils/viewer'
import { describeAction } from './automation-words'
import { IssueNotes, issuesAt, issuesUnder } from './issue-notes'
import { ItemBuilder, type ItemBuilderProps } from './item-builder'
import { type PartContext } from './part-builder'
import { SortableList, moveItem } from './sortable-list'

export function looksLikeApproval(c: unknown): c is ApprovalContent {
  const a = c as Partial<ApprovalContent> | null
  return (
    !!a &&
    typeof a === 'object' &&
    typeof a.label === 'string' &&
    !!a.when &&
    typeof a.when === 'object' &&
    Array.isArray(a.steps) &&
    a.steps.every((s) => !!s && typeof s === 'object') &&
    Array.isArray(a.lockedFields) &&
    (a.onApprove === undefined || Array.isArray(a.onApprove)) &&
    (a.onReject === undefined || Array.isArray(a.onReject))
  )
}

/** Who decides a step: a role below Read-only (read-only members cannot decide anything). */
const APPROVER_ROLES: readonly Role[] = ROLES.filter((r) => r !== 'VIEWER')
const MAX_STEPS = 10

const OUTCOMES = [
  { which: 'onApprove', title: 'When approved, run' },
  { which: 'onReject', title: 'When rejected, run' },
] as const

export function ApprovalRuleBuilder({ entity, ...props }: ItemBuilderProps & { entity: Entity }) {
  const { ctx } = props
  return (
    <ItemBuilder {...props} entity={entity} parse={looksLikeApproval} what="approval rule" className="approval-builder">
      {({ content, onChange, all, locked, fields, condition }) => (
        <>
          <p className="muted" data-config-path="entity">
            For {ENTITY_META[entity].plural.toLowerCase()}. A matching change starts a request; the locked fields stay as they are until it is decided.
          </p>
          <IssueNotes issues={issuesUnder(all, ['entity'])} />
          {condition({ conditionLabel: 'Approval condition' })}
          <LockedFields content={content} onChange={onChange} fields={fields} issues={all} readOnly={locked} />
          <Steps content={content} onChange={onChange} members={ctx.members} issues={all} readOnly={locked} />
          {OUTCOMES.map(({ which, title }) => (
            <OutcomeActions
              key={which}
              which={which}
              title={title}
              content={content}
              onChange={onChange}
              entity={entity}
              ctx={ctx}
              issues={all}
              readOnly={locked}
            />
          ))}
        </>
      )}
    </ItemBuilder>
  )
}

type SectionProps = {
  content: ApprovalContent
  onChange: (next: ApprovalContent) => void
  issues: readonly ConfigIssue[]
  readOnly: boolean
}

function LockedFields({ content, onChange, fields, issues, readOnly }: SectionProps & { fields: readonly FieldDef[] }) {
  const lockable = fields.filter((f) => !isSystemField(f.name))
  const set = (next: string[]) => onChange({ ...content, lockedFields: next })
  return (
    <fieldset className="role-checks automation-step" data-config-path="lockedFields">
      <legend className="label">Locked while pending</legend>
      <p className="muted">Nobody can change these fields until the request is decided.</p>
      {content.lockedFields
        .filter((name) => !lockable.some((f) => f.name === name))
        .map((name) => (
          <label key={name} className="check">
            <input type="checkbox" checked disabled={readOnly} onChange={() => set(content.lockedFields.filter((n) => n !== name))} />
            {name} (unknown field)
          </label>
        ))}
      {lockable.map((f) => (
        <label key={f.name} className="check">
          <input
            type="checkbox"
            disabled={readOnly}
            checked={content.lockedFields.includes(f.name)}
            onChange={(e) => set(e.target.checked ? [...content.lockedFields, f.name] : content.lockedFields.filter((n) => n !== f.name))}
          />
          {f.label}
        </label>
      ))}
      <IssueNotes issues={issuesUnder(issues, ['lockedFields'])} />
    </fieldset>
  )
}

/** A step in words, for the move buttons and announcements: "Managers" or "2 people". */
function describeStep(step: ApprovalStep, members: readonly MemberOption[]): string {
  if (step.approverUserIds) {
    const names = step.approverUserIds.map((id) => members.find((m) => m.id === id)?.name ?? 'someone')
    return names.length <= 2 ? names.join(' and ') : `${names.length} people`
  }
  return step.approverRole ? `${ROLE_LABELS[step.approverRole]}s` : 'nobody yet'
}

function Steps({ content, onChange, members, issues, readOnly }: SectionProps & { members: readonly MemberOption[] }) {
  const id = useId()
  const setSteps = (steps: ApprovalStep[]) => onChange({ ...content, steps })
  const setStep = (i: number, step: ApprovalStep) => setSteps(content.steps.map((s, j) => (j === i ? step : s)))
  return (
    <section className="automation-step" aria-labelledby={`${id}-title`} data-config-path="steps">
      <h3 id={`${id}-title`} className="automation-step__title">
        Approved by, step by step
      </h3>
      <IssueNotes issues={issuesAt(issues, ['steps'])} />
      <SortableList
        items={content.steps}
        label="Approval steps"
        getKey={(_, i) => `step-${i}`}
        getLabel={(s, i) => `step ${i + 1} (${describeStep(s, members)})`}
        readOnly={readOnly}
        itemPath={(i) => `steps.${i}`}
        onMove={(from, to) => setSteps(moveItem(content.steps, from, to))}
        empty={<p className="muted">No steps yet: add at least one.</p>}
        renderItem={(step, i) => (
          <div className="approval-step">
            <StepEditor id={`${id}-${i}`} index={i} step={step} onChange={(s) => setStep(i, s)} members={members} issues={issues} readOnly={readOnly} />
            {readOnly || content.steps.length <= 1 ? null : (
              <Button size="sm" variant="ghost" onClick={() => setSteps(content.steps.filter((_, j) => j !== i))}>
                Remove step {i + 1}
              </Button>
            )}
          </div>
        )}
      />
      {readOnly || content.steps.length >= MAX_STEPS ? null : (
        <Button size="sm" variant="secondary" onClick={() => setSteps([...content.steps, { approverRole: 'MANAGER' }])}>
          Add a step
        </Button>
      )}
    </section>
  )
}

function StepEditor({
  id,
  index,
  step,
  onChange,
  members,
  issues,
  readOnly,
}: {
  id: string
  index: number
  step: ApprovalStep
  onChange: (next: ApprovalStep) => void
  members: readonly MemberOption[]
  issues: readonly ConfigIssue[]
  readOnly: boolean
}) {
  const byPeople = step.approverUserIds !== undefined
  const users = step.approverUserIds ?? []
  const toggle = (userId: string, on: boolean) => {
    const next = on ? [...users, userId] : users.filter((u) => u !== userId)
    // The schema wants at least one person; an empty list stays in the draft so validation says so.
    onChange({ approverUserIds: next })
  }
  return (
    <fieldset className="role-checks">
      <legend className="label">Step {index + 1}</legend>
      <IssueNotes issues={issuesAt(issues, ['steps', index])} />
      <label className="check">
        <input type="radio" name={`${id}-mode`} disabled={readOnly} checked={!byPeople} onChange={() => onChange({ approverRole: 'MANAGER' })} />
        Anyone with a role
      </label>
      <label className="check">
        <input
          type="radio"
          name={`${id}-mode`}
          disabled={readOnly}
          checked={byPeople}
          onChange={() => onChange({ approverUserIds: members[0] ? [members[0].id] : [] })}
        />
        Each of these people
      </label>
      {byPeople ? (
        <div data-config-path={`steps.${index}.approverUserIds`}>
          {users
            .filter((u) => !members.some((m) => m.id === u))
            .map((u) => (
              <label key={u} className="check">
                <input type="checkbox" checked disabled={readOnly} onChange={() => toggle(u, false)} />
                {u} (not a member)
              </label>
            ))}
          {members.map((m) => (
            <label key={m.id} className="check">
              <input type="checkbox" disabled={readOnly} checked={users.includes(m.id)} onChange={(e) => toggle(m.id, e.target.checked)} />
              {m.name}
            </label>
          ))}
          <IssueNotes issues={issuesUnder(issues, ['steps', index, 'approverUserIds'])} />
        </div>
      ) : (
        <div className="field" data-config-path={`steps.${index}.approverRole`}>
          <Label htmlFor={`${id}-role`}>Role for step {index + 1}</Label>
          <NativeSelect
            id={`${id}-role`}
            value={step.approverRole ?? ''}
            disabled={readOnly}
            onChange={(e) => onChange({ approverRole: e.target.value as Role })}
          >
            {step.approverRole && APPROVER_ROLES.includes(step.approverRole) ? null : <option value={step.approverRole ?? ''}>(choose a role)</option>}
            {APPROVER_ROLES.map((r) => (
              <option key={r} value={r}>
                {ROLE_LABELS[r]}s (or above)
              </option>
            ))}
          </NativeSelect>
          <IssueNotes issues={issuesUnder(issues, ['steps', index, 'approverRole'])} />
        </div>
      )}
    </fieldset>
  )
}

function OutcomeActions({
  which,
  title,
  content,
  onChange,
  entity,
  ctx,
  issues,
  readOnly,
}: SectionProps & { which: 'onApprove' | 'onReject'; title: string; entity: Entity; ctx: PartContext }) {
  const id = useId()
  const keys = content[which] ?? []
  const set = (next: string[]) => {
    const c: ApprovalContent = { ...content, [which]: next }
    if (next.length === 0) delete c[which]
    onChange(c)
  }
  const describe = (key: string) => describeAction(ctx.index.content('actions', entity, key), entity, ctx.index)
  const available = ctx.index.list('actions', entity).filter((a) => !keys.includes(a.key))
  return (
    <section className="automation-step" aria-labelledby={`${id}-title`} data-config-path={which}>
      <h3 id={`${id}-title`} className="automation-step__title">
        {title}
      </h3>
      <IssueNotes issues={issuesAt(issues, [which])} />
      {keys.length === 0 ? <p className="muted">Nothing beyond notifying the submitter and the owner.</p> : null}
      <ol className="automation-step__parts">
        {keys.map((key, i) => (
          <li key={key} data-config-path={`${which}.${i}`}>
            <span>
              {describe(key)} <code>{key}</code>
            </span>{' '}
            {readOnly ? null : (
              <Button size="sm" variant="ghost" onClick={() => set(keys.filter((k) => k !== key))}>
                Remove {key}
              </Button>
            )}
            <IssueNotes issues={issuesUnder(issues, [which, i])} />
          </li>
        ))}
      </ol>
      {readOnly ? null : (
        <div className="add-part">
          <label htmlFor={`${id}-add`} className="visually-hidden">
            {title}: add an action
          </label>
          <NativeSelect
            id={`${id}-add`}
            className="input--inline"
            value=""
            onChange={(e) => {
              if (e.target.value) set([...keys, e.target.value])
            }}
          >
            <option value="">Add an action…</option>
            {available.map((a) => (
              <option key={a.key} value={a.key}>
                {describeAction(a.content, entity, ctx.index)} ({a.key})
              </option>
            ))}
          </NativeSelect>
          {available.length === 0 && keys.length === 0 ? (
            <span className="muted">No {ENTITY_META[entity].singular.toLowerCase()} actions yet: create them under Automations → Actions.</span>
          ) : null}
        </div>
      )}
    </section>
  )
}
