// The one check for every redirect target that comes from input (`redirectTo` on login, register,
// tenant switch, logout): it must not send a signed-in person to another site.
const DEFAULT_REDIRECT = '/'
const BASE = 'http://x'

// Browsers drop tabs and newlines anywhere in a URL and trim control characters and spaces, so
// `/\t/evil.test` becomes `//evil.test`: any control character or whitespace is refused outright.
const CONTROL_OR_SPACE = /[\u0000-\u001f\u007f-\u009f\s]/u
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/u
const OTHER_HOST = /^(\/\/|\/\\)/

/** `to` as a same-origin path (normalised the way a browser resolves it), or `fallback`. */
export function safeRedirect(to: FormDataEntryValue | string | null | undefined, fallback = DEFAULT_REDIRECT): string {
  if (typeof to !== 'string' || to.length > 2_000 || !to.startsWith('/') || OTHER_HOST.test(to) || CONTROL_OR_SPACE.test(to)) return fallback
  let url: URL
  try {
    url = new URL(to, BASE)
  } catch {
    return fallback
  }
  if (url.origin !== BASE) return fallback
  // What goes out is what the browser resolved: `/a/../..//evil` resolves to `//evil`, refused.
  const normalised = `${url.pathname}${url.search}${url.hash}`
  if (OTHER_HOST.test(normalised) || CONTROL_OR_SPACE.test(normalised)) return fallback
  // Percent-encoding must not hide that shape from a proxy or server that decodes the path again
  // (`/%2F%2Fevil`, `/%5Cevil`, `/%09/evil`).
  let path = url.pathname
  for (let i = 0; i < 3; i++) {
    let decoded: string
    try {
      decoded = decodeURIComponent(path)
    } catch {
      return fallback
    }
    if (decoded === path) break
    if (OTHER_HOST.test(decoded) || CONTROL.test(decoded)) return fallback
    path = decoded
  }
  return normalised
}
