// Flash messages across the redirect after an action, in a short-lived cookie rather than the URL:
// the URL would keep the message in history and bookmarks (a reload would show it again) and has
// no room for an undo's previous values. The action appends the cookie to the redirect
// (context.resHeaders); the CRM layout's loader, which every post-action revalidation runs, reads
// it once and clears it in the same response. Works without JavaScript, too.
//
// The cookie is not signed: it only ever carries what this person's own action produced, and its
// content is treated as untrusted input (parsed, bounded; the undo may only target a record edit
// route, where the update procedure checks permission and version as for any other write).
import type { AppLoadContext } from '@remix-run/node'
import { randomUUID } from 'node:crypto'
import { z } from 'zod'
import type { Flash } from './flash'

const COOKIE = 'pulse8_flash'
/** Browsers keep ~4 KB per cookie; above this the flash goes without its undo. */
const MAX_COOKIE_CHARS = 3_000
const UNDO_ACTION = /^\/(customers|deals|cases)\/[^/?#]+\/edit$/

const flashSchema = z.object({
  id: z.string().max(100),
  title: z.string().max(300),
  description: z.string().max(1_000).optional(),
  undo: z.object({ action: z.string().regex(UNDO_ACTION), values: z.record(z.string(), z.unknown()), expectedVersion: z.number().int().min(1) }).optional(),
})

function cookie(request: Request, value: string, maxAge: number): string {
  const secure = new URL(request.url).protocol === 'https:' ? '; Secure' : ''
  return `${COOKIE}=${value}; Path=/; HttpOnly; SameSite=Lax; Max-Age=${maxAge}${secure}`
}

const encode = (flash: Flash) => Buffer.from(JSON.stringify(flash)).toString('base64url')

/** Sets the flash the next page shows (call before returning the redirect with context.resHeaders). */
export function setFlash(request: Request, context: AppLoadContext, flash: Omit<Flash, 'id'>): void {
  const full: Flash = { id: randomUUID(), ...flash }
  let value = encode(full)
  if (value.length > MAX_COOKIE_CHARS && full.undo) value = encode({ ...full, undo: undefined })
  if (value.length > MAX_COOKIE_CHARS) return
  context.resHeaders.append('Set-Cookie', cookie(request, value, 60))
}

/** The pending flash, if any; clears it (the caller returns context.resHeaders). */
export function takeFlash(request: Request, context: AppLoadContext): Flash | null {
  const raw = (request.headers.get('cookie') ?? '')
    .split(';')
    .map((c) => c.trim())
    .find((c) => c.startsWith(`${COOKIE}=`))
    ?.slice(COOKIE.length + 1)
  if (!raw) return null
  context.resHeaders.append('Set-Cookie', cookie(request, '', 0))
  try {
    const parsed = flashSchema.safeParse(JSON.parse(Buffer.from(raw, 'base64url').toString('utf8')))
    return parsed.success ? (parsed.data as Flash) : null
  } catch {
    return null
  }
}
