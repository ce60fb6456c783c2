import { useEffect, useState } from 'react'
import { formatDateTime } from '~/utils/dates'

/**
 * A timestamp in the reader's time zone. The server does not know that zone, so the first render
 * (server and hydration alike) shows UTC and the browser switches to local time once mounted;
 * rendering local time on the server would make hydration disagree.
 */
export function DateTime({ value, fallback = '—' }: { value: string | Date | null | undefined; fallback?: string }) {
  const [mounted, setMounted] = useState(false)
  useEffect(() => setMounted(true), [])
  if (!value) return <span className="muted">{fallback}</span>
  const date = new Date(value)
  return (
    <time dateTime={date.toISOString()} title={date.toISOString()}>
      {formatDateTime(date, mounted)}
    </time>
  )
}
