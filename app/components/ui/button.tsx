import { forwardRef, type ButtonHTMLAttributes } from 'react'
import { Slot } from 'radix-ui'
import { cn } from '~/utils/cn'

export type ButtonProps = ButtonHTMLAttributes<HTMLButtonElement> & {
  variant?: 'primary' | 'secondary' | 'ghost' | 'danger'
  size?: 'md' | 'sm'
  /** Render the child (e.g. a `<Link>`) with button styling instead of a `<button>`. */
  asChild?: boolean
}

export const Button = forwardRef<HTMLButtonElement, ButtonProps>(function Button(
  { variant = 'primary', size = 'md', asChild = false, className, type, ...props },
  ref,
) {
  const Comp = asChild ? Slot.Root : 'button'
  return (
    <Comp
      ref={ref}
      // A button in a form submits by default; say so explicitly only when it is one.
      type={asChild ? undefined : (type ?? 'button')}
      className={cn('btn', `btn--${variant}`, size === 'sm' && 'btn--sm', className)}
      {...props}
    />
  )
})
