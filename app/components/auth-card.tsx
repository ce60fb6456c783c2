import type { ReactNode } from 'react'

/** The centred card the sign-in and registration pages share. */
export function AuthCard({ title, subtitle, children, footer }: { title: string; subtitle?: string; children: ReactNode; footer?: ReactNode }) {
  return (
    <div className="auth-page">
      <main className="auth-card">
        <div className="auth-card__brand">
          <span className="top-bar__logo" aria-hidden>
            P8
          </span>
          Pulse-8
        </div>
        <h1 className="auth-card__title">{title}</h1>
        {subtitle ? <p className="auth-card__subtitle">{subtitle}</p> : null}
        {children}
        {footer ? <p className="auth-card__footer">{footer}</p> : null}
      </main>
    </div>
  )
}
