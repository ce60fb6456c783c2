// The people behind API tokens (docs/decisions/013-token-role.md): who each token acts for, and
// what a change of that person's membership does to their tokens.
import type { Role } from '../db/client'
import type { Actor, TenantTx as Tx } from '../kernel'
import { effectiveTokenRole } from '../auth/api-tokens'
import { recordAudit } from '../audit/audit-log'

/**
 * A member's role changes from `before` to `after` (null: removed). Each of their live tokens
 * whose effective role changes with it gets an audit entry `token.effectiveRole` naming the token
 * and the change (null = disabled), in the same transaction as the membership change.
 * On removal their tokens are also revoked: the join in resolveApiToken already disables them,
 * but a person invited back later must not find their old tokens working again.
 * Returns the affected tokens, for the membership's own audit entry.
 */
export async function applyMemberChangeToTokens(tx: Tx, actor: Actor, userId: string, before: Role, after: Role | null) {
  const tokens = await tx.apiToken.findMany({ where: { createdById: userId, revokedAt: null }, select: { id: true, name: true, role: true } })
  const affected = tokens
    .map((t) => ({ id: t.id, name: t.name, from: effectiveTokenRole(t.role, before), to: effectiveTokenRole(t.role, after) }))
    .filter((t) => t.from !== t.to)
  for (const t of affected) {
    await recordAudit(tx, actor, {
      action: 'token.effectiveRole',
      target: `token/${t.id}`,
      before: { effectiveRole: t.from },
      after: { effectiveRole: t.to, revoked: after === null, because: after ? `creator user/${userId} is now ${after}` : `creator user/${userId} was removed` },
    })
  }
  if (after === null && tokens.length) {
    await tx.apiToken.updateMany({ where: { createdById: userId, revokedAt: null }, data: { revokedAt: new Date() } })
  }
  return affected.map((t) => ({ id: t.id, name: t.name, effectiveRole: t.to }))
}
