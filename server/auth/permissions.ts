// The one permission table (product.md, "Roles"). Each role includes the rights of the roles below
// it. Procedures name the permission they need in their meta; the middleware in server/trpc/init.ts
// checks it here. The UI may hide what a role lacks, but only this table decides.
import type { Role, TokenScope } from '../db/client'

// The role list itself belongs to the config language (forms name roles too); re-exported here.
export { ROLES } from '../config-language'

const VIEWER = ['crm:read', 'dashboard:read'] as const
// inbox:ingest: posting messages into the inbox (POST /api/inbox/messages); an ingest-only token
// scope narrows a token to it (decision 021).
const AGENT = [...VIEWER, 'crm:write', 'inbox:reply', 'inbox:ingest', 'members:read'] as const
const MANAGER = [...AGENT, 'crm:delete', 'crm:reassign', 'approvals:decide', 'studio:read', 'automations:read'] as const
const ADMIN = [...MANAGER, 'studio:write', 'members:manage', 'tokens:manage', 'secrets:manage', 'audit:read', 'automations:manage'] as const

export type Permission = (typeof ADMIN)[number]

export const ROLE_PERMISSIONS: Record<Role, readonly Permission[]> = {
  VIEWER,
  AGENT,
  MANAGER,
  ADMIN,
}

export function can(role: Role, permission: Permission): boolean {
  return ROLE_PERMISSIONS[role].includes(permission)
}

export function permissionsOf(role: Role): readonly Permission[] {
  return ROLE_PERMISSIONS[role]
}

// ---------------------------------------------------------------------------------------------
// Token scopes (docs/decisions/024-token-scopes.md): what a token may be used for, on top of its
// role. A token passes a procedure only if its role has the permission AND its scope allows it.

/** Most to least: `full` (the default) is whatever the role may do. */
export const TOKEN_SCOPES = ['full', 'read', 'ingest', 'config'] as const satisfies readonly TokenScope[]
export type { TokenScope }

/**
 * Permissions a scope allows, by the kind of call. `null` stands for a tenant procedure that needs
 * no permission (any member: the live config, config.onPublished, one's own notifications).
 * 'inbox:ingest' is the message-ingestion permission (POST /api/inbox/messages).
 */
type ScopedPermission = Permission | 'inbox:ingest' | null
type CallKind = 'query' | 'mutation' | 'subscription'
const READS: readonly ScopedPermission[] = [null, 'crm:read', 'dashboard:read', 'members:read', 'studio:read', 'audit:read']
const SCOPE_RULES: Record<TokenScope, (permission: ScopedPermission, kind: CallKind) => boolean> = {
  full: () => true,
  // Read-only: queries and subscriptions whose permission is a reading one.
  read: (permission, kind) => kind !== 'mutation' && READS.includes(permission),
  // Ingestion only: an outside system posting messages, nothing else.
  ingest: (permission) => permission === 'inbox:ingest',
  // Config as code (CI pipelines): the Studio's reads and writes, publish, and the live config.
  config: (permission) => permission === null || permission === 'studio:read' || permission === 'studio:write',
}

export function scopeAllows(scope: TokenScope, permission: Permission | 'inbox:ingest' | undefined, kind: CallKind): boolean {
  return SCOPE_RULES[scope](permission ?? null, kind)
}

/**
 * Whether a caller may do what `permission` allows, as the procedure middleware would decide it:
 * its role has the permission and, for a token, its scope allows it. For a procedure that shows
 * more to callers with a further permission (the dashboard's automations group).
 */
export function callerMay(role: Role, tokenScope: TokenScope | null, permission: Permission, kind: CallKind = 'query'): boolean {
  return can(role, permission) && (tokenScope === null || scopeAllows(tokenScope, permission, kind))
}
