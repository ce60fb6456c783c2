// One input per field type. Each is controlled by the form renderer (value + onChange of the
// field's input value, see field-values.ts) and labelled by it; these components only render the
// control and its keyboard behaviour.
import { useFetcher } from '@remix-run/react'
import { forwardRef, useEffect, useId, useRef, useState, type KeyboardEvent, type Ref } from 'react'
import { Checkbox } from 'radix-ui'
import type { Entity, FieldDef } from '../../../server/config-language'
import { Input, NativeSelect } from '~/components/ui/input'
import { cn } from '~/utils/cn'
import type { LookupLabels, MemberOption } from './entities'

export type LookupOption = { id: string; label: string; detail?: string }
/** Finds records of `entity` for a lookup field; the default asks the /resources/lookup route. */
export type LookupSearch = (entity: Entity, query: string) => Promise<LookupOption[]>

export type ControlProps = {
  id: string
  def: FieldDef
  value: unknown
  onChange: (value: unknown) => void
  onBlur: () => void
  disabled?: boolean
  invalid?: boolean
  describedBy?: string
  /** Id of the visible label, for controls that are groups rather than one input. */
  labelId: string
  members?: readonly MemberOption[]
  lookupLabels?: LookupLabels
  lookupSearch?: LookupSearch
}

const str = (v: unknown) => (typeof v === 'string' ? v : '')

export const FieldControl = forwardRef<HTMLElement, ControlProps>(function FieldControl(props, ref) {
  const { id, def, value, onChange, onBlur, disabled, invalid, describedBy } = props
  const common = {
    id,
    onBlur,
    disabled,
    'aria-invalid': invalid || undefined,
    'aria-describedby': describedBy,
    'aria-required': def.required || undefined,
  }
  const inputRef = ref as Ref<HTMLInputElement>
  switch (def.type) {
    case 'textarea':
      return (
        <textarea
          {...common}
          ref={ref as Ref<HTMLTextAreaElement>}
          className="input textarea"
          rows={4}
          value={str(value)}
          onChange={(e) => onChange(e.target.value)}
        />
      )
    case 'number':
    case 'currency':
    case 'percent':
      return (
        <span className="input-adorned">
          {def.type === 'currency' ? (
            <span className="input-adorned__prefix" aria-hidden>
              $
            </span>
          ) : null}
          <Input
            {...common}
            ref={inputRef}
            type="number"
            step="any"
            inputMode="decimal"
            min={def.min}
            max={def.max}
            value={str(value)}
            onChange={(e) => onChange(e.target.value)}
          />
          {def.type === 'percent' ? (
            <span className="input-adorned__suffix" aria-hidden>
              %
            </span>
          ) : null}
        </span>
      )
    case 'date':
      return <Input {...common} ref={inputRef} type="date" value={str(value)} onChange={(e) => onChange(e.target.value)} />
    case 'datetime':
      return <Input {...common} ref={inputRef} type="datetime-local" value={str(value)} onChange={(e) => onChange(e.target.value)} />
    case 'boolean':
      return (
        <Checkbox.Root
          {...common}
          ref={ref as Ref<HTMLButtonElement>}
          className="checkbox"
          checked={value === true}
          onCheckedChange={(checked) => onChange(checked === true)}
        >
          <Checkbox.Indicator className="checkbox__indicator">✓</Checkbox.Indicator>
        </Checkbox.Root>
      )
    case 'select':
      return (
        <NativeSelect {...common} ref={ref as Ref<HTMLSelectElement>} value={str(value)} onChange={(e) => onChange(e.target.value)}>
          <option value="">{def.required ? 'Choose…' : '—'}</option>
          {(def.options ?? []).map((o) => (
            <option key={o.value} value={o.value}>
              {o.label}
            </option>
          ))}
          {str(value) && !def.options?.some((o) => o.value === value) ? <option value={str(value)}>{str(value)}</option> : null}
        </NativeSelect>
      )
    case 'multiselect':
      return (def.options ?? []).length > 0 ? <CheckboxGroup {...props} ref={ref} /> : <TagInput {...props} ref={inputRef} />
    case 'user':
      return (
        <NativeSelect {...common} ref={ref as Ref<HTMLSelectElement>} value={str(value)} onChange={(e) => onChange(e.target.value)}>
          <option value="">{def.required ? 'Choose a member…' : 'Nobody'}</option>
          {(props.members ?? []).map((m) => (
            <option key={m.id} value={m.id}>
              {m.name}
            </option>
          ))}
          {str(value) && !props.members?.some((m) => m.id === value) ? <option value={str(value)}>Unknown member</option> : null}
        </NativeSelect>
      )
    case 'lookup':
      return <LookupInput {...props} ref={inputRef} />
    case 'email':
      return <Input {...common} ref={inputRef} type="email" autoComplete="off" value={str(value)} onChange={(e) => onChange(e.target.value)} />
    case 'phone':
      return <Input {...common} ref={inputRef} type="tel" autoComplete="off" value={str(value)} onChange={(e) => onChange(e.target.value)} />
    case 'url':
      return <Input {...common} ref={inputRef} type="url" placeholder="https://" value={str(value)} onChange={(e) => onChange(e.target.value)} />
    case 'text':
    default:
      return <Input {...common} ref={inputRef} type="text" maxLength={def.max} value={str(value)} onChange={(e) => onChange(e.target.value)} />
  }
})

const CheckboxGroup = forwardRef<HTMLElement, ControlProps>(function CheckboxGroup(
  { id, def, value, onChange, onBlur, disabled, invalid, describedBy, labelId },
  ref,
) {
  const selected = Array.isArray(value) ? (value as string[]) : []
  const toggle = (v: string, on: boolean) => {
    const next = on ? [...selected, v] : selected.filter((s) => s !== v)
    // Keep the config's option order so the stored list reads like the form.
    onChange((def.options ?? []).map((o) => o.value).filter((o) => next.includes(o)))
  }
  return (
    <div
      role="group"
      id={id}
      aria-labelledby={labelId}
      aria-describedby={describedBy}
      aria-invalid={invalid || undefined}
      className={cn('checkbox-group', invalid && 'is-invalid')}
      ref={ref as Ref<HTMLDivElement>}
      tabIndex={-1}
    >
      {(def.options ?? []).map((o) => {
        const optionId = `${id}-${o.value}`
        return (
          <label key={o.value} className="checkbox-option" htmlFor={optionId}>
            <Checkbox.Root
              id={optionId}
              className="checkbox"
              disabled={disabled}
              checked={selected.includes(o.value)}
              onCheckedChange={(c) => toggle(o.value, c === true)}
              onBlur={onBlur}
            >
              <Checkbox.Indicator className="checkbox__indicator">✓</Checkbox.Indicator>
            </Checkbox.Root>
            {o.label}
          </label>
        )
      })}
    </div>
  )
})

/** Free tagging: Enter or comma adds a tag, Backspace in the empty input removes the last one. */
const TagInput = forwardRef<HTMLInputElement, ControlProps>(function TagInput({ id, value, onChange, onBlur, disabled, invalid, describedBy }, ref) {
  const tags = Array.isArray(value) ? (value as string[]) : []
  const [draft, setDraft] = useState('')
  const add = () => {
    const tag = draft.trim().replace(/,$/, '').trim()
    if (tag && !tags.includes(tag)) onChange([...tags, tag])
    setDraft('')
  }
  const onKeyDown = (e: KeyboardEvent<HTMLInputElement>) => {
    if (e.key === 'Enter' || e.key === ',') {
      e.preventDefault()
      add()
    } else if (e.key === 'Backspace' && draft === '' && tags.length > 0) {
      onChange(tags.slice(0, -1))
    }
  }
  return (
    <div className={cn('input tag-input', invalid && 'is-invalid', disabled && 'is-disabled')}>
      {tags.map((t) => (
        <span key={t} className="tag">
          {t}
          {disabled ? null : (
            <button type="button" className="tag__remove" aria-label={`Remove ${t}`} onClick={() => onChange(tags.filter((x) => x !== t))}>
              ×
            </button>
          )}
        </span>
      ))}
      <input
        id={id}
        ref={ref}
        className="tag-input__field"
        value={draft}
        disabled={disabled}
        placeholder={tags.length ? '' : 'Type and press Enter'}
        aria-invalid={invalid || undefined}
        aria-describedby={describedBy}
        onChange={(e) => setDraft(e.target.value)}
        onKeyDown={onKeyDown}
        onBlur={() => {
          if (draft.trim()) add()
          onBlur()
        }}
      />
    </div>
  )
})

function useLookupOptions(entity: Entity, query: string, open: boolean, search?: LookupSearch): { options: LookupOption[]; loading: boolean } {
  const fetcher = useFetcher<{ options: LookupOption[] }>()
  const [custom, setCustom] = useState<{ options: LookupOption[]; loading: boolean }>({ options: [], loading: false })
  const load = fetcher.load
  useEffect(() => {
    if (!open) return
    const timer = setTimeout(() => {
      if (search) {
        setCustom((c) => ({ ...c, loading: true }))
        search(entity, query).then(
          (options) => setCustom({ options, loading: false }),
          () => setCustom({ options: [], loading: false }),
        )
      } else {
        load(`/resources/lookup?${new URLSearchParams({ entity, q: query })}`)
      }
    }, 200)
    return () => clearTimeout(timer)
  }, [entity, query, open, search, load])
  if (search) return custom
  return { options: fetcher.data?.options ?? [], loading: fetcher.state !== 'idle' }
}

/** A record picker: a combobox that searches records of the field's lookup entity. */
const LookupInput = forwardRef<HTMLInputElement, ControlProps>(function LookupInput(
  { id, def, value, onChange, onBlur, disabled, invalid, describedBy, lookupLabels, lookupSearch },
  ref,
) {
  const entity = def.lookupEntity ?? 'customer'
  const selectedId = str(value)
  const [chosenLabel, setChosenLabel] = useState<string | null>(null)
  const selectedLabel = selectedId ? (lookupLabels?.[selectedId] ?? chosenLabel ?? selectedId) : ''
  const [query, setQuery] = useState<string | null>(null)
  const [open, setOpen] = useState(false)
  const [active, setActive] = useState(0)
  const { options, loading } = useLookupOptions(entity, query ?? '', open, lookupSearch)
  const listId = useId()
  const wrapRef = useRef<HTMLDivElement>(null)

  const choose = (o: LookupOption | null) => {
    setChosenLabel(o?.label ?? null)
    onChange(o?.id ?? '')
    setQuery(null)
    setOpen(false)
  }
  const onKeyDown = (e: KeyboardEvent<HTMLInputElement>) => {
    if (e.key === 'ArrowDown') {
      e.preventDefault()
      if (!open) setOpen(true)
      else setActive((a) => Math.min(a + 1, Math.max(options.length - 1, 0)))
    } else if (e.key === 'ArrowUp') {
      e.preventDefault()
      setActive((a) => Math.max(a - 1, 0))
    } else if (e.key === 'Enter') {
      if (open && options[active]) {
        e.preventDefault()
        choose(options[active]!)
      }
    } else if (e.key === 'Escape') {
      if (open) {
        e.preventDefault()
        setOpen(false)
        setQuery(null)
      }
    }
  }
  useEffect(() => setActive(0), [options])

  return (
    <div
      className="combobox"
      ref={wrapRef}
      onBlur={(e) => {
        if (!wrapRef.current?.contains(e.relatedTarget as Node | null)) {
          setOpen(false)
          setQuery(null)
          onBlur()
        }
      }}
    >
      <Input
        id={id}
        ref={ref}
        role="combobox"
        autoComplete="off"
        aria-autocomplete="list"
        aria-expanded={open}
        aria-controls={open ? listId : undefined}
        aria-activedescendant={open && options[active] ? `${listId}-${active}` : undefined}
        aria-invalid={invalid || undefined}
        aria-describedby={describedBy}
        aria-required={def.required || undefined}
        disabled={disabled}
        placeholder="Search…"
        value={query ?? selectedLabel}
        onChange={(e) => {
          setQuery(e.target.value)
          setOpen(true)
        }}
        onFocus={() => setOpen(true)}
        onKeyDown={onKeyDown}
      />
      {selectedId && !disabled ? (
        <button type="button" className="combobox__clear" aria-label={`Clear ${def.label}`} onClick={() => choose(null)}>
          ×
        </button>
      ) : null}
      {open ? (
        <ul className="combobox__list" role="listbox" id={listId} aria-label={`${def.label} options`}>
          {options.length === 0 ? (
            <li className="combobox__empty" role="presentation">
              {loading ? 'Searching…' : 'No matches'}
            </li>
          ) : (
            options.map((o, i) => (
              <li
                key={o.id}
                id={`${listId}-${i}`}
                role="option"
                aria-selected={i === active}
                className={cn('combobox__option', i === active && 'is-active')}
                // mousedown, not click: keep focus in the input so blur does not close first.
                onMouseDown={(e) => {
                  e.preventDefault()
                  choose(o)
                }}
                onMouseEnter={() => setActive(i)}
              >
                <span>{o.label}</span>
                {o.detail ? <small className="muted">{o.detail}</small> : null}
              </li>
            ))
          )}
        </ul>
      ) : null}
    </div>
  )
})
