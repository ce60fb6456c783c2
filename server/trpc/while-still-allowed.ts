// A subscription outlives the check made when it started: on a WebSocket, the caller is checked
// again every PRINCIPAL_RECHECK_MS while it runs (tenantProcedure in init.ts wraps its stream).
import { TRPCError } from '@trpc/server'
import type { Logger } from '../logger'
import { PRINCIPAL_RECHECK_MS } from './context'

/**
 * `events`, until `stillAllowed` answers UNAUTHORIZED or FORBIDDEN (a revoked token, an ended
 * session, a removed member, a lost permission, another tenant): then the stream ends with that
 * error, even while it waits for its next event.
 *
 * Each wait is its own promise, settled by the next event or by the refusal. Not
 * `Promise.race([iterator.next(), refused])`: every race adds a reaction to the long-lived
 * `refused` promise that keeps the race's result (the event) alive until the subscription ends,
 * so a socket held every event it was ever sent (issue #16's soak: heap and RSS growing with the
 * events delivered, and ever longer collector pauses).
 */
export async function* whileStillAllowed<T>(
  events: AsyncIterable<T>,
  stillAllowed: () => Promise<void>,
  logger: Logger,
  recheckMs = PRINCIPAL_RECHECK_MS,
): AsyncGenerator<T, void, unknown> {
  const iterator = events[Symbol.asyncIterator]()
  let refusal: { error: unknown } | null = null
  let refuseWaiting: ((error: unknown) => void) | null = null
  let checking = false
  const timer = setInterval(() => {
    if (checking || refusal) return
    checking = true
    stillAllowed()
      .catch((error: unknown) => {
        // Only an answer about the caller ends the stream; a database blip is tried again.
        if (error instanceof TRPCError && (error.code === 'UNAUTHORIZED' || error.code === 'FORBIDDEN')) {
          refusal = { error }
          refuseWaiting?.(error)
        } else logger.warn('subscription re-check failed; will retry', { error: String(error) })
      })
      .finally(() => (checking = false))
  }, recheckMs)
  try {
    for (;;) {
      if (refusal) throw (refusal as { error: unknown }).error
      const next = await new Promise<IteratorResult<T>>((resolve, reject) => {
        refuseWaiting = reject
        iterator.next().then(resolve, reject)
      })
      refuseWaiting = null
      if (next.done) return
      yield next.value
    }
  } finally {
    clearInterval(timer)
    refuseWaiting = null
    // Not awaited: the stream may be parked in a pending next() that only its abort signal ends
    // (tRPC aborts it when this subscription stops); a return() would queue behind that forever.
    void iterator.return?.()?.catch(() => undefined)
  }
}
