// radix Dialog with the app's styling: focus is trapped inside and returns to the trigger on close.
import type { ReactNode } from 'react'
import { Dialog as D } from 'radix-ui'

export const Dialog = D.Root
export const DialogTrigger = D.Trigger
export const DialogClose = D.Close

export function DialogContent({
  title,
  description,
  children,
  className,
}: {
  title: string
  description?: ReactNode
  children: ReactNode
  /** e.g. `dialog--wide` for dialogs holding a table or a long form. */
  className?: string
}) {
  return (
    <D.Portal>
      <D.Overlay className="dialog__overlay" />
      {/* Without a description, say so explicitly: radix otherwise points aria-describedby at nothing. */}
      <D.Content className={className ? `dialog ${className}` : 'dialog'} {...(description ? {} : { 'aria-describedby': undefined })}>
        <div className="dialog__header">
          <D.Title className="dialog__title">{title}</D.Title>
          <D.Close className="dialog__close" aria-label="Close">
            ×
          </D.Close>
        </div>
        {description ? <D.Description className="dialog__description">{description}</D.Description> : null}
        {children}
      </D.Content>
    </D.Portal>
  )
}
