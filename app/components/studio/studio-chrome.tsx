// Small pieces every Studio builder page shares: entity tabs, the item header with its save state.
import { Link } from '@remix-run/react'
import type { ReactNode } from 'react'
import { ENTITIES, type Entity } from '../../../server/config-language'
import { cn } from '~/utils/cn'
import type { AnyDraftItem } from './autosave'
import { DraftStatus, StateBadge } from './draft-status'
import { ENTITY_LABELS } from './studio-links'

export function EntityTabs({ current, hrefFor, label = 'Entity' }: { current: Entity; hrefFor: (e: Entity) => string; label?: string }) {
  return (
    <nav className="tabs" aria-label={label}>
      {ENTITIES.map((e) => (
        <Link key={e} to={hrefFor(e)} className={cn('tabs__tab', e === current && 'is-active')} aria-current={e === current ? 'page' : undefined}>
          {ENTITY_LABELS[e]}
        </Link>
      ))}
    </nav>
  )
}

export function SubTabs({ items, label }: { items: Array<{ key: string; label: string; href: string; active: boolean }>; label: string }) {
  return (
    <nav className="subtabs" aria-label={label}>
      {items.map((t) => (
        <Link key={t.key} to={t.href} className={cn('subtabs__tab', t.active && 'is-active')} aria-current={t.active ? 'page' : undefined}>
          {t.label}
        </Link>
      ))}
    </nav>
  )
}

/** The address of the item being edited, its state and its autosave status. */
export function ItemBar({ draft, children }: { draft: AnyDraftItem; children?: ReactNode }) {
  return (
    <div className="item-bar">
      <code className="item-bar__address">{draft.address}</code>
      <StateBadge state={draft.state} />
      <DraftStatus draft={draft} />
      <span className="item-bar__spacer" />
      {children}
    </div>
  )
}

export function ReadOnlyNote() {
  return (
    <p className="readonly-note" role="note">
      You can look at everything here, but only admins change the configuration.
    </p>
  )
}
