// A labelled input with its hint and error wired up for assistive technology (aria-describedby,
// aria-invalid), so every form in the app gets that right the same way.
import { useId, type InputHTMLAttributes, type ReactNode } from 'react'
import { Input } from './input'
import { Label } from './label'

type FieldProps = InputHTMLAttributes<HTMLInputElement> & {
  label: ReactNode
  hint?: ReactNode
  error?: string
}

export function Field({ label, hint: givenHint, error, id, ...inputProps }: FieldProps) {
  const fallbackId = useId()
  const inputId = id ?? fallbackId
  // An error takes the hint's place rather than repeating it ("At least 8 characters." over
  // "Password must be at least 8 characters"): error messages state the rule they enforce.
  const hint = error ? undefined : givenHint
  const hintId = hint ? `${inputId}-hint` : undefined
  const errorId = error ? `${inputId}-error` : undefined
  return (
    <div className="field">
      <Label htmlFor={inputId}>{label}</Label>
      <Input id={inputId} aria-invalid={error ? true : undefined} aria-describedby={[hintId, errorId].filter(Boolean).join(' ') || undefined} {...inputProps} />
      {hint ? (
        <p id={hintId} className="field__hint">
          {hint}
        </p>
      ) : null}
      {error ? (
        <p id={errorId} className="field__error">
          {error}
        </p>
      ) : null}
    </div>
  )
}
