// The role picker used wherever a role is chosen (members, API tokens).
import { forwardRef, type SelectHTMLAttributes } from 'react'
import { NativeSelect } from '~/components/ui/input'
import { ROLE_OPTIONS } from '~/utils/viewer'

export const RoleSelect = forwardRef<HTMLSelectElement, SelectHTMLAttributes<HTMLSelectElement>>(function RoleSelect(props, ref) {
  return (
    <NativeSelect ref={ref} name="role" {...props}>
      {ROLE_OPTIONS.map((o) => (
        <option key={o.value} value={o.value}>
          {o.label}
        </option>
      ))}
    </NativeSelect>
  )
})
