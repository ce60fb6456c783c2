// radix DropdownMenu with the app's styling. Radix supplies the keyboard behaviour (arrows,
// typeahead, Escape, focus return), so menus stay usable without a mouse.
import { forwardRef, type ComponentPropsWithoutRef } from 'react'
import { DropdownMenu as Menu } from 'radix-ui'
import { cn } from '~/utils/cn'

export const DropdownMenu = Menu.Root
export const DropdownMenuTrigger = Menu.Trigger
export const DropdownMenuRadioGroup = Menu.RadioGroup

export const DropdownMenuContent = forwardRef<HTMLDivElement, ComponentPropsWithoutRef<typeof Menu.Content>>(function DropdownMenuContent(
  { className, sideOffset = 6, align = 'start', ...props },
  ref,
) {
  return (
    <Menu.Portal>
      <Menu.Content ref={ref} sideOffset={sideOffset} align={align} className={cn('menu', className)} {...props} />
    </Menu.Portal>
  )
})

export const DropdownMenuItem = forwardRef<HTMLDivElement, ComponentPropsWithoutRef<typeof Menu.Item>>(function DropdownMenuItem({ className, ...props }, ref) {
  return <Menu.Item ref={ref} className={cn('menu__item', className)} {...props} />
})

export const DropdownMenuRadioItem = forwardRef<HTMLDivElement, ComponentPropsWithoutRef<typeof Menu.RadioItem>>(function DropdownMenuRadioItem(
  { className, children, ...props },
  ref,
) {
  return (
    <Menu.RadioItem ref={ref} className={cn('menu__item', 'menu__item--radio', className)} {...props}>
      <span className="menu__indicator" aria-hidden>
        <Menu.ItemIndicator>✓</Menu.ItemIndicator>
      </span>
      {children}
    </Menu.RadioItem>
  )
})

export function DropdownMenuLabel({ className, ...props }: ComponentPropsWithoutRef<typeof Menu.Label>) {
  return <Menu.Label className={cn('menu__label', className)} {...props} />
}

export function DropdownMenuSeparator({ className, ...props }: ComponentPropsWithoutRef<typeof Menu.Separator>) {
  return <Menu.Separator className={cn('menu__separator', className)} {...props} />
}
