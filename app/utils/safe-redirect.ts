// `redirectTo` comes from the URL, so it must not send a signed-in user to another site.
const DEFAULT_REDIRECT = '/'

export function safeRedirect(to: FormDataEntryValue | string | null | undefined, fallback = DEFAULT_REDIRECT): string {
  if (typeof to !== 'string' || !to.startsWith('/') || to.startsWith('//') || to.startsWith('/\\')) return fallback
  return to
}
