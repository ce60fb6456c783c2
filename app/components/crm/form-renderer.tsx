// Renders a `forms` config item (sections, columns, fields) for create, edit and detail, validated
// by the very schema the server builds from the same config (buildRecordSchema /
// buildPartialRecordSchema), so the browser shows the server's message before anything is sent.
//
// Live config: the form is created once (useForm) and the resolver reads the latest schema from a
// ref, so a publish re-renders the layout under the person's hands without remounting: what they
// typed stays for every field that still exists. Never put a `key` on the config version here.
import { useCallback, useEffect, useId, useMemo, useRef, useState, type FormEvent, type ReactNode } from 'react'
import { useController, useForm, useWatch, type Control, type FieldErrors, type Resolver } from 'react-hook-form'
import { zodResolver } from '@hookform/resolvers/zod'
import {
  buildPartialRecordSchema,
  buildRecordSchema,
  evaluateCondition,
  humanIssueMessage,
  isSystemField,
  readField,
  readOnlyFieldsFor,
  type ConfigIndex,
  type Entity,
  type FieldDef,
  type FormContent,
  type RecordLike,
  type RecordPatch,
  type RecordWrite,
  type Role,
} from '../../../server/config-language'
import { useConfigIndex } from '~/config/live-config'
import { useToast } from '~/components/ui/toaster'
import { Alert } from '~/components/ui/alert'
import { Button } from '~/components/ui/button'
import { Label } from '~/components/ui/label'
import { cn } from '~/utils/cn'
import type { LookupLabels, MemberOption } from './entities'
import { FieldValue } from './field-display'
import { FieldControl, type LookupSearch } from './field-inputs'
import { fieldPath, fromInputValue, inputsToRecord, recordToInputs, sameInput, toInputValue } from './field-values'

/** Errors the server answered with: field errors keyed like the form's names (`name`, `data.tier`). */
export type ServerErrors = { message?: string | null; fieldErrors?: Record<string, string> | null }

export type FormRendererProps = {
  entity: Entity
  /** Key of the `forms/<entity>/<key>` item; `default` when absent. */
  formKey?: string
  /** The config to render from (e.g. the studio's draft); the live config when absent. */
  config?: ConfigIndex
  /** `create` validates with the full schema and applies defaults; `edit` sends only what changed. */
  mode?: 'create' | 'edit'
  /** The record (built-ins on top, custom fields in `data`); also carries context values such as a deal's customerId. */
  defaultValues?: RecordLike
  role: Role
  members?: readonly MemberOption[]
  lookupLabels?: LookupLabels
  /** How lookup fields find records; the /resources/lookup route when absent. */
  lookupSearch?: LookupSearch
  /** Called with the validated write (`{ ...builtIns, data }`); on edit only the changed fields. */
  onSubmit?: (values: RecordWrite | RecordPatch) => void
  serverErrors?: ServerErrors | null
  submitting?: boolean
  submitLabel?: string
  /** Renders the record as a read-only detail view (no inputs). */
  readOnly?: boolean
  /** Fields locked by a pending approval request: shown read-only (the server refuses changes too). */
  lockedFields?: readonly string[]
  /** Studio preview: unknown fields are shown as problems, submitting only validates. */
  preview?: boolean
  /** Extra buttons next to submit (e.g. Cancel). */
  actions?: ReactNode
  /** Told whenever the form starts or stops differing from what it started with (unsaved-changes guard). */
  onDirtyChange?: (dirty: boolean) => void
}

type Model = {
  form: FormContent | undefined
  fields: readonly FieldDef[]
  problem: string | null
}

function useModel(config: ConfigIndex, entity: Entity, formKey: string): Model {
  return useMemo(() => {
    const fields = config.fields(entity)
    const form = config.content('forms', entity, formKey)
    if (!fields) return { form, fields: [], problem: `The field catalogue of ${entity} (objects/${entity}/fields) is missing or invalid.` }
    if (!form) return { form, fields, problem: `The form forms/${entity}/${formKey} is missing or invalid.` }
    return { form, fields, problem: null }
  }, [config, entity, formKey])
}

/** Public entry: reads the live config unless one is given explicitly (studio preview). */
export function FormRenderer(props: FormRendererProps) {
  return props.config ? <FormRendererWith {...props} config={props.config} /> : <LiveFormRenderer {...props} />
}

function LiveFormRenderer(props: FormRendererProps) {
  const config = useConfigIndex()
  return <FormRendererWith {...props} config={config} live />
}

const capitalize = (s: string) => (s ? s.charAt(0).toUpperCase() + s.slice(1) : s)

function FormRendererWith(props: FormRendererProps & { config: ConfigIndex; live?: boolean }) {
  const { entity, config, role, readOnly = false, preview = false } = props
  const formKey = props.formKey ?? 'default'
  const mode = props.mode ?? 'create'
  const model = useModel(config, entity, formKey)
  if (readOnly) return <RecordDetails {...props} formKey={formKey} model={model} />
  return <EditableForm {...props} formKey={formKey} mode={mode} model={model} role={role} preview={preview} />
}

type Placed = {
  def: FieldDef
  label: string
  helpText?: string
  readOnly: boolean
  /** Read-only because a pending approval locks it (rather than for the role). */
  locked?: boolean
  visibleWhen?: FormContent['sections'][number]['fields'][number]['visibleWhen']
}

/** The form's sections with each placed field resolved against the catalogue. */
function placedSections(model: Model, role: Role, config: ConfigIndex, entity: Entity, formKey: string, lockedFields: readonly string[] = []) {
  const locked = new Set(lockedFields)
  const byName = new Map(model.fields.map((f) => [f.name, f]))
  // The same rule the server applies to writes (it rejects changes to these fields).
  const readOnlyForRole = new Set(model.form ? readOnlyFieldsFor(config, entity, formKey, role) : [])
  return (model.form?.sections ?? []).map((section) => ({
    section,
    fields: section.fields.map((ff) => {
      const def = byName.get(ff.field)
      if (!def) return { missing: ff.field } as const
      const placed: Placed = {
        def,
        label: ff.label ?? def.label,
        helpText: ff.helpText ?? def.helpText,
        readOnly: isSystemField(def.name) || readOnlyForRole.has(def.name) || locked.has(def.name),
        locked: locked.has(def.name),
        visibleWhen: ff.visibleWhen,
      }
      return placed
    }),
  }))
}

function isVisible(placed: Placed, record: RecordLike, config: ConfigIndex, entity: Entity, fields: readonly FieldDef[]): boolean {
  if (!placed.visibleWhen) return true
  try {
    return evaluateCondition(placed.visibleWhen, record, { fields, entity, conditions: config.conditions(entity) })
  } catch {
    // A condition that cannot be evaluated (draft with a dangling ref) must not hide data.
    return true
  }
}

// ---------------------------------------------------------------------------------------------
// Read-only detail

function RecordDetails(props: FormRendererProps & { config: ConfigIndex; formKey: string; model: Model }) {
  const { config, entity, model, role, defaultValues = {}, members, lookupLabels } = props
  if (model.problem) return <Alert tone="error">{model.problem}</Alert>
  const sections = placedSections(model, role, config, entity, props.formKey)
  return (
    <div className="record-form record-form--readonly">
      {sections.map(({ section, fields }, i) => {
        const shown = fields.filter((f): f is Placed => 'def' in f && isVisible(f, defaultValues, config, entity, model.fields))
        if (shown.length === 0) return null
        return (
          <section key={`${i}-${section.title}`} className="form-section" aria-labelledby={`section-${i}`}>
            <h2 className="form-section__title" id={`section-${i}`}>
              {section.title}
            </h2>
            <dl className={cn('form-section__grid', section.columns === 2 && 'form-section__grid--2')}>
              {shown.map((p) => (
                <div key={p.def.name} className="detail-field">
                  <dt>{p.label}</dt>
                  <dd>
                    <FieldValue def={p.def} value={readField(defaultValues, p.def)} ctx={{ members, lookupLabels, currency: currencyOf(defaultValues) }} />
                  </dd>
                </div>
              ))}
            </dl>
          </section>
        )
      })}
    </div>
  )
}

function currencyOf(record: RecordLike): string | undefined {
  const c = record.currency
  return typeof c === 'string' && /^[A-Z]{3}$/.test(c) ? c : undefined
}

// ---------------------------------------------------------------------------------------------
// Create / edit

type FormValues = Record<string, unknown>

function flattenErrors(errors: FieldErrors, prefix = ''): Array<{ name: string; message: string }> {
  const out: Array<{ name: string; message: string }> = []
  for (const [key, value] of Object.entries(errors)) {
    if (!value || typeof value !== 'object') continue
    const name = prefix ? `${prefix}.${key}` : key
    const message = (value as { message?: unknown }).message
    if (typeof message === 'string' && message) out.push({ name, message })
    else if (key !== 'ref') out.push(...flattenErrors(value as FieldErrors, name))
  }
  return out
}

function EditableForm(
  props: FormRendererProps & { config: ConfigIndex; live?: boolean; formKey: string; mode: 'create' | 'edit'; model: Model; role: Role; preview: boolean },
) {
  const { config, entity, formKey, mode, model, role, preview, defaultValues, members, lookupLabels, lookupSearch, serverErrors, submitting } = props

  const schema = useMemo(() => {
    if (model.problem) return null
    try {
      return mode === 'create' ? buildRecordSchema(config, entity, formKey) : buildPartialRecordSchema(config, entity, formKey)
    } catch {
      return null
    }
  }, [config, entity, formKey, mode, model.problem])

  const { lockedFields } = props
  const sections = useMemo(() => placedSections(model, role, config, entity, formKey, lockedFields), [model, role, config, entity, formKey, lockedFields])

  // Everything the resolver needs, always the latest render's (the resolver itself never changes).
  const latest = useRef({ schema, sections, model, mode, defaultValues, config, entity })
  latest.current = { schema, sections, model, mode, defaultValues, config, entity }

  const resolver = useCallback<Resolver<FormValues>>(async (values, context, options) => {
    const { schema } = latest.current
    const payload = buildPayload(values, latest.current)
    if (!schema) return { values: payload, errors: {} }
    // People's words for every issue, the same mapping the server's answers go through (api-errors).
    return zodResolver(schema as never, { error: (issue: never) => humanIssueMessage(issue) } as never)(payload, context, options as never) as ReturnType<
      Resolver<FormValues>
    >
  }, [])

  const { control, handleSubmit, setError, formState, getValues } = useForm<FormValues>({
    defaultValues: recordToInputs(model.fields, defaultValues, mode === 'create'),
    resolver,
    mode: 'onSubmit',
    reValidateMode: 'onChange',
  })

  // Server answers land on the fields they name; the rest goes to the banner.
  useEffect(() => {
    if (!serverErrors?.fieldErrors) return
    for (const [name, message] of Object.entries(serverErrors.fieldErrors)) {
      setError(name, { type: 'server', message: capitalize(message) })
    }
  }, [serverErrors, setError])

  const values = useWatch({ control }) as FormValues
  const asRecord = useMemo(() => inputsToRecord(model.fields, values), [model.fields, values])

  const rendered = new Set<string>()
  const visibleSections = sections.map(({ section, fields }) => ({
    section,
    fields: fields.filter((f) => !('def' in f) || isVisible(f, asRecord, config, entity, model.fields)),
  }))
  for (const s of visibleSections) for (const f of s.fields) if ('def' in f && !f.readOnly) rendered.add(fieldPath(f.def))

  // Unsaved changes: a field that may be sent holds something else than it started with.
  const dirty = sections.some(({ fields }) =>
    fields.some((f) => 'def' in f && !f.readOnly && !sameInput(readField(values, f.def), initialInput(f.def, defaultValues, mode))),
  )
  const { onDirtyChange } = props
  useEffect(() => onDirtyChange?.(dirty), [dirty, onDirtyChange])

  useRemovedFieldNotice(props.live === true, sections, () => getValues(), defaultValues, mode)

  const [checked, setChecked] = useState(false)
  const onValid = (payload: FormValues) => {
    if (props.onSubmit) props.onSubmit(payload as RecordWrite | RecordPatch)
    else setChecked(true)
  }
  const submit = (e: FormEvent<HTMLFormElement>) => {
    setChecked(false)
    void handleSubmit(onValid)(e)
  }

  const fieldLabel = (name: string) => {
    const def = model.fields.find((f) => fieldPath(f) === name)
    return def?.label ?? name
  }
  const unplaced = flattenErrors(formState.errors).filter((e) => !rendered.has(e.name))
  const bannerMessage = serverErrors?.message ?? null

  if (model.problem) return <Alert tone="error">{model.problem}</Alert>

  return (
    <form className="record-form" noValidate onSubmit={submit} aria-label={model.form?.label} data-testid="record-form">
      {bannerMessage || unplaced.length > 0 ? (
        <Alert tone="error">
          {bannerMessage ? <p className="alert__title">{bannerMessage}</p> : null}
          {unplaced.length > 0 ? (
            <ul className="alert__list">
              {unplaced.map((e) => (
                <li key={e.name}>
                  {fieldLabel(e.name)}: {capitalize(e.message)}
                </li>
              ))}
            </ul>
          ) : null}
        </Alert>
      ) : null}
      {checked && preview ? <Alert tone="success">These values are valid for this form.</Alert> : null}
      {visibleSections.map(({ section, fields }, i) =>
        fields.length === 0 ? null : (
          <fieldset key={`${i}-${section.title}`} className="form-section">
            <legend className="form-section__title">{section.title}</legend>
            <div className={cn('form-section__grid', section.columns === 2 && 'form-section__grid--2')}>
              {fields.map((f) =>
                'def' in f ? (
                  <FormField
                    key={f.def.name}
                    placed={f}
                    control={control}
                    mode={mode}
                    defaultValues={defaultValues}
                    members={members}
                    lookupLabels={lookupLabels}
                    lookupSearch={lookupSearch}
                    disabled={submitting}
                  />
                ) : preview ? (
                  <div key={`missing-${f.missing}`} className="field field--missing" role="note">
                    Unknown field <code>{f.missing}</code>
                  </div>
                ) : null,
              )}
            </div>
          </fieldset>
        ),
      )}
      <div className="record-form__actions">
        <Button type="submit" disabled={submitting}>
          {submitting ? 'Saving…' : (props.submitLabel ?? (mode === 'create' ? 'Create' : 'Save changes'))}
        </Button>
        {props.actions}
      </div>
    </form>
  )
}

/** What a field's input starts with: the record's value, or on create the field's default. */
function initialInput(def: FieldDef, defaultValues: RecordLike | undefined, mode: 'create' | 'edit') {
  const stored = defaultValues ? readField(defaultValues, def) : undefined
  return toInputValue(def, stored === undefined && mode === 'create' ? def.default : stored)
}

/** An input as text a person can paste elsewhere. */
function inputText(value: unknown): string {
  if (Array.isArray(value)) return value.map(String).join(', ')
  if (typeof value === 'boolean') return value ? 'Yes' : 'No'
  return value === null || value === undefined ? '' : String(value)
}

/**
 * Live config: a publish or rollback may take a field off the form (or make it read-only) while
 * someone has typed into it. Its input would silently stop being sent, so say which field (by the
 * label they saw) in a toast that keeps the typed value, shown and copyable, until dismissed.
 */
function useRemovedFieldNotice(
  enabled: boolean,
  sections: ReturnType<typeof placedSections>,
  currentValues: () => FormValues,
  defaultValues: RecordLike | undefined,
  mode: 'create' | 'edit',
) {
  const toast = useToast()
  const before = useRef<Map<string, Placed> | null>(null)
  useEffect(() => {
    const now = new Map<string, Placed>()
    for (const { fields } of sections) for (const f of fields) if ('def' in f) now.set(f.def.name, f)
    const previous = before.current
    before.current = now
    if (!enabled || !previous) return
    const values = currentValues()
    for (const [name, was] of previous) {
      const still = now.get(name)
      if (was.readOnly || (still && !still.readOnly)) continue
      const typed = readField(values, was.def)
      if (sameInput(typed, initialInput(was.def, defaultValues, mode))) continue
      const text = inputText(typed)
      toast({
        title: still ? `“${was.label}” is now read-only` : `“${was.label}” was removed from this form`,
        description: (
          <>
            An admin published a change, so what you typed there will not be saved:
            <span className="toast__value">{text}</span>
          </>
        ),
        tone: 'warning',
        duration: Infinity,
        actions: [
          { label: 'Copy value', altText: `Copy what you typed into ${was.label}`, keepOpen: true, onClick: () => void navigator.clipboard?.writeText(text) },
        ],
      })
    }
    // Only a config change (new sections) is a removal; typing is not.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [sections, enabled, toast])
}

/**
 * The write the form would send: the writable fields placed on the form and visible now (not
 * read-only for the role), plus context values given in `defaultValues` for writable fields the
 * form does not place. On edit, only the fields whose input differs from the record.
 */
function buildPayload(
  values: FormValues,
  {
    sections,
    model,
    mode,
    defaultValues,
    config,
    entity,
  }: { sections: ReturnType<typeof placedSections>; model: Model; mode: 'create' | 'edit'; defaultValues?: RecordLike; config: ConfigIndex; entity: Entity },
): FormValues {
  const record = inputsToRecord(model.fields, values)
  const send: FieldDef[] = []
  const placed = new Set<string>()
  for (const { fields } of sections) {
    for (const f of fields) {
      if (!('def' in f)) continue
      placed.add(f.def.name)
      if (f.readOnly || !isVisible(f, record, config, entity, model.fields)) continue
      send.push(f.def)
    }
  }
  const out: FormValues = { data: {} }
  const put = (def: FieldDef, value: unknown) => {
    if (def.builtIn) out[def.name] = value
    else (out.data as FormValues)[def.name] = value
  }
  for (const def of send) {
    const input = readField(values, def)
    if (mode === 'edit') {
      const before = toInputValue(def, defaultValues ? readField(defaultValues, def) : undefined)
      if (sameInput(input, before)) continue
      put(def, fromInputValue(def, input))
    } else {
      const value = fromInputValue(def, input)
      // Empty optional input stays absent so server-side defaults apply; clearing a defaulted
      // field is sent as null on purpose.
      if ((value === null || value === undefined) && def.default === undefined) continue
      put(def, value)
    }
  }
  if (mode === 'create' && defaultValues) {
    for (const def of model.fields) {
      if (placed.has(def.name) || isSystemField(def.name)) continue
      const value = readField(defaultValues, def)
      if (value !== undefined && value !== null) put(def, value)
    }
  }
  return out
}

function FormField({
  placed,
  control,
  mode,
  defaultValues,
  members,
  lookupLabels,
  lookupSearch,
  disabled,
}: {
  placed: Placed
  control: Control<FormValues>
  mode: 'create' | 'edit'
  defaultValues?: RecordLike
  members?: readonly MemberOption[]
  lookupLabels?: LookupLabels
  lookupSearch?: LookupSearch
  disabled?: boolean
}) {
  const { def, label, helpText, readOnly, locked } = placed
  const name = fieldPath(def)
  const stored = defaultValues ? readField(defaultValues, def) : undefined
  const { field, fieldState } = useController({ name, control, defaultValue: initialInput(def, defaultValues, mode) })
  const id = `${useId()}-${def.name}`
  const labelId = `${id}-label`
  const hintId = helpText ? `${id}-hint` : undefined
  const error = fieldState.error?.message
  const errorId = error ? `${id}-error` : undefined
  const describedBy = [hintId, errorId].filter(Boolean).join(' ') || undefined
  const wide = def.type === 'textarea' || (def.type === 'multiselect' && (def.options?.length ?? 0) > 4)

  if (readOnly) {
    return (
      <div className={cn('field', wide && 'field--wide')} data-field={def.name}>
        <span className="label" id={labelId}>
          {label}
        </span>
        <div className="field-static" aria-labelledby={labelId}>
          <FieldValue def={def} value={stored ?? null} ctx={{ members, lookupLabels }} />
        </div>
        <p className="field__hint">
          {isSystemField(def.name) ? 'Set by the system.' : locked ? 'Locked while an approval is pending.' : 'Read-only for your role.'}
        </p>
      </div>
    )
  }

  const control_ = (
    <FieldControl
      ref={field.ref}
      id={id}
      labelId={labelId}
      def={def}
      value={field.value}
      onChange={field.onChange}
      onBlur={field.onBlur}
      disabled={disabled}
      invalid={Boolean(error)}
      describedBy={describedBy}
      members={members}
      lookupLabels={lookupLabels}
      lookupSearch={lookupSearch}
    />
  )
  const isGroup = def.type === 'multiselect' && (def.options?.length ?? 0) > 0
  return (
    <div className={cn('field', wide && 'field--wide', def.type === 'boolean' && 'field--checkbox')} data-field={def.name}>
      {def.type === 'boolean' ? (
        <div className="checkbox-row">
          {control_}
          <Label htmlFor={id} id={labelId}>
            {label}
            {def.required ? <RequiredMark /> : null}
          </Label>
        </div>
      ) : (
        <>
          {isGroup ? (
            <span className="label" id={labelId}>
              {label}
              {def.required ? <RequiredMark /> : null}
            </span>
          ) : (
            <Label htmlFor={id} id={labelId}>
              {label}
              {def.required ? <RequiredMark /> : null}
            </Label>
          )}
          {control_}
        </>
      )}
      {helpText ? (
        <p id={hintId} className="field__hint">
          {helpText}
        </p>
      ) : null}
      {error ? (
        <p id={errorId} className="field__error">
          {capitalize(error)}
        </p>
      ) : null}
    </div>
  )
}

function RequiredMark() {
  return (
    <span className="required-mark" aria-hidden>
      {' *'}
    </span>
  )
}
