// The navigation of both areas, in one place: the side navs, the Studio's 403 page (which keeps
// the CRM nav) and the command palette's "Pages" all list the same pages.
import { can, type Viewer } from '~/utils/viewer'
import type { NavItem } from './side-nav'

const CRM_NAV: NavItem[] = [
  { to: '/', label: 'Dashboard', end: true },
  { to: '/customers', label: 'Customers' },
  { to: '/deals', label: 'Deals' },
  { to: '/cases', label: 'Cases' },
  { to: '/inbox', label: 'Inbox' },
  { to: '/approvals', label: 'My approvals' },
]

const STUDIO_NAV: NavItem[] = [
  { to: '/studio', label: 'Overview', end: true },
  { to: '/studio/forms', label: 'Forms' },
  { to: '/studio/views', label: 'Views' },
  { to: '/studio/automations', label: 'Automations' },
  { to: '/studio/runs', label: 'Run log' },
  { to: '/studio/approvals', label: 'Approvals' },
  { to: '/studio/sla', label: 'SLA' },
  { to: '/studio/publish', label: 'Publish' },
  { to: '/studio/history', label: 'History' },
]

export function crmNav(viewer: Viewer): NavItem[] {
  return can(viewer, 'members:manage') ? [...CRM_NAV, { to: '/settings', label: 'Settings' }] : CRM_NAV
}

export function studioNav(viewer: Viewer): NavItem[] {
  return can(viewer, 'audit:read') ? [...STUDIO_NAV, { to: '/studio/audit', label: 'Audit log' }] : STUDIO_NAV
}
