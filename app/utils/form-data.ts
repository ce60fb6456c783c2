/** A text field of a submitted form, trimmed; '' when absent. */
export function text(form: FormData, name: string): string {
  const value = form.get(name)
  return typeof value === 'string' ? value.trim() : ''
}

/** Like `text`, but undefined when empty: optional procedure inputs stay absent. */
export function optionalText(form: FormData, name: string): string | undefined {
  return text(form, name) || undefined
}

/** A password field: never trimmed, spaces are part of it. */
export function secret(form: FormData, name: string): string {
  const value = form.get(name)
  return typeof value === 'string' ? value : ''
}
