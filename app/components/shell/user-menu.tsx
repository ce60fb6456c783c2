import { Link, useSubmit } from '@remix-run/react'
import type { Viewer } from '~/utils/viewer'
import { can } from '~/utils/viewer'
import {
  DropdownMenu,
  DropdownMenuContent,
  DropdownMenuItem,
  DropdownMenuLabel,
  DropdownMenuSeparator,
  DropdownMenuTrigger,
} from '~/components/ui/dropdown-menu'

function initials(name: string): string {
  const parts = name.trim().split(/\s+/)
  return ((parts[0]?.[0] ?? '') + (parts.length > 1 ? (parts[parts.length - 1]?.[0] ?? '') : '')).toUpperCase() || '?'
}

export function UserMenu({ viewer }: { viewer: Viewer }) {
  const submit = useSubmit()
  return (
    <DropdownMenu>
      <DropdownMenuTrigger className="user-menu" aria-label={`Account: ${viewer.user.name}`}>
        <span className="user-menu__avatar" aria-hidden>
          {initials(viewer.user.name)}
        </span>
        <span className="user-menu__name">{viewer.user.name}</span>
      </DropdownMenuTrigger>
      <DropdownMenuContent align="end">
        <DropdownMenuLabel>
          <span className="menu__label-strong">{viewer.user.name}</span>
          <br />
          {viewer.user.email}
        </DropdownMenuLabel>
        <DropdownMenuSeparator />
        {can(viewer, 'members:manage') ? (
          <DropdownMenuItem asChild>
            <Link to="/settings/members">Settings</Link>
          </DropdownMenuItem>
        ) : null}
        <DropdownMenuItem onSelect={() => submit(null, { method: 'post', action: '/logout' })}>Sign out</DropdownMenuItem>
      </DropdownMenuContent>
    </DropdownMenu>
  )
}
