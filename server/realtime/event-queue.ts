// The queue between a bus handler (push, synchronous) and a subscription's async generator (next).
// `next()` also settles when the subscription's signal aborts: a generator parked on an await that
// never settles would never run its `finally`, and so never unsubscribe from the bus.

export const CLOSED = Symbol('closed')
/** Pushed instead of the items when the consumer falls too far behind: it must re-read its source. */
export const OVERFLOW = Symbol('overflow')

export interface EventQueue<T> {
  push(item: T): void
  next(): Promise<T | typeof OVERFLOW | typeof CLOSED>
  close(): void
}

export function createEventQueue<T>(signal: AbortSignal | undefined, maxItems = 10_000): EventQueue<T> {
  let items: Array<T | typeof OVERFLOW> = []
  let wake: (() => void) | null = null
  let closed = false
  const close = () => {
    closed = true
    items = []
    wake?.()
  }
  signal?.addEventListener('abort', close, { once: true })
  if (signal?.aborted) closed = true
  return {
    push(item) {
      if (closed) return
      if (items.length >= maxItems) items = [OVERFLOW]
      else items.push(item)
      wake?.()
    },
    async next() {
      for (;;) {
        if (closed) return CLOSED
        if (items.length) return items.shift()!
        await new Promise<void>((resolve) => (wake = resolve))
        wake = null
      }
    },
    close() {
      signal?.removeEventListener('abort', close)
      close()
    },
  }
}
