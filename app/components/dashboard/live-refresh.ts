// The dashboard follows record changes: it listens to customers/deals/cases.onChanged over its own
// WebSocket and calls `refresh` at most once a second (the first change starts a 1 s window; the
// changes inside it ride along), so a burst of imports costs one reload, and a lone change shows
// within a second. Not a timer: nothing happens while nothing changes. Browser-only (an effect).
// The service groups ride along: `inbox.onThreadChanged` announces every message that arrives, every
// reply (a first response) and every assignment or status change; an SLA clock changes with its
// case's write (created, priority changed, resolved: `cases.onChanged`) or with a reply on the case's
// thread (`inbox.onThreadChanged`); a timer the SLA scanner fires (a warning or a breach passing
// with no write) arrives on `sla.onTimerFired`. Automation runs have no browser stream; they follow
// the record changes they cause.
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
    const { customers, deals, cases, inbox, sla } = conn.client
    const records = [customers, deals, cases]
    const streams = records.length + 2
    let started = 0
    const handlers = { onData: schedule, onStarted: () => ++started === streams && setListening(true) }
    const subscriptions = [
      ...records.map((r) => r.onChanged.subscribe(undefined, handlers)),
      inbox.onThreadChanged.subscribe(undefined, handlers),
      sla.onTimerFired.subscribe(undefined, handlers),
    ]
    return () => {
      setListening(false)
      clearTimeout(timer)
      for (const s of subscriptions) s.unsubscribe()
      conn.close()
    }
  }, [])
  return listening
}
