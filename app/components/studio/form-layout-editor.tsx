// A form layout (`forms/<entity>/<key>`): sections of one or two columns, their fields in order
// (drag and drop within and across sections, or Move up / Move down), and per-field rules: read-only for roles, visible when a
// condition holds, label and help text overrides.
import { useId, useState } from 'react'
import {
  ROLES,
  isSystemField,
  type ConfigIssue,
  type FieldDef,
  type FormContent,
  type FormField,
  type FormSection,
  type Role,
} from '../../../server/config-language'
import { Button } from '~/components/ui/button'
import { Input, NativeSelect } from '~/components/ui/input'
import { Label } from '~/components/ui/label'
import { ROLE_LABELS } from '~/utils/viewer'
import { AddFieldRow } from './add-field-row'
import { ConditionEditor } from './condition-editor'
import { IssueNotes, issuesAt, issuesUnder } from './issue-notes'
import { SortableBoard, SortableList, moveItem, type SortablePlace } from './sortable-list'

export function FormLayoutEditor({
  content,
  onChange,
  fields,
  readOnly,
  issues,
}: {
  content: FormContent
  onChange: (next: FormContent) => void
  fields: readonly FieldDef[]
  readOnly: boolean
  issues: readonly ConfigIssue[]
}) {
  const id = useId()
  const onForm = new Set(content.sections.flatMap((s) => s.fields.map((f) => f.field)))
  const setSection = (si: number, next: FormSection | null) =>
    onChange({ ...content, sections: next === null ? content.sections.filter((_, i) => i !== si) : content.sections.map((s, i) => (i === si ? next : s)) })
  const moveSection = (from: number, to: number) => onChange({ ...content, sections: moveItem(content.sections, from, to) })
  // One move for drags (within or across sections) and the "Move to section" picker; index -1 = at the end.
  const moveField = (si: number, fi: number, target: number, at: number) => {
    const field = content.sections[si]!.fields[fi]!
    if (si === target) {
      const to = at < 0 ? content.sections[si]!.fields.length - 1 : at
      if (to !== fi) setSection(si, { ...content.sections[si]!, fields: moveItem(content.sections[si]!.fields, fi, to) })
      return
    }
    onChange({
      ...content,
      sections: content.sections.map((s, i) => {
        if (i === si) return { ...s, fields: s.fields.filter((_, j) => j !== fi) }
        if (i !== target) return s
        const fields = [...s.fields]
        fields.splice(at < 0 ? fields.length : at, 0, field)
        return { ...s, fields }
      }),
    })
  }
  const sectionOf = (p: SortablePlace) => Number(p.list.slice('section-'.length))

  return (
    <div className="layout-editor">
      <IssueNotes issues={[...issuesAt(issues, []), ...issuesAt(issues, ['sections'])]} />
      <div className="field" data-config-path="label">
        <Label htmlFor={`${id}-label`}>Form name</Label>
        <Input id={`${id}-label`} value={content.label} readOnly={readOnly} onChange={(e) => onChange({ ...content, label: e.target.value })} />
        <IssueNotes issues={issuesUnder(issues, ['label'])} />
      </div>
      <SortableBoard onMove={(from, to) => moveField(sectionOf(from), from.index, sectionOf(to), to.index)}>
        {content.sections.map((section, si) => (
          <SectionEditor
            key={si}
            index={si}
            count={content.sections.length}
            section={section}
            sectionTitles={content.sections.map((s) => s.title)}
            fields={fields}
            available={fields.filter((f) => !onForm.has(f.name) && !isSystemField(f.name))}
            readOnly={readOnly}
            issues={issuesUnder(issues, ['sections', si])}
            onChange={(next) => setSection(si, next)}
            onMove={(to) => moveSection(si, to)}
            onMoveField={(fi, target) => moveField(si, fi, target, -1)}
          />
        ))}
      </SortableBoard>
      {readOnly ? null : (
        <Button
          variant="secondary"
          onClick={() => onChange({ ...content, sections: [...content.sections, { title: `Section ${content.sections.length + 1}`, columns: 2, fields: [] }] })}
        >
          + Section
        </Button>
      )}
    </div>
  )
}

function SectionEditor({
  index,
  count,
  section,
  sectionTitles,
  fields,
  available,
  readOnly,
  issues,
  onChange,
  onMove,
  onMoveField,
}: {
  index: number
  count: number
  section: FormSection
  sectionTitles: string[]
  fields: readonly FieldDef[]
  available: FieldDef[]
  readOnly: boolean
  issues: readonly ConfigIssue[]
  onChange: (next: FormSection | null) => void
  onMove: (to: number) => void
  onMoveField: (fi: number, targetSection: number) => void
}) {
  const id = useId()
  const [open, setOpen] = useState<number | null>(null)
  const base = ['sections', index] as const
  const setField = (fi: number, next: FormField | null) =>
    onChange({ ...section, fields: next === null ? section.fields.filter((_, j) => j !== fi) : section.fields.map((f, j) => (j === fi ? next : f)) })
  const labelOf = (f: FormField) => f.label ?? fields.find((d) => d.name === f.field)?.label ?? f.field

  return (
    <section className="section-card" data-config-path={`sections.${index}`} aria-label={`Section ${section.title}`}>
      <div className="section-card__head">
        <div className="field section-card__title">
          <Label htmlFor={`${id}-title`}>Section title</Label>
          <Input id={`${id}-title`} value={section.title} readOnly={readOnly} onChange={(e) => onChange({ ...section, title: e.target.value })} />
        </div>
        <div className="field">
          <Label htmlFor={`${id}-cols`}>Columns</Label>
          <NativeSelect
            id={`${id}-cols`}
            value={section.columns}
            disabled={readOnly}
            onChange={(e) => onChange({ ...section, columns: Number(e.target.value) === 1 ? 1 : 2 })}
          >
            <option value={1}>1 column</option>
            <option value={2}>2 columns</option>
          </NativeSelect>
        </div>
        {readOnly ? null : (
          <div className="section-card__tools">
            <button type="button" className="icon-btn" aria-label={`Move section ${section.title} up`} disabled={index === 0} onClick={() => onMove(index - 1)}>
              ↑
            </button>
            <button
              type="button"
              className="icon-btn"
              aria-label={`Move section ${section.title} down`}
              disabled={index === count - 1}
              onClick={() => onMove(index + 1)}
            >
              ↓
            </button>
            <Button
              size="sm"
              variant="ghost"
              disabled={count === 1}
              onClick={() => onChange(null)}
              title={count === 1 ? 'A form keeps at least one section' : undefined}
            >
              Remove section
            </Button>
          </div>
        )}
      </div>
      <IssueNotes issues={issues.filter((i) => i.path.length <= 3 && i.path[2] !== 'fields')} />
      <SortableList
        items={section.fields}
        label={`Fields of section ${section.title}`}
        listId={`section-${index}`}
        getKey={(f, i) => `${f.field}-${i}`}
        getLabel={(f) => labelOf(f)}
        readOnly={readOnly}
        itemPath={(fi) => `sections.${index}.fields.${fi}`}
        onMove={(from, to) => onChange({ ...section, fields: moveItem(section.fields, from, to) })}
        empty={<p className="muted">No fields in this section yet.</p>}
        renderItem={(f, fi) => {
          const def = fields.find((d) => d.name === f.field)
          const fieldIssues = issuesUnder(issues, [...base, 'fields', fi])
          const expanded = open === fi
          return (
            <div className="layout-field">
              <div className="layout-field__row">
                <span className="layout-field__main">
                  <span className="layout-field__name">
                    {labelOf(f)} <code className="muted">{f.field}</code>
                  </span>
                  <span className="layout-field__badges">
                    {def?.required ? <span className="badge">Required</span> : null}
                    {f.readOnlyFor?.length ? <span className="badge">Read-only: {f.readOnlyFor.map((r) => ROLE_LABELS[r]).join(', ')}</span> : null}
                    {f.visibleWhen ? <span className="badge">Visible when…</span> : null}
                    {!def ? <span className="badge badge--danger">Unknown field</span> : null}
                  </span>
                </span>
                <Button
                  size="sm"
                  variant="ghost"
                  aria-expanded={expanded}
                  onClick={() => setOpen(expanded ? null : fi)}
                  aria-label={`Settings of ${labelOf(f)}`}
                >
                  {expanded ? 'Close' : 'Settings'}
                </Button>
                {readOnly ? null : (
                  <Button size="sm" variant="ghost" onClick={() => setField(fi, null)} aria-label={`Remove ${labelOf(f)} from the form`}>
                    Remove
                  </Button>
                )}
              </div>
              <IssueNotes issues={fieldIssues.filter((i) => !i.path.includes('visibleWhen'))} />
              {expanded ? (
                <FieldSettings
                  field={f}
                  def={def}
                  fields={fields}
                  readOnly={readOnly}
                  issues={fieldIssues}
                  path={[...base, 'fields', fi]}
                  sectionTitles={sectionTitles}
                  sectionIndex={index}
                  onChange={(next) => setField(fi, next)}
                  onMoveToSection={(target) => {
                    setOpen(null)
                    onMoveField(fi, target)
                  }}
                />
              ) : null}
            </div>
          )
        }}
      />
      {readOnly ? null : (
        <AddFieldRow
          id={`${id}-add`}
          available={available}
          selectLabel={`Add a field to ${section.title}`}
          emptyText="Every field is on the form"
          buttonText="Add field"
          onAdd={(field) => onChange({ ...section, fields: [...section.fields, { field }] })}
        />
      )}
    </section>
  )
}

function FieldSettings({
  field,
  def,
  fields,
  readOnly,
  issues,
  path,
  sectionTitles,
  sectionIndex,
  onChange,
  onMoveToSection,
}: {
  field: FormField
  def: FieldDef | undefined
  fields: readonly FieldDef[]
  readOnly: boolean
  issues: readonly ConfigIssue[]
  path: (string | number)[]
  sectionTitles: string[]
  sectionIndex: number
  onChange: (next: FormField) => void
  onMoveToSection: (target: number) => void
}) {
  const id = useId()
  const set = (patch: Partial<FormField>) => {
    const next: FormField = { ...field, ...patch }
    for (const k of Object.keys(next) as (keyof FormField)[]) if (next[k] === undefined || next[k] === '') delete next[k]
    onChange(next)
  }
  const roles = field.readOnlyFor ?? []
  const toggleRole = (role: Role, on: boolean) => {
    const next = on ? ROLES.filter((r) => r === role || roles.includes(r)) : roles.filter((r) => r !== role)
    set({ readOnlyFor: next.length ? next : undefined })
  }
  return (
    <div className="field-settings">
      <div className="form-grid">
        <div className="field">
          <Label htmlFor={`${id}-label`}>Label on this form</Label>
          <Input
            id={`${id}-label`}
            placeholder={def?.label}
            value={field.label ?? ''}
            readOnly={readOnly}
            onChange={(e) => set({ label: e.target.value || undefined })}
          />
        </div>
        <div className="field">
          <Label htmlFor={`${id}-help`}>Help text on this form</Label>
          <Input
            id={`${id}-help`}
            placeholder={def?.helpText}
            value={field.helpText ?? ''}
            readOnly={readOnly}
            onChange={(e) => set({ helpText: e.target.value || undefined })}
          />
        </div>
      </div>
      <fieldset className="field role-checks" data-config-path={[...path, 'readOnlyFor'].join('.')}>
        <legend className="label">Read-only for</legend>
        {ROLES.map((role) => (
          <label key={role} className="check">
            <input type="checkbox" disabled={readOnly} checked={roles.includes(role)} onChange={(e) => toggleRole(role, e.target.checked)} />
            {ROLE_LABELS[role]}
          </label>
        ))}
      </fieldset>
      <div className="field">
        <span className="label">Visible when</span>
        <ConditionEditor
          value={field.visibleWhen}
          onChange={(next) => set({ visibleWhen: next })}
          fields={fields}
          basePath={[...path, 'visibleWhen']}
          issues={issues}
          readOnly={readOnly}
          label="Visible when"
        />
      </div>
      {readOnly || sectionTitles.length < 2 ? null : (
        <div className="field">
          <Label htmlFor={`${id}-section`}>Move to section</Label>
          <NativeSelect id={`${id}-section`} value={sectionIndex} onChange={(e) => onMoveToSection(Number(e.target.value))}>
            {sectionTitles.map((t, i) => (
              <option key={i} value={i}>
                {t}
              </option>
            ))}
          </NativeSelect>
        </div>
      )}
    </div>
  )
}
