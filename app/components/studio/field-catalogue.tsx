// An entity's field catalogue (its `objects/<entity>/fields` item): built-in fields listed and
// locked, custom fields added, edited and removed through the field dialog.
import { useMemo, useState } from 'react'
import {
  collectReferences,
  isSystemField,
  type ConfigIssue,
  type ConfigItem,
  type Entity,
  type FieldDef,
  type ObjectsContent,
} from '../../../server/config-language'
import { Button } from '~/components/ui/button'
import { ConfirmDialog } from '~/components/ui/confirm-dialog'
import { cn } from '~/utils/cn'
import { FIELD_TYPE_LABELS, FieldEditorDialog } from './field-editor-dialog'
import { IssueNotes, issuesUnder } from './issue-notes'

/** "max 200 characters", "0–100", "≥ 0": the min/max of a field in words. */
function bounds(f: FieldDef): string | null {
  if (f.min === undefined && f.max === undefined) return null
  const unit = f.type === 'text' || f.type === 'textarea' ? ' characters' : ''
  if (f.min !== undefined && f.max !== undefined) return `${unit ? 'length ' : ''}${f.min}–${f.max}${unit}`
  if (f.max !== undefined) return `${unit ? 'max ' : '≤ '}${f.max}${unit}`
  return `${unit ? 'min ' : '≥ '}${f.min}${unit}`
}

export function FieldCatalogue({
  entity,
  content,
  onChange,
  readOnly,
  issues,
  workingSet,
  placeOnForm,
}: {
  entity: Entity
  content: ObjectsContent
  onChange: (next: ObjectsContent) => void
  readOnly: boolean
  issues: readonly ConfigIssue[]
  /** The draft set with local edits, for "where used". */
  workingSet: readonly ConfigItem[]
  /** The form being built: a new field can be added to one of its sections from the create dialog. */
  placeOnForm?: { formLabel: string; sections: string[]; add: (field: string, section: number) => void }
}) {
  const [editing, setEditing] = useState<{ field: FieldDef | null } | null>(null)
  const references = useMemo(() => collectReferences(workingSet), [workingSet])
  const usedBy = (name: string) =>
    [...new Set(references.filter((r) => r.kind === 'field' && r.entity === entity && r.field === name).map((r) => r.from))].sort()
  const names = content.fields.map((f) => f.name)
  const save = (def: FieldDef, section: number | null) => {
    const at = content.fields.findIndex((f) => f.name === def.name)
    onChange({ ...content, fields: at === -1 ? [...content.fields, def] : content.fields.map((f, i) => (i === at ? def : f)) })
    if (section !== null) placeOnForm?.add(def.name, section)
  }
  const remove = (name: string) => onChange({ ...content, fields: content.fields.filter((f) => f.name !== name) })
  const topIssues = issues.filter((i) => i.path.length <= 1)

  return (
    <section className="card" aria-labelledby="fields-title">
      <div className="card__body">
        <div className="card__head">
          <div>
            <h2 id="fields-title" className="card__title">
              Fields
            </h2>
            <p className="muted card__hint">Built-in fields are part of the product and locked; custom fields are yours to shape.</p>
          </div>
          {readOnly ? null : (
            <Button onClick={() => setEditing({ field: null })} data-testid="add-field">
              Add field
            </Button>
          )}
        </div>
        <IssueNotes issues={topIssues} />
        <div className="table-wrap table-wrap--flat">
          <table className="table table--compact" aria-label={`Fields of ${entity}`}>
            <thead>
              <tr>
                <th scope="col">Field</th>
                <th scope="col">Type</th>
                <th scope="col">Rules</th>
                <th scope="col" className="actions">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {content.fields.map((f, i) => {
                const rowIssues = issuesUnder(issues, ['fields', i])
                return (
                  <tr
                    key={`${f.name}-${i}`}
                    data-config-path={`fields.${i}`}
                    className={cn(rowIssues.length > 0 && 'has-issues')}
                    data-testid={`field-row-${f.name}`}
                  >
                    <td>
                      <div className="cell-stack">
                        <span className="field-label">{f.label}</span>
                        <code className="muted">{f.name}</code>
                        {f.helpText ? <small>{f.helpText}</small> : null}
                        <IssueNotes issues={rowIssues} />
                      </div>
                    </td>
                    <td>
                      {FIELD_TYPE_LABELS[f.type] ?? f.type}
                      {f.options?.length ? <small className="muted"> · {f.options.map((o) => o.value).join(', ')}</small> : null}
                    </td>
                    <td className="rules">
                      {f.builtIn ? (
                        <span className="badge badge--lock" title="Built-in fields are part of the product and cannot be edited here">
                          Built-in · locked
                        </span>
                      ) : (
                        <span className="badge">Custom</span>
                      )}
                      {f.required ? <span className="badge">Required</span> : null}
                      {f.default !== undefined ? <span className="badge">Default {JSON.stringify(f.default)}</span> : null}
                      {bounds(f) ? <span className="badge">{bounds(f)}</span> : null}
                      {f.pattern ? <span className="badge">Pattern</span> : null}
                    </td>
                    <td className="actions actions--stack">
                      {f.builtIn || readOnly || isSystemField(f.name) ? null : (
                        <>
                          <Button size="sm" variant="secondary" onClick={() => setEditing({ field: f })} aria-label={`Edit ${f.label}`}>
                            Edit
                          </Button>
                          <ConfirmDialog
                            trigger={
                              <Button size="sm" variant="danger" aria-label={`Remove ${f.label}`}>
                                Remove
                              </Button>
                            }
                            title={`Remove the field "${f.label}"?`}
                            description={
                              usedBy(f.name).length ? (
                                <>It is still used by {usedBy(f.name).join(', ')}. Validation will list them until they no longer use it.</>
                              ) : (
                                'Nothing uses it. Existing values stay in the records but are no longer shown.'
                              )
                            }
                            confirmLabel="Remove field"
                            onConfirm={() => remove(f.name)}
                          />
                        </>
                      )}
                    </td>
                  </tr>
                )
              })}
            </tbody>
          </table>
        </div>
      </div>
      <FieldEditorDialog
        open={editing !== null}
        onOpenChange={(open) => {
          if (!open) setEditing(null)
        }}
        field={editing?.field ?? null}
        otherNames={names}
        onSave={save}
        placement={placeOnForm}
      />
    </section>
  )
}
