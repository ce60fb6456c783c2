// Lists the tenants the person belongs to; choosing one posts to /switch-tenant, which changes the
// session's active tenant and sends them to that tenant's dashboard (every loader then reloads).
import { useSubmit } from '@remix-run/react'
import type { Viewer } from '~/utils/viewer'
import { ROLE_LABELS } from '~/utils/viewer'
import {
  DropdownMenu,
  DropdownMenuContent,
  DropdownMenuLabel,
  DropdownMenuRadioGroup,
  DropdownMenuRadioItem,
  DropdownMenuTrigger,
} from '~/components/ui/dropdown-menu'

export function TenantSwitcher({ viewer }: { viewer: Viewer }) {
  const submit = useSubmit()
  const active = viewer.activeTenant
  return (
    <DropdownMenu>
      <DropdownMenuTrigger className="tenant-switcher" aria-label={`Tenant: ${active?.name ?? 'none'}. Switch tenant`}>
        <span className="tenant-switcher__avatar" aria-hidden>
          {(active?.name ?? '?').slice(0, 1).toUpperCase()}
        </span>
        <span className="tenant-switcher__text">
          <span className="tenant-switcher__name" data-testid="active-tenant">
            {active?.name ?? 'No tenant'}
          </span>
          {active ? <span className="tenant-switcher__role">{ROLE_LABELS[active.role]}</span> : null}
        </span>
        <span className="tenant-switcher__chevron" aria-hidden>
          ▾
        </span>
      </DropdownMenuTrigger>
      <DropdownMenuContent className="tenant-switcher__menu">
        <DropdownMenuLabel>Your tenants</DropdownMenuLabel>
        <DropdownMenuRadioGroup
          value={active?.tenantId ?? ''}
          onValueChange={(tenantId) => {
            if (tenantId !== active?.tenantId) submit({ tenantId }, { method: 'post', action: '/switch-tenant' })
          }}
        >
          {viewer.memberships.map((m) => (
            <DropdownMenuRadioItem key={m.tenantId} value={m.tenantId}>
              <span className="menu__item-main">{m.name}</span>
              <span className="menu__item-meta">{ROLE_LABELS[m.role]}</span>
            </DropdownMenuRadioItem>
          ))}
        </DropdownMenuRadioGroup>
      </DropdownMenuContent>
    </DropdownMenu>
  )
}
