// Webhook delivery for the `webhook` action: a signed POST with a bounded destination (the SSRF
// guard: webhook-destination.ts), bounded time (connect 5 s, whole response 10 s, 64 KB read) and
// bounded retries (exponential backoff with full jitter; Retry-After honoured). Decision 019 has
// the schedule. Delivery failures are results, never exceptions: the engine records them.
import http from 'node:http'
import https from 'node:https'
import type { LookupFunction } from 'node:net'
import type { Env } from '../env'
import { resolveDestination, RefusedDestinationError, type Destination } from './webhook-destination'
import { signPulse8, SIGNATURE_HEADER } from './webhook-signature'

export { verifyPulse8Signature, signPulse8 } from './webhook-signature'
export { isPrivateAddress } from './webhook-destination'

export type WebhookRequest = {
  url: string
  /** The JSON body (event + record). Serialized once; the signature covers exactly these bytes. */
  body: unknown
  /** The named tenant secret's value, or null to send unsigned. */
  secret: string | null
  /** Stays the same across retries and re-runs of the same run step (`Pulse8-Delivery`). */
  deliveryId: string
  /** Retries after the first attempt (network errors, 5xx, 408, 429). */
  retries: number
  signal?: AbortSignal
}

export type WebhookResult = { ok: true; status: number; attempts: number } | { ok: false; status: number | null; attempts: number; error: string }

/** The process's delivery settings (from the env: `webhookOptions(env)`); tests shrink the times. */
export type WebhookOptions = {
  /** Allow loopback/private/link-local destinations (WEBHOOK_ALLOW_PRIVATE). Default false. */
  allowPrivate?: boolean
  /** First retry's delay ceiling; doubles per retry (WEBHOOK_RETRY_BASE_MS). Default 1 s. */
  retryBaseMs?: number
  /** Ceiling of any one wait, Retry-After included. Default 60 s. */
  retryCapMs?: number
  /** Default 5 s. */
  connectTimeoutMs?: number
  /** From sending to the end of the response. Default 10 s. */
  responseTimeoutMs?: number
}

export const WEBHOOK_DEFAULTS = {
  retryBaseMs: 1_000,
  retryCapMs: 60_000,
  connectTimeoutMs: 5_000,
  responseTimeoutMs: 10_000,
  /** Most retries an action may ask for (the config language bounds `retries` too). */
  maxRetries: 10,
  /** Response bytes read (and discarded) before the connection is dropped. */
  maxResponseBytes: 64 * 1024,
} as const

export const USER_AGENT = 'Pulse8-Webhooks/1'

export function webhookOptions(env: Partial<Pick<Env, 'WEBHOOK_ALLOW_PRIVATE' | 'WEBHOOK_RETRY_BASE_MS'>>): WebhookOptions {
  return { allowPrivate: env.WEBHOOK_ALLOW_PRIVATE ?? false, retryBaseMs: env.WEBHOOK_RETRY_BASE_MS ?? WEBHOOK_DEFAULTS.retryBaseMs }
}

type Settings = Required<WebhookOptions>

/** One attempt's outcome: a status, or a failure before one; `retry` says whether another may help. */
type Attempt = { status: number | null; retry: boolean; error?: string; retryAfterMs?: number }

export async function deliverWebhook(request: WebhookRequest, options: WebhookOptions = {}): Promise<WebhookResult> {
  if (!Number.isInteger(request.retries) || request.retries < 0 || request.retries > WEBHOOK_DEFAULTS.maxRetries) {
    throw new RangeError(`deliverWebhook: retries must be an integer 0..${WEBHOOK_DEFAULTS.maxRetries}`)
  }
  const settings: Settings = {
    allowPrivate: options.allowPrivate ?? false,
    retryBaseMs: options.retryBaseMs ?? WEBHOOK_DEFAULTS.retryBaseMs,
    retryCapMs: options.retryCapMs ?? WEBHOOK_DEFAULTS.retryCapMs,
    connectTimeoutMs: options.connectTimeoutMs ?? WEBHOOK_DEFAULTS.connectTimeoutMs,
    responseTimeoutMs: options.responseTimeoutMs ?? WEBHOOK_DEFAULTS.responseTimeoutMs,
  }
  let url: URL
  try {
    url = new URL(request.url)
  } catch {
    return { ok: false, status: null, attempts: 0, error: 'Invalid URL' }
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return { ok: false, status: null, attempts: 0, error: 'Only http and https URLs' }
  const body = Buffer.from(JSON.stringify(request.body ?? null), 'utf8')

  let last: Attempt = { status: null, retry: false, error: 'not attempted' }
  for (let attempt = 1; attempt <= request.retries + 1; attempt++) {
    if (request.signal?.aborted) return { ok: false, status: last.status, attempts: attempt - 1, error: 'Cancelled' }
    last = await attemptOnce(url, body, request, settings)
    if (last.status !== null && last.status >= 200 && last.status < 300) return { ok: true, status: last.status, attempts: attempt }
    if (!last.retry || attempt > request.retries) return { ok: false, status: last.status, attempts: attempt, error: last.error ?? `HTTP ${last.status}` }
    const backoff = Math.random() * Math.min(settings.retryCapMs, settings.retryBaseMs * 2 ** (attempt - 1))
    const wait = Math.min(settings.retryCapMs, last.retryAfterMs ?? backoff)
    if (!(await sleep(wait, request.signal))) return { ok: false, status: last.status, attempts: attempt, error: 'Cancelled' }
  }
  throw new Error('unreachable')
}

async function attemptOnce(url: URL, body: Buffer, request: WebhookRequest, settings: Settings): Promise<Attempt> {
  let destination: Destination
  try {
    destination = await resolveDestination(url.hostname.replace(/^\[|\]$/g, ''), settings.allowPrivate)
  } catch (error) {
    if (error instanceof RefusedDestinationError) return { status: null, retry: false, error: error.message }
    return { status: null, retry: true, error: `DNS: ${(error as NodeJS.ErrnoException).code ?? String(error)}` }
  }
  const headers: Record<string, string> = {
    'Content-Type': 'application/json',
    'Content-Length': String(body.length),
    'User-Agent': USER_AGENT,
    'Pulse8-Delivery': request.deliveryId,
  }
  // Signed per attempt: a retry carries a fresh timestamp, so a receiver's replay window holds.
  if (request.secret) headers[SIGNATURE_HEADER] = signPulse8(body, request.secret)
  // Connect to the vetted address only, whatever the name would resolve to now (DNS rebinding).
  const pinned: LookupFunction = (_hostname, opts, callback) => {
    if (opts.all) (callback as (e: null, a: { address: string; family: number }[]) => void)(null, [destination])
    else callback(null, destination.address, destination.family)
  }
  return new Promise<Attempt>((resolve) => {
    let settled = false
    const client = url.protocol === 'https:' ? https : http
    const req = client.request(url, { method: 'POST', headers, lookup: pinned, agent: false })
    const finish = (outcome: Attempt) => {
      if (settled) return
      settled = true
      clearTimeout(connectTimer)
      clearTimeout(responseTimer)
      request.signal?.removeEventListener('abort', onAbort)
      req.destroy()
      resolve(outcome)
    }
    // Declared after `finish`, which reads them only once a timer or an event fires.
    const connectTimer = setTimeout(() => finish({ status: null, retry: true, error: 'Connect timeout' }), settings.connectTimeoutMs)
    const responseTimer = setTimeout(() => finish({ status: null, retry: true, error: 'Response timeout' }), settings.responseTimeoutMs)
    const onAbort = () => finish({ status: null, retry: false, error: 'Cancelled' })
    request.signal?.addEventListener('abort', onAbort, { once: true })
    req.on('socket', (socket) => {
      if (!socket.connecting) clearTimeout(connectTimer)
      else socket.once('connect', () => clearTimeout(connectTimer))
    })
    req.on('error', (error: NodeJS.ErrnoException) => finish({ status: null, retry: true, error: error.code ?? error.message }))
    req.on('response', (res) => {
      const status = res.statusCode ?? 0
      let read = 0
      // The body is read (so the receiver's write completes) but never kept; past the cap, drop it.
      res.on('data', (chunk: Buffer) => {
        read += chunk.length
        if (read > WEBHOOK_DEFAULTS.maxResponseBytes) finish(outcomeOf(status, res.headers, settings))
      })
      res.on('end', () => finish(outcomeOf(status, res.headers, settings)))
      res.on('error', () => finish(outcomeOf(status, res.headers, settings)))
    })
    req.end(body)
  })
}

function outcomeOf(status: number, headers: http.IncomingHttpHeaders, settings: Settings): Attempt {
  if (status >= 200 && status < 300) return { status, retry: false }
  if (status >= 300 && status < 400) return { status, retry: false, error: `HTTP ${status}: redirects are not followed` }
  const retry = status >= 500 || status === 408 || status === 429
  const retryAfterMs = retry ? parseRetryAfter(headers['retry-after'], settings.retryCapMs) : undefined
  return { status, retry, error: `HTTP ${status}`, ...(retryAfterMs !== undefined ? { retryAfterMs } : {}) }
}

/** `Retry-After` as milliseconds from now (delta-seconds or an HTTP-date), capped; undefined if absent or unreadable. */
export function parseRetryAfter(value: string | undefined, capMs: number, now = Date.now()): number | undefined {
  if (!value) return undefined
  const trimmed = value.trim()
  if (/^\d{1,10}$/.test(trimmed)) return Math.min(capMs, Number(trimmed) * 1000)
  const at = Date.parse(trimmed)
  if (Number.isNaN(at)) return undefined
  return Math.min(capMs, Math.max(0, at - now))
}

/** Resolves true after `ms`, or false at once when `signal` aborts. */
function sleep(ms: number, signal?: AbortSignal): Promise<boolean> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve(false)
    const onAbort = () => {
      clearTimeout(timer)
      resolve(false)
    }
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort)
      resolve(true)
    }, ms)
    signal?.addEventListener('abort', onAbort, { once: true })
  })
}
