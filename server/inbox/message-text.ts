// Small pure helpers of the inbox: subject keys for threading, previews, sender labels.
import sanitizeHtml from 'sanitize-html'

/** Messages without a thread id join a thread of the same customer, channel and subject this recent. */
export const THREAD_WINDOW_MS = 7 * 24 * 60 * 60 * 1000

const REPLY_PREFIX = /^\s*((re|fw|fwd|aw|sv|wg|antw)\s*(\[\d+\])?\s*:\s*)+/i

/** "Re: FWD:  Order 42 " → "order 42": replies and forwards thread with their original. */
export function subjectKey(subject: string | null | undefined): string {
  return (subject ?? '').replace(REPLY_PREFIX, '').replace(/\s+/g, ' ').trim().toLowerCase().slice(0, 500)
}

/** The first characters of a message for lists and toasts, on one line. */
export function previewOf(text: string, max = 160): string {
  const line = text.replace(/\s+/g, ' ').trim()
  return line.length > max ? `${line.slice(0, max - 1)}…` : line
}

/** Plain text of (already sanitised) HTML, for a message that came with HTML only. */
export function textOfHtml(html: string): string {
  return sanitizeHtml(html.replace(/<(br|\/p|\/div|\/li|\/tr)\b[^>]*>/gi, '\n$&'), { allowedTags: [], allowedAttributes: {} })
    .replace(/&nbsp;/g, ' ')
    .replace(/&amp;/g, '&')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .trim()
}

export type Sender = { email?: string; phone?: string; name?: string; handle?: string }

/** How the inbox names a sender: their name, else their address, phone or handle. */
export function senderLabel(from: Sender): string {
  return from.name ?? from.email ?? from.phone ?? from.handle ?? 'Unknown sender'
}
