// The API tokens service: a tenant's tokens, who each acts for, creating (the secret is returned
// once, only its hash stored) and revoking. Plain `(scope, actor, input)` functions throwing
// kernel errors (docs/decisions/013-token-role.md for the role rules).
import type { Role, TokenScope } from '../db/client'
import { effectiveTokenRole, generateToken, roleAbove } from '../auth/api-tokens'
import { limitTokenCreation, type RateLimiter } from '../auth/rate-limit'
import type { AccessChanges } from '../auth/principal-cache'
import { recordAudit } from '../audit/audit-log'
import { ForbiddenError, NotFoundError, type Actor, type TenantScope } from '../kernel'
import { membersAmong } from '../members/member-directory'

// Never select tokenHash: it has no business leaving the database.
const TOKEN_SELECT = { id: true, name: true, role: true, scope: true, createdById: true, createdAt: true, lastUsedAt: true, revokedAt: true } as const

/**
 * Each token with the person it acts for (null once they are no longer a member) and its
 * effective role: at most the creator's current role, null when disabled.
 */
export async function listTokens(scope: TenantScope) {
  const rows = await scope.db.apiToken.findMany({ select: TOKEN_SELECT, orderBy: { createdAt: 'desc' } })
  // A creator missing from the directory is no longer a member: their tokens are disabled.
  const creators = await membersAmong(
    scope,
    rows.map((r) => r.createdById),
  )
  return rows.map(({ createdById, ...t }) => {
    const creator = createdById ? creators.get(createdById) : undefined
    return {
      ...t,
      creator: creator ? { userId: creator.userId, name: creator.name, email: creator.email } : null,
      effectiveRole: t.revokedAt ? null : effectiveTokenRole(t.role, creator?.role ?? null),
    }
  })
}

/**
 * Who is creating the token: the caller's role here, the person the new token acts for (a token
 * made by a token acts for its parent's person) and the limiter their creations count against.
 */
/** The creator's current role in the tenant (a token's is already narrowed to its person's: decision 013). */
export type TokenCreator = { role: Role; rateLimiter: RateLimiter }

/** Returns the secret once; only its hash is stored. */
/** `scope` (decision 024): what the token may be used for; `full` (the default) is all its role may do. */
export async function createToken(scope: TenantScope, actor: Actor, input: { name: string; role: Role; scope?: TokenScope }, creator: TokenCreator) {
  const tokenScope = input.scope ?? 'full'
  // A token never outranks the person behind it, so no chain of tokens escapes that person's role.
  if (roleAbove(input.role, creator.role)) {
    throw new ForbiddenError(`A token cannot have a role above yours (${creator.role.toLowerCase()})`)
  }
  // The person the new token acts for: the caller, or, for a token made by a token, its parent's.
  const createdById =
    actor.userId ??
    (actor.tokenId ? ((await scope.db.apiToken.findFirst({ where: { id: actor.tokenId }, select: { createdById: true } }))?.createdById ?? null) : null)
  await limitTokenCreation(creator.rateLimiter, scope.tenantId, createdById)
  const { token, tokenHash } = generateToken(scope.tenantId)
  const { createdById: _creator, ...row } = await scope.db.$transaction(async (tx) => {
    const created = await tx.apiToken.create({
      data: { tenantId: scope.tenantId, name: input.name, role: input.role, scope: tokenScope, tokenHash, createdById },
      select: TOKEN_SELECT,
    })
    await recordAudit(tx, actor, {
      action: 'token.create',
      target: `token/${created.id}`,
      after: { name: input.name, role: input.role, scope: tokenScope, createdById },
    })
    return created
  })
  return { ...row, token }
}

/** Stops the token on every instance at once (`access`: the principal caches forget it). */
export async function revokeToken(scope: TenantScope, actor: Actor, input: { id: string }, access: AccessChanges) {
  const done = await scope.db.$transaction(async (tx) => {
    const res = await tx.apiToken.updateMany({ where: { id: input.id, revokedAt: null }, data: { revokedAt: new Date() } })
    if (res.count === 0) return false
    await recordAudit(tx, actor, { action: 'token.revoke', target: `token/${input.id}` })
    return true
  })
  if (!done) throw new NotFoundError('Token not found')
  await access.changed({ tenantId: scope.tenantId })
  return { ok: true }
}
