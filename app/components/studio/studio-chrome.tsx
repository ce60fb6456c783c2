// Small pieces every Studio builder page shares: entity tabs, the item header with its save state.
import { Link, useNavigate } from '@remix-run/react'
import type { ReactNode } from 'react'
import { ENTITIES, type Entity } from '../../../server/config-language'
import { PageHeader } from '~/components/page'
import { cn } from '~/utils/cn'
import { useRequiredViewer } from '~/utils/use-viewer'
import { can } from '~/utils/viewer'
import { UnsavedChangesGuard, type AnyDraftItem } from './autosave'
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

/** What a Studio editing page needs of its surroundings: who is signed in, whether they may write, and navigation. */
export function useStudioEditing() {
  const viewer = useRequiredViewer()
  const navigate = useNavigate()
  return { viewer, readOnly: !can(viewer, 'studio:write'), onNavigate: (to: string) => navigate(to) }
}

/** The head of a builder page of one entity's items: title, the read-only note, entity tabs and the unsaved-changes guard. */
export function EntityPageHead(props: { title: string; description: string; readOnly: boolean; entity: Entity; hrefFor: (e: Entity) => string }) {
  return (
    <>
      <PageHeader title={props.title} description={props.description} />
      {props.readOnly ? <ReadOnlyNote /> : null}
      <EntityTabs current={props.entity} hrefFor={props.hrefFor} />
      <UnsavedChangesGuard />
    </>
  )
}
