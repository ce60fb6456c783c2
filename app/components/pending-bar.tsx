import { useNavigation } from '@remix-run/react'
import { useEffect, useState } from 'react'

/**
 * A thin bar at the top while a navigation or form submission is in flight. It appears only after
 * a short delay so fast navigations do not flicker.
 */
export function PendingBar() {
  const navigation = useNavigation()
  const busy = navigation.state !== 'idle'
  const [visible, setVisible] = useState(false)
  useEffect(() => {
    if (!busy) {
      setVisible(false)
      return
    }
    const timer = setTimeout(() => setVisible(true), 150)
    return () => clearTimeout(timer)
  }, [busy])
  return (
    <div className={visible ? 'pending-bar is-active' : 'pending-bar'} data-testid="pending-bar" aria-hidden>
      <div className="pending-bar__fill" />
    </div>
  )
}
