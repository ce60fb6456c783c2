// API tokens: `p8_<tenantId>_<secret>`. The tenant id in the token lets the lookup use the
// tenant-leading unique key (tenantId, tokenHash); only the SHA-256 of the secret is stored, so a
// database leak yields no usable token. The secret is shown once, at creation.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto'
import type { Db, Role, TokenScope } from '../db/client'

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

/**
 * `role` is the token's effective role (see effectiveTokenRole); `creatorUserId` is the person the
 * token acts for, whose rights bound it (null only for an operator's in-process principal such as
 * the config CLI's, never for a bearer token: a token it creates acts for no one and is disabled).
 */
export type TokenPrincipal = { id: string; name: string; tenantId: string; role: Role; scope: TokenScope; creatorUserId: string | null }

/** Most to least powerful: ROLES lists them in that order. */
const RANK: Record<Role, number> = { ADMIN: 4, MANAGER: 3, AGENT: 2, VIEWER: 1 }

export const roleAbove = (a: Role, b: Role): boolean => RANK[a] > RANK[b]

/**
 * A token acts with at most its creator's CURRENT role in its tenant: demoting the creator narrows
 * it, and once the creator is no longer a member (or none was recorded) it acts with no role at all
 * (null: disabled, refused like a revoked token). docs/decisions/013-token-role.md.
 */
export function effectiveTokenRole(tokenRole: Role, creatorRole: Role | null): Role | null {
  if (!creatorRole) return null
  return roleAbove(tokenRole, creatorRole) ? creatorRole : tokenRole
}

type TokenRow = {
  id: string
  name: string
  tenantId: string
  role: Role
  scope: TokenScope
  revokedAt: Date | null
  tokenHash: string
  lastUsedAt: Date | null
  createdById: string | null
  creatorRole: Role | null
}

/**
 * Resolves a bearer token to its principal, or null when unknown, revoked or disabled (its creator
 * is no longer a member). One query: the token and its creator's membership of the token's tenant,
 * so every path that authenticates a token (HTTP, WebSocket re-checks, /api/runtime/config) gets
 * the creator's current role with it.
 */
export async function resolveApiToken(db: Db, token: string): Promise<TokenPrincipal | null> {
  const tenantId = tenantIdOf(token)
  if (!tenantId || token.length > 200) return null
  const tokenHash = hashTokenSecret(token)
  const [row] = await db.$queryRaw<TokenRow[]>`
    SELECT t."id", t."name", t."tenantId", t."role"::text AS "role", t."scope"::text AS "scope", t."revokedAt", t."tokenHash", t."lastUsedAt",
           t."createdById", m."role"::text AS "creatorRole"
    FROM "ApiToken" t
    LEFT JOIN "Membership" m ON m."tenantId" = t."tenantId" AND m."userId" = t."createdById"
    WHERE t."tenantId" = ${tenantId} AND t."tokenHash" = ${tokenHash}`
  if (!row || row.revokedAt) return null
  // The index lookup already matched; compare anyway in constant time as defence in depth.
  if (!timingSafeEqual(Buffer.from(row.tokenHash), Buffer.from(tokenHash))) return null
  const role = effectiveTokenRole(row.role, row.creatorRole)
  if (!role || !row.createdById) return null
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
  return { id: row.id, name: row.name, tenantId: row.tenantId, role, scope: row.scope, creatorUserId: row.createdById }
}

export function bearerToken(authorization: string | undefined | null): string | null {
  if (!authorization) return null
  const m = /^Bearer\s+(\S+)$/i.exec(authorization.trim())
  return m ? m[1]! : null
}

/**
 * For tools, benchmarks and tests that mint a token straight in the database: a token acting for
 * the tenant's longest-standing admin (a token needs a creator who is a member, or it is disabled).
 */
export async function insertApiToken(db: Db, tenantId: string, role: Role, name: string, scope: TokenScope = 'full'): Promise<{ id: string; token: string }> {
  const admin = await db.membership.findFirstOrThrow({ where: { tenantId, role: 'ADMIN' }, select: { userId: true }, orderBy: { createdAt: 'asc' } })
  const { token, tokenHash } = generateToken(tenantId)
  const row = await db.apiToken.create({ data: { tenantId, name, role, scope, tokenHash, createdById: admin.userId }, select: { id: true } })
  return { id: row.id, token }
}
