// Who is looking at the page, in the shape `auth.me` answers. Shared by loaders and components
// (types and pure helpers only).
import type { AppCaller } from '../../server/http/app-server'
import type { Permission } from '../../server/auth/permissions'

export type Me = Awaited<ReturnType<AppCaller['auth']['me']>>
export type SignedInMe = Extract<Me, { kind: 'user' }>
export type Membership = SignedInMe['memberships'][number]
export type Role = Membership['role']
export type { Permission }

/** The part of `auth.me` the shells render: the user, their tenants and what they may do. */
export type Viewer = {
  user: SignedInMe['user']
  memberships: Membership[]
  activeTenant: Membership | null
  permissions: readonly Permission[]
}

export function toViewer(me: SignedInMe): Viewer {
  return { user: me.user, memberships: me.memberships, activeTenant: me.activeTenant, permissions: me.permissions }
}

/** A courtesy for hiding links and buttons; the server checks again on every call. */
export function can(viewer: Pick<Viewer, 'permissions'>, permission: Permission): boolean {
  return viewer.permissions.includes(permission)
}

export const ROLE_LABELS: Record<Role, string> = {
  ADMIN: 'Admin',
  MANAGER: 'Manager',
  AGENT: 'Agent',
  VIEWER: 'Read-only',
}

export const ROLE_OPTIONS = Object.entries(ROLE_LABELS).map(([value, label]) => ({ value: value as Role, label }))
