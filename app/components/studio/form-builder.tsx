// The form builder of one entity: its field catalogue and one of its form layouts, each autosaved as
// a draft item, next to a live preview rendered by the CRM's FormRenderer from the draft set.
import { useMemo, useRef, useState } from 'react'
import {
  ROLES,
  addressOf,
  buildConfigIndex,
  formatAddress,
  type ConfigItem,
  type Entity,
  type FieldDef,
  type FormContent,
  type ObjectsContent,
  type Role,
} from '../../../server/config-language'
import type { MemberOption } from '~/components/crm/entities'
import { FormRenderer } from '~/components/crm/form-renderer'
import { NativeSelect } from '~/components/ui/input'
import { Label } from '~/components/ui/label'
import { ROLE_LABELS } from '~/utils/viewer'
import type { StudioListItem } from '~/utils/studio.server'
import { useDraftItem, useStartFromTemplate, type Loaded } from './autosave'
import { DraftProblems } from './draft-status'
import { FieldCatalogue } from './field-catalogue'
import { FormLayoutEditor } from './form-layout-editor'
import { ItemToolbar } from './item-toolbar'
import { ItemBar, SubTabs } from './studio-chrome'
import { useFocusPath } from './use-focus-path'
import { useItemValidation } from './working-set'
import { JsonFallback } from './json-item-editor'

type Props = {
  entity: Entity
  tab: 'layout' | 'fields'
  formKey: string
  focus: string | null
  createLabel: string | null
  items: StudioListItem[]
  drafts: ConfigItem[]
  live: ConfigItem[]
  readOnly: boolean
  role: Role
  members: MemberOption[]
  href: (patch: Record<string, string | undefined>) => string
  onNavigate: (to: string) => void
}

export function loadedOf<T>(items: StudioListItem[], drafts: ConfigItem[], address: string): Loaded<T> {
  const row = items.find((i) => i.address === address)
  const draft = drafts.find((d) => addressOf(d) === address)
  return { content: (draft?.content ?? null) as T | null, revision: row?.draftRevision ?? 0, state: row?.state ?? 'absent' }
}

export function looksLikeObjects(c: unknown): c is ObjectsContent {
  const fields = (c as { fields?: unknown } | null)?.fields
  return (
    Array.isArray(fields) &&
    fields.every((f) => f && typeof f === 'object' && typeof (f as FieldDef).name === 'string' && typeof (f as FieldDef).type === 'string')
  )
}

export function looksLikeForm(c: unknown): c is FormContent {
  const sections = (c as { sections?: unknown } | null)?.sections
  return (
    typeof (c as { label?: unknown } | null)?.label === 'string' &&
    Array.isArray(sections) &&
    sections.every(
      (s) =>
        s &&
        typeof s === 'object' &&
        typeof s.title === 'string' &&
        Array.isArray(s.fields) &&
        s.fields.every((f: unknown) => f && typeof (f as { field?: unknown }).field === 'string'),
    )
  )
}

const newForm = (label: string): FormContent => ({ label, sections: [{ title: 'Details', columns: 2, fields: [] }] })

export function FormBuilder(props: Props) {
  const { entity, tab, formKey, items, drafts, live, readOnly } = props
  const objects = useDraftItem<ObjectsContent>({
    item: { namespace: 'objects', entity, key: 'fields' },
    loaded: loadedOf(items, drafts, `objects/${entity}/fields`),
    readOnly,
    label: `the ${entity} fields`,
  })
  const form = useDraftItem<FormContent>({
    item: { namespace: 'forms', entity, key: formKey },
    loaded: loadedOf(items, drafts, formatAddress('forms', entity, formKey)),
    readOnly,
    label: `the form ${formKey}`,
  })

  // A new form starts from a one-section template.
  const { createLabel } = props
  useStartFromTemplate(form, createLabel ? () => newForm(createLabel) : null, readOnly)

  const overrides = useMemo(
    () => [
      { item: { namespace: 'objects' as const, entity, key: 'fields' }, content: objects.state === 'deleted' ? null : objects.content },
      { item: { namespace: 'forms' as const, entity, key: formKey }, content: form.state === 'deleted' ? null : form.content },
    ],
    [entity, formKey, objects.content, objects.state, form.content, form.state],
  )
  const { set, issues } = useItemValidation(drafts, live, overrides)
  const objectIssues = issues.get(`objects/${entity}/fields`) ?? { errors: [], warnings: [] }
  const formIssues = issues.get(formatAddress('forms', entity, formKey)) ?? { errors: [], warnings: [] }
  const config = useMemo(() => buildConfigIndex(set), [set])
  const catalogue = looksLikeObjects(objects.content) ? objects.content.fields : []

  const container = useRef<HTMLDivElement>(null)
  useFocusPath(container, props.focus)

  // The create-field dialog can put the new field straight onto the form being built.
  const formContent = form.state !== 'deleted' && !readOnly && looksLikeForm(form.content) ? form.content : null
  const placeOnForm = formContent
    ? {
        formLabel: formContent.label,
        sections: formContent.sections.map((s) => s.title),
        add: (field: string, section: number) =>
          form.setContent({
            ...formContent,
            sections: formContent.sections.map((s, i) => (i === section ? { ...s, fields: [...s.fields, { field }] } : s)),
          }),
      }
    : undefined

  const formItems = items.filter((i) => i.namespace === 'forms' && i.entity === entity)
  const formKeys = [...new Set([...formItems.map((f) => f.key), formKey])].sort()

  return (
    <div className="builder" ref={container}>
      <div className="builder__main">
        <SubTabs
          label="Form builder"
          items={[
            { key: 'layout', label: 'Layout', href: props.href({ tab: 'layout', focus: undefined }), active: tab === 'layout' },
            { key: 'fields', label: 'Fields', href: props.href({ tab: 'fields', focus: undefined }), active: tab === 'fields' },
          ]}
        />
        {tab === 'fields' ? (
          <>
            <ItemBar draft={objects} />
            <DraftProblems draft={objects} what={`the ${entity} fields`} />
            {objects.content === null ? (
              <p className="muted">This entity has no field catalogue in the drafts.</p>
            ) : looksLikeObjects(objects.content) ? (
              <FieldCatalogue
                entity={entity}
                content={objects.content}
                onChange={objects.setContent}
                readOnly={readOnly || objects.status === 'conflict'}
                issues={[...objectIssues.errors, ...objectIssues.warnings]}
                workingSet={set}
                placeOnForm={placeOnForm}
              />
            ) : (
              <JsonFallback draft={objects} readOnly={readOnly} issues={objectIssues} />
            )}
          </>
        ) : (
          <>
            <ItemToolbar
              noun="form"
              keys={formKeys}
              nameOf={(key) => config.content('forms', entity, key)?.label || key}
              current={formKey}
              draft={form}
              readOnly={readOnly}
              onPick={(key) => props.onNavigate(props.href({ form: key, focus: undefined, create: undefined }))}
              removeDescription="The form is removed from the drafts; it disappears for everyone when you publish. Validation lists anything still using it."
              createDescription="A second layout for this entity, e.g. a short form for quick entry."
              onCreate={(key, label) => props.onNavigate(props.href({ form: key, create: label, focus: undefined, tab: 'layout' }))}
            />
            <ItemBar draft={form} />
            <DraftProblems draft={form} what={`the form ${formKey}`} />
            {form.state === 'deleted' ? (
              <p className="muted">This form is removed in the drafts. Discard the draft to bring it back.</p>
            ) : form.content === null ? (
              <p className="muted">There is no form {formKey} for this entity yet.</p>
            ) : looksLikeForm(form.content) ? (
              <FormLayoutEditor
                content={form.content}
                onChange={form.setContent}
                fields={catalogue}
                readOnly={readOnly || form.status === 'conflict'}
                issues={[...formIssues.errors, ...formIssues.warnings]}
              />
            ) : (
              <JsonFallback draft={form} readOnly={readOnly} issues={formIssues} />
            )}
          </>
        )}
      </div>
      <aside className="builder__preview" aria-label="Live preview">
        <FormPreview entity={entity} formKey={formKey} config={config} defaultRole={props.role} members={props.members} />
      </aside>
    </div>
  )
}

function FormPreview({
  entity,
  formKey,
  config,
  defaultRole,
  members,
}: {
  entity: Entity
  formKey: string
  config: ReturnType<typeof buildConfigIndex>
  defaultRole: Role
  members: MemberOption[]
}) {
  const [role, setRole] = useState<Role>(defaultRole === 'ADMIN' ? 'AGENT' : defaultRole)
  return (
    <div className="preview-panel">
      <div className="preview-panel__head">
        <h2 className="card__title">Live preview</h2>
        <div className="preview-panel__role">
          <Label htmlFor="preview-role">As</Label>
          <NativeSelect id="preview-role" className="input--inline" value={role} onChange={(e) => setRole(e.target.value as Role)}>
            {ROLES.map((r) => (
              <option key={r} value={r}>
                {ROLE_LABELS[r]}
              </option>
            ))}
          </NativeSelect>
        </div>
      </div>
      <p className="muted preview-panel__hint">Rendered from your drafts, exactly as the CRM will show it once published. Submitting only validates.</p>
      <div className="preview-panel__body" data-testid="form-preview">
        <FormRenderer entity={entity} formKey={formKey} config={config} role={role} members={members} preview mode="create" submitLabel="Check values" />
      </div>
    </div>
  )
}
