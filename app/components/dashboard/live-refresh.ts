// The dashboard follows record changes: it listens to customers/deals/cases.onChanged over its own
// WebSocket and calls `refresh` at most once a second (the first change starts a 1 s window; the
// changes inside it ride along), so a burst of imports costs one reload, and a lone change shows
// within a second. Not a timer: nothing happens while nothing changes. Browser-only (an effect).
// When the inbox and SLA engines land, their onMessage / SLA events join `streams` below.
import { useEffect, useRef, useState } from 'react'
import { openLiveConnection } from '~/config/browser-trpc.client'

export const REFRESH_WINDOW_MS = 1_000

/** Returns whether all its subscriptions have started (the page marks itself live then). */
export function useRefreshOnChanges(refresh: () => void): boolean {
  const latest = useRef(refresh)
  const [listening, setListening] = useState(false)
  useEffect(() => {
    latest.current = refresh
  })
  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | undefined
    let everOpen = false
    const schedule = () => {
      if (timer) return
      timer = setTimeout(() => {
        timer = undefined
        latest.current()
      }, REFRESH_WINDOW_MS)
    }
    // After a reconnect, changes made meanwhile were not heard: reload once.
    const conn = openLiveConnection({ onOpen: () => (everOpen ? schedule() : (everOpen = true)) })
    const streams = [conn.client.customers.onChanged, conn.client.deals.onChanged, conn.client.cases.onChanged]
    let started = 0
    const onStarted = () => ++started === streams.length && setListening(true)
    const subscriptions = streams.map((stream) => stream.subscribe(undefined, { onData: schedule, onStarted }))
    return () => {
      setListening(false)
      clearTimeout(timer)
      for (const s of subscriptions) s.unsubscribe()
      conn.close()
    }
  }, [])
  return listening
}
