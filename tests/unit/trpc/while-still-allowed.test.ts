// A running subscription's re-check wrapper (server/trpc/while-still-allowed.ts): it ends the
// stream on a refusal, and it keeps nothing it has delivered alive (issue #16's soak: a socket
// held every event it was ever sent).
import { setFlagsFromString } from 'node:v8'
import { runInNewContext } from 'node:vm'
import { TRPCError } from '@trpc/server'
import { describe, expect, it } from 'vitest'
import { silentLogger } from '../../../server/logger'
import { whileStillAllowed } from '../../../server/trpc/while-still-allowed'

setFlagsFromString('--expose-gc')
const gc = runInNewContext('gc') as () => void

/** Yields `count` events, then waits for the next one until aborted (a quiet subscription). */
async function* events(count: number, signal: AbortSignal) {
  for (let i = 0; i < count; i++) yield { n: i, body: 'x'.repeat(1_000) }
  await new Promise((resolve) => signal.addEventListener('abort', resolve))
}

describe('whileStillAllowed', () => {
  it('lets every delivered event be collected while the subscription runs', async () => {
    const abort = new AbortController()
    const stream = whileStillAllowed(events(200, abort.signal), () => Promise.resolve(), silentLogger)
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

  it('ends a waiting stream with the refusal, and goes on after a failed check', async () => {
    const abort = new AbortController()
    const answers: Array<() => Promise<void>> = [
      () => Promise.reject(new Error('database blip')),
      () => Promise.reject(new TRPCError({ code: 'FORBIDDEN', message: 'Token revoked' })),
    ]
    const warnings: string[] = []
    const logger = { ...silentLogger, warn: (msg: string) => void warnings.push(msg) }
    const stream = whileStillAllowed(events(1, abort.signal), () => answers.shift()?.() ?? Promise.resolve(), logger, 10)
    expect((await stream.next()).value).toMatchObject({ n: 0 })
    // The source has nothing more: only the refusal can end this wait.
    await expect(stream.next()).rejects.toMatchObject({ code: 'FORBIDDEN' })
    expect(warnings).toEqual(['subscription re-check failed; will retry'])
    abort.abort()
  })
})
