import type { ReactNode } from 'react'

export function PageHeader({ title, description, actions }: { title: string; description?: ReactNode; actions?: ReactNode }) {
  return (
    <div className="page-header">
      <div>
        <h1 className="page-header__title">{title}</h1>
        {description ? <p className="page-header__description">{description}</p> : null}
      </div>
      {actions ? <div className="page-header__actions">{actions}</div> : null}
    </div>
  )
}

/** What a page shows before it has anything to show: what will appear here, and why it is empty. */
export function EmptyState({ title, children }: { title: string; children?: ReactNode }) {
  return (
    <div className="empty-state">
      <h2 className="empty-state__title">{title}</h2>
      {children ? <div className="empty-state__text">{children}</div> : null}
    </div>
  )
}

/** A page that another issue will fill in: its heading and what will appear there. */
export function PlaceholderPage({ title, description, empty }: { title: string; description: string; empty: ReactNode }) {
  return (
    <>
      <PageHeader title={title} description={description} />
      <EmptyState title="Nothing here yet">{empty}</EmptyState>
    </>
  )
}
