// API tokens: `p8_<tenantId>_<secret>`. The tenant id in the token lets the lookup use the
// tenant-leading unique key (tenantId, tokenHash); only the SHA-256 of the secret is stored, so a
// database leak yields no usable token. The secret is shown once, at creation.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto'
import type { Db, Role } from '../db/client'

const PREFIX = 'p8_'

export function hashTokenSecret(token: string): string {
  return createHash('sha256').update(token).digest('hex')
}

export function generateToken(tenantId: string): { token: string; tokenHash: string } {
  const token = `${PREFIX}${tenantId}_${randomBytes(32).toString('base64url')}`
  return { token, tokenHash: hashTokenSecret(token) }
}

function tenantIdOf(token: string): string | null {
  if (!token.startsWith(PREFIX)) return null
  const rest = token.slice(PREFIX.length)
  const sep = rest.indexOf('_')
  return sep > 0 ? rest.slice(0, sep) : null
}

/** How fresh a token's lastUsedAt is kept. */
export const LAST_USED_RESOLUTION_MS = 60_000

export type TokenPrincipal = { id: string; name: string; tenantId: string; role: Role }

/** Resolves a bearer token to its principal, or null when unknown or revoked. */
export async function resolveApiToken(db: Db, token: string): Promise<TokenPrincipal | null> {
  const tenantId = tenantIdOf(token)
  if (!tenantId || token.length > 200) return null
  const tokenHash = hashTokenSecret(token)
  const row = await db.apiToken.findUnique({
    where: { tenantId_tokenHash: { tenantId, tokenHash } },
    select: { id: true, name: true, tenantId: true, role: true, revokedAt: true, tokenHash: true, lastUsedAt: true },
  })
  if (!row || row.revokedAt) return null
  // The index lookup already matched; compare anyway in constant time as defence in depth.
  if (!timingSafeEqual(Buffer.from(row.tokenHash), Buffer.from(tokenHash))) return null
  // "Last used" to the minute is all the tokens page shows; writing it on every request would
  // make a busy token's row the hottest in the database. The condition keeps concurrent requests
  // from all writing it at once.
  const now = Date.now()
  if (!row.lastUsedAt || now - row.lastUsedAt.getTime() > LAST_USED_RESOLUTION_MS) {
    const stale = new Date(now - LAST_USED_RESOLUTION_MS)
    void db.apiToken
      .updateMany({ where: { tenantId, id: row.id, OR: [{ lastUsedAt: null }, { lastUsedAt: { lt: stale } }] }, data: { lastUsedAt: new Date(now) } })
      .catch(() => undefined)
  }
  return { id: row.id, name: row.name, tenantId: row.tenantId, role: row.role }
}

export function bearerToken(authorization: string | undefined | null): string | null {
  if (!authorization) return null
  const m = /^Bearer\s+(\S+)$/i.exec(authorization.trim())
  return m ? m[1]! : null
}
