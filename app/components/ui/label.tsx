import { forwardRef, type ComponentPropsWithoutRef } from 'react'
import { Label as LabelPrimitive } from 'radix-ui'
import { cn } from '~/utils/cn'

export const Label = forwardRef<HTMLLabelElement, ComponentPropsWithoutRef<typeof LabelPrimitive.Root>>(function Label({ className, ...props }, ref) {
  return <LabelPrimitive.Root ref={ref} className={cn('label', className)} {...props} />
})
