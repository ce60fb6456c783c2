// A running subscription's wrapper (server/trpc/subscription-stream.ts) keeps nothing it has
// delivered alive (issue #16's soak: a socket held every event it was ever sent, when the re-check
// raced each next() against one long-lived promise), and a failure ends a stream that is waiting.
import { setFlagsFromString } from 'node:v8'
import { runInNewContext } from 'node:vm'
import { TRPCError } from '@trpc/server'
import { describe, expect, it } from 'vitest'
import { SubscriptionStream } from '../../../server/trpc/subscription-stream'

setFlagsFromString('--expose-gc')
const gc = runInNewContext('gc') as () => void

/** Yields `count` events, then waits for the next one until aborted (a quiet subscription). */
async function* events(count: number, signal: AbortSignal) {
  for (let i = 0; i < count; i++) yield { n: i, body: 'x'.repeat(1_000) }
  await new Promise((resolve) => signal.addEventListener('abort', resolve))
}

describe('SubscriptionStream', () => {
  it('lets every delivered event be collected while the subscription runs', async () => {
    const abort = new AbortController()
    const stream = new SubscriptionStream(events(200, abort.signal), (item) => item)
    const delivered: WeakRef<object>[] = []
    for (let i = 0; i < 200; i++) {
      const next = await stream.next()
      delivered.push(new WeakRef(next.value as object))
    }
    // WeakRef targets are kept until the current job ends: collect in a later one.
    await new Promise((resolve) => setImmediate(resolve))
    gc()
    const alive = delivered.filter((ref) => ref.deref() !== undefined).length
    // At most the last event, which the generator may still hold.
    expect(alive).toBeLessThanOrEqual(1)
    abort.abort()
    await stream.return()
  })

  it('ends a waiting stream with the failure it is given, and runs its end hooks once', async () => {
    const abort = new AbortController()
    const stream = new SubscriptionStream(events(1, abort.signal), (item) => item)
    let ended = 0
    stream.onEnd(() => ended++)
    expect((await stream.next()).value).toMatchObject({ n: 0 })
    // The source has nothing more: only the failure can end this wait.
    const waiting = stream.next()
    stream.fail(new TRPCError({ code: 'FORBIDDEN', message: 'Token revoked' }))
    await expect(waiting).rejects.toMatchObject({ code: 'FORBIDDEN' })
    expect(ended).toBe(1)
    abort.abort()
  })
})
