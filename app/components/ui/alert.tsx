import type { ReactNode } from 'react'
import { cn } from '~/utils/cn'

/** A message about the last submission; `role="alert"` so screen readers announce it. */
export function Alert({ tone = 'error', children, className }: { tone?: 'error' | 'success' | 'info'; children: ReactNode; className?: string }) {
  return (
    <div role={tone === 'error' ? 'alert' : 'status'} className={cn('alert', `alert--${tone}`, className)}>
      {children}
    </div>
  )
}
