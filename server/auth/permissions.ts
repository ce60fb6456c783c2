// The one permission table (product.md, "Roles"). Each role includes the rights of the roles below
// it. Procedures name the permission they need in their meta; the middleware in server/trpc/init.ts
// checks it here. The UI may hide what a role lacks, but only this table decides.
import type { Role } from '../db/client'

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
