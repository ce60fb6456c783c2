// Waiting in tests: poll for the thing expected (an event, a row, a closed socket) until a
// deadline, never sleep a guessed time. The one helper every suite uses (ws.ts `until` wraps it).

export type WaitOptions = {
  /** How long to keep trying before failing (default 5 s). */
  timeoutMs?: number
  /** How often to ask again (default 20 ms). */
  intervalMs?: number
  /** What the failure says: name what was expected and what was seen. */
  message?: () => string
}

/**
 * Resolves with the first truthy value `check` returns; rejects with `message` once `timeoutMs` has
 * passed. An error thrown by `check` fails at once (the thing can no longer happen).
 */
export async function waitFor<T>(check: () => T | Promise<T>, opts: WaitOptions = {}): Promise<NonNullable<T>> {
  const { timeoutMs = 5_000, intervalMs = 20 } = opts
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const value = await check()
    if (value) return value as NonNullable<T>
    if (Date.now() > deadline) throw new Error(opts.message?.() ?? `waitFor: not true within ${timeoutMs} ms: ${check.toString()}`)
    // The poll interval, not a guess at how long something takes.
    await new Promise((r) => setTimeout(r, intervalMs))
  }
}
