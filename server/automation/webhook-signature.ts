// The `Pulse8-Signature` header, Stripe's scheme: `t=<unix seconds>,v1=<hex HMAC-SHA256(secret,
// "<t>.<body bytes>")>`. The timestamp is inside the signed bytes, so a receiver that checks it
// against its clock refuses a replayed request (decision 019). Receivers in other languages do
// the same three steps; docs/api.md shows one.
import { createHmac, timingSafeEqual } from 'node:crypto'

export const SIGNATURE_HEADER = 'Pulse8-Signature'

function hmacHex(secret: string, timestamp: number, body: Uint8Array | string): string {
  return createHmac('sha256', secret).update(`${timestamp}.`).update(body).digest('hex')
}

/** The header value for `body` signed with `secret` at `timestamp` (unix seconds). */
export function signPulse8(body: Uint8Array | string, secret: string, timestamp = Math.floor(Date.now() / 1000)): string {
  return `t=${timestamp},v1=${hmacHex(secret, timestamp, body)}`
}

/**
 * Whether `header` is a valid signature of exactly `body` by `secret`, made within
 * `toleranceSec` of now (either way). Any `v1` entry may match (several while a secret rotates).
 */
export function verifyPulse8Signature(
  header: string | null | undefined,
  body: Uint8Array | string,
  secret: string,
  toleranceSec = 300,
  nowSec = Math.floor(Date.now() / 1000),
): boolean {
  if (!header) return false
  let timestamp: number | null = null
  const candidates: string[] = []
  for (const part of header.split(',')) {
    const [key, value] = part.trim().split('=', 2)
    if (key === 't' && value && /^\d{1,12}$/.test(value)) timestamp = Number(value)
    else if (key === 'v1' && value && /^[0-9a-f]{64}$/.test(value)) candidates.push(value)
  }
  if (timestamp === null || candidates.length === 0) return false
  if (Math.abs(nowSec - timestamp) > toleranceSec) return false
  const expected = Buffer.from(hmacHex(secret, timestamp, body), 'hex')
  return candidates.some((c) => timingSafeEqual(Buffer.from(c, 'hex'), expected))
}
