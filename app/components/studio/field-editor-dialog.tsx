// Adds or edits one custom field of an entity's catalogue (react-hook-form; checked with the config
// language's own fieldDefSchema and value rules, so what this dialog accepts, validation accepts).
import { useEffect, useId, useState } from 'react'
import { useFieldArray, useForm, type UseFormRegisterReturn } from 'react-hook-form'
import {
  ENTITIES,
  FIELD_TYPES,
  NUMBER_TYPES,
  RESERVED_FIELD_NAMES,
  TEXT_TYPES,
  patternProblem,
  fieldDefSchema,
  fieldValueProblem,
  isEmptyValue,
  type Entity,
  type FieldDef,
  type FieldType,
} from '../../../server/config-language'
import { Dialog, DialogContent } from '~/components/ui/dialog'
import { Button } from '~/components/ui/button'
import { Input, NativeSelect } from '~/components/ui/input'
import { Label } from '~/components/ui/label'

export const FIELD_TYPE_LABELS: Record<FieldType, string> = {
  text: 'Text',
  textarea: 'Long text',
  number: 'Number',
  currency: 'Currency',
  percent: 'Percent',
  date: 'Date',
  datetime: 'Date and time',
  boolean: 'Yes / no',
  select: 'Select (one option)',
  multiselect: 'Multi-select',
  email: 'Email',
  phone: 'Phone',
  url: 'URL',
  user: 'User (a member)',
  lookup: 'Lookup (another record)',
}

const BOUNDED: readonly FieldType[] = [...NUMBER_TYPES, 'text', 'textarea']
const CHOICE: readonly FieldType[] = ['select', 'multiselect']

type FormValues = {
  label: string
  name: string
  type: FieldType
  required: boolean
  options: { value: string; label: string }[]
  min: string
  max: string
  pattern: string
  default: string
  helpText: string
  lookupEntity: Entity | ''
}

/** "Customer segment" → "customerSegment": a valid field name from a label. */
export function fieldNameFromLabel(label: string): string {
  const words = label
    .normalize('NFKD')
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .replace(/[^\x00-\x7F]/g, '')
    .trim()
    .split(/\s+/)
    .filter(Boolean)
  const name = words.map((w, i) => (i === 0 ? w.toLowerCase() : w[0]!.toUpperCase() + w.slice(1).toLowerCase())).join('')
  const safe = name.replace(/^[^a-z]+/, '')
  return safe.slice(0, 63)
}

function toValues(def: FieldDef | null): FormValues {
  const d = def?.default
  return {
    label: def?.label ?? '',
    name: def?.name ?? '',
    type: def?.type ?? 'text',
    required: def?.required ?? false,
    options: def?.options?.map((o) => ({ ...o })) ?? [],
    min: def?.min !== undefined ? String(def.min) : '',
    max: def?.max !== undefined ? String(def.max) : '',
    pattern: def?.pattern ?? '',
    default: d === undefined ? '' : Array.isArray(d) ? d.join(', ') : String(d),
    helpText: def?.helpText ?? '',
    lookupEntity: def?.lookupEntity ?? '',
  }
}

function parseDefault(type: FieldType, raw: string): FieldDef['default'] {
  const text = raw.trim()
  if (text === '') return undefined
  if (NUMBER_TYPES.includes(type)) return Number.isFinite(Number(text)) ? Number(text) : text
  if (type === 'boolean') return text === 'true' ? true : text === 'false' ? false : text
  if (type === 'multiselect')
    return text
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean)
  return text
}

function toDef(v: FormValues): FieldDef {
  const def: Record<string, unknown> = { name: v.name.trim(), label: v.label.trim(), type: v.type, builtIn: false, required: v.required }
  if (CHOICE.includes(v.type))
    def.options = v.options.filter((o) => o.value.trim() || o.label.trim()).map((o) => ({ value: o.value.trim(), label: o.label.trim() || o.value.trim() }))
  if (BOUNDED.includes(v.type)) {
    if (v.min.trim() !== '') def.min = Number(v.min)
    if (v.max.trim() !== '') def.max = Number(v.max)
  }
  if (TEXT_TYPES.includes(v.type) && v.pattern.trim()) def.pattern = v.pattern.trim()
  const dflt = parseDefault(v.type, v.default)
  if (dflt !== undefined) def.default = dflt
  if (v.helpText.trim()) def.helpText = v.helpText.trim()
  if (v.type === 'lookup' && v.lookupEntity) def.lookupEntity = v.lookupEntity
  return def as FieldDef
}

const FORM_KEYS: ReadonlyArray<keyof FormValues> = [
  'label',
  'name',
  'type',
  'required',
  'options',
  'min',
  'max',
  'pattern',
  'default',
  'helpText',
  'lookupEntity',
]

export function FieldEditorDialog({
  open,
  onOpenChange,
  field,
  otherNames,
  onSave,
  placement,
}: {
  open: boolean
  onOpenChange: (open: boolean) => void
  /** null = a new field. */
  field: FieldDef | null
  /** Names already taken in the catalogue. */
  otherNames: readonly string[]
  /** `section`: where on the current form a new field goes (null = not on the form). */
  onSave: (def: FieldDef, section: number | null) => void
  /** The form being built (its name and section titles): a new field can be placed on it at once. */
  placement?: { formLabel: string; sections: string[] }
}) {
  const id = useId()
  const isNew = field === null
  // Opt-in (a catalogue field may be meant for another form or a view only); first section by default.
  const [place, setPlace] = useState(false)
  const [section, setSection] = useState(0)
  useEffect(() => {
    if (open) {
      setPlace(false)
      setSection(0)
    }
  }, [open])
  const canPlace = isNew && !!placement && placement.sections.length > 0
  const form = useForm<FormValues>({ defaultValues: toValues(field) })
  const { register, handleSubmit, watch, setValue, setError, reset, formState, control } = form
  const options = useFieldArray({ control, name: 'options' })
  useEffect(() => {
    if (open) reset(toValues(field))
  }, [open, field, reset])

  const type = watch('type')
  const label = watch('label')
  const nameTouched = formState.dirtyFields.name
  useEffect(() => {
    if (isNew && !nameTouched) setValue('name', fieldNameFromLabel(label))
  }, [isNew, label, nameTouched, setValue])

  const submit = handleSubmit((values) => {
    const def = toDef(values)
    let failed = false
    const fail = (key: keyof FormValues | `options.${number}.value`, message: string) => {
      failed = true
      setError(key as keyof FormValues, { message })
    }
    const parsed = fieldDefSchema.safeParse(def)
    if (!parsed.success) {
      for (const issue of parsed.error.issues) {
        const [head, index, sub] = issue.path
        if (head === 'options' && typeof index === 'number')
          fail(`options.${index}.${sub === 'label' ? 'label' : 'value'}` as `options.${number}.value`, issue.message)
        else if (typeof head === 'string' && (FORM_KEYS as readonly string[]).includes(head)) fail(head as keyof FormValues, issue.message)
        else fail('label', issue.message)
      }
    }
    if (isNew && otherNames.includes(def.name)) fail('name', `A field named "${def.name}" already exists`)
    if ((RESERVED_FIELD_NAMES as readonly string[]).includes(def.name)) fail('name', `"${def.name}" is reserved for the record itself`)
    const patternIssue = def.pattern === undefined ? null : patternProblem(def.pattern)
    if (patternIssue) fail('pattern', patternIssue.message)
    if (def.default !== undefined && !isEmptyValue(def.default)) {
      const problem = parsed.success ? fieldValueProblem(parsed.data as FieldDef, def.default) : null
      if (problem) fail('default', problem)
    }
    if (failed) return
    onSave(parsed.success ? (parsed.data as FieldDef) : def, canPlace && place ? Math.min(section, placement.sections.length - 1) : null)
    onOpenChange(false)
  })

  const err = (name: keyof FormValues) => formState.errors[name]?.message as string | undefined
  const optionValues = watch('options')
  return (
    <Dialog open={open} onOpenChange={onOpenChange}>
      <DialogContent title={isNew ? 'Add field' : `Edit field "${field.label}"`} className="dialog--wide">
        <form onSubmit={submit} noValidate className="field-editor">
          <div className="form-grid">
            <TextField id={`${id}-label`} label="Label" error={err('label')} register={register('label')} />
            <TextField
              id={`${id}-name`}
              label="Name"
              error={err('name')}
              register={register('name')}
              readOnly={!isNew}
              hint={isNew ? 'Used in the API and in conditions; cannot change later.' : 'Names are fixed once created.'}
            />
          </div>
          <div className="form-grid">
            <div className="field">
              <Label htmlFor={`${id}-type`}>Type</Label>
              <NativeSelect id={`${id}-type`} {...register('type')}>
                {FIELD_TYPES.map((t) => (
                  <option key={t} value={t}>
                    {FIELD_TYPE_LABELS[t]}
                  </option>
                ))}
              </NativeSelect>
              {err('type') ? <p className="field__error">{err('type')}</p> : null}
            </div>
            <div className="field field--check">
              <label className="check">
                <input type="checkbox" {...register('required')} /> Required
              </label>
            </div>
          </div>
          {CHOICE.includes(type) ? (
            <fieldset className="options-editor">
              <legend className="label">Options</legend>
              {options.fields.length === 0 ? (
                <p className="muted">{type === 'select' ? 'A select needs at least one option.' : 'No options: free tagging.'}</p>
              ) : null}
              {err('options') ? <p className="field__error">{err('options')}</p> : null}
              <ol className="options-editor__rows">
                {options.fields.map((row, i) => {
                  const rowError = formState.errors.options?.[i]
                  return (
                    <li key={row.id} className="options-editor__row">
                      <label className="visually-hidden" htmlFor={`${id}-opt-${i}-value`}>
                        Option {i + 1} value
                      </label>
                      <Input
                        id={`${id}-opt-${i}-value`}
                        placeholder="value"
                        {...register(`options.${i}.value`)}
                        aria-invalid={rowError?.value ? true : undefined}
                      />
                      <label className="visually-hidden" htmlFor={`${id}-opt-${i}-label`}>
                        Option {i + 1} label
                      </label>
                      <Input id={`${id}-opt-${i}-label`} placeholder="label" {...register(`options.${i}.label`)} />
                      <Button size="sm" variant="ghost" onClick={() => options.remove(i)} aria-label={`Remove option ${optionValues[i]?.value || i + 1}`}>
                        Remove
                      </Button>
                      {rowError?.value?.message ? <p className="field__error">{rowError.value.message}</p> : null}
                    </li>
                  )
                })}
              </ol>
              <Button size="sm" variant="secondary" onClick={() => options.append({ value: '', label: '' })}>
                + Option
              </Button>
            </fieldset>
          ) : null}
          {BOUNDED.includes(type) ? (
            <div className="form-grid">
              <TextField
                id={`${id}-min`}
                label={NUMBER_TYPES.includes(type) ? 'Minimum' : 'Minimum length'}
                type="number"
                error={err('min')}
                register={register('min')}
              />
              <TextField
                id={`${id}-max`}
                label={NUMBER_TYPES.includes(type) ? 'Maximum' : 'Maximum length'}
                type="number"
                error={err('max')}
                register={register('max')}
              />
            </div>
          ) : null}
          {TEXT_TYPES.includes(type) ? (
            <TextField
              id={`${id}-pattern`}
              label="Pattern"
              hint="A regular expression the whole value must match, e.g. [A-Z]{2}-[0-9]{4}"
              error={err('pattern')}
              register={register('pattern')}
            />
          ) : null}
          {type === 'lookup' ? (
            <div className="field">
              <Label htmlFor={`${id}-lookup`}>Points to</Label>
              <NativeSelect id={`${id}-lookup`} {...register('lookupEntity')}>
                <option value="">(choose)</option>
                {ENTITIES.map((e) => (
                  <option key={e} value={e}>
                    {e}
                  </option>
                ))}
              </NativeSelect>
              {err('lookupEntity') ? <p className="field__error">{err('lookupEntity')}</p> : null}
            </div>
          ) : null}
          {type === 'select' && optionValues.some((o) => o.value.trim()) ? (
            <div className="field">
              <Label htmlFor={`${id}-default`}>Default</Label>
              <NativeSelect id={`${id}-default`} {...register('default')}>
                <option value="">(none)</option>
                {optionValues
                  .filter((o) => o.value.trim())
                  .map((o) => (
                    <option key={o.value} value={o.value}>
                      {o.label || o.value}
                    </option>
                  ))}
              </NativeSelect>
              {err('default') ? <p className="field__error">{err('default')}</p> : null}
            </div>
          ) : type === 'boolean' ? (
            <div className="field">
              <Label htmlFor={`${id}-default`}>Default</Label>
              <NativeSelect id={`${id}-default`} {...register('default')}>
                <option value="">(none)</option>
                <option value="true">yes</option>
                <option value="false">no</option>
              </NativeSelect>
            </div>
          ) : (
            <TextField
              id={`${id}-default`}
              label="Default"
              hint={type === 'multiselect' ? 'Comma-separated option values' : type === 'date' ? 'YYYY-MM-DD' : undefined}
              error={err('default')}
              register={register('default')}
            />
          )}
          <TextField id={`${id}-help`} label="Help text" error={err('helpText')} register={register('helpText')} />
          {canPlace ? (
            <fieldset className="field place-on-form">
              <legend className="visually-hidden">Placement</legend>
              <label className="check">
                <input type="checkbox" checked={place} onChange={(e) => setPlace(e.target.checked)} /> Add to this form ({placement.formLabel})
              </label>
              {place && placement.sections.length > 1 ? (
                <div className="field">
                  <Label htmlFor={`${id}-section`}>Section</Label>
                  <NativeSelect id={`${id}-section`} value={section} onChange={(e) => setSection(Number(e.target.value))}>
                    {placement.sections.map((t, i) => (
                      <option key={i} value={i}>
                        {t}
                      </option>
                    ))}
                  </NativeSelect>
                </div>
              ) : null}
            </fieldset>
          ) : null}
          <div className="dialog__actions">
            <Button variant="secondary" onClick={() => onOpenChange(false)}>
              Cancel
            </Button>
            <Button type="submit">{isNew ? 'Add field' : 'Apply'}</Button>
          </div>
        </form>
      </DialogContent>
    </Dialog>
  )
}

function TextField({
  id,
  label,
  hint,
  error,
  register,
  type,
  readOnly,
}: {
  id: string
  label: string
  hint?: string
  error?: string
  register: UseFormRegisterReturn
  type?: string
  readOnly?: boolean
}) {
  return (
    <div className="field">
      <Label htmlFor={id}>{label}</Label>
      <Input
        id={id}
        type={type}
        step={type === 'number' ? 'any' : undefined}
        readOnly={readOnly}
        aria-invalid={error ? true : undefined}
        aria-describedby={[hint ? `${id}-hint` : null, error ? `${id}-error` : null].filter(Boolean).join(' ') || undefined}
        {...register}
      />
      {hint ? (
        <p id={`${id}-hint`} className="field__hint">
          {hint}
        </p>
      ) : null}
      {error ? (
        <p id={`${id}-error`} className="field__error">
          {error}
        </p>
      ) : null}
    </div>
  )
}
