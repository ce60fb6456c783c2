// What a subscription procedure hands tRPC: its domain stream seen through one small iterator that
// turns each item into the wire value (`tracked(id, data)`), runs the middlewares' end hooks when the
// stream ends however it ends, and can be failed from outside (a credential re-check that refuses
// the caller: the client gets that error). One object per subscription, where before each of those
// jobs was an async generator of its own wrapped around the last (decision 028).
export class SubscriptionStream<S, T> implements AsyncIterableIterator<T> {
  #source: AsyncIterator<S>
  #map: (item: S) => T
  #endHooks: Array<() => void> = []
  #failure: { error: unknown } | null = null
  #rejectPending: ((error: unknown) => void) | null = null
  #ended = false

  constructor(source: AsyncIterable<S>, map: (item: S) => T) {
    this.#source = source[Symbol.asyncIterator]()
    this.#map = map
  }

  [Symbol.asyncIterator]() {
    return this
  }

  /** Runs once when the stream ends: done, failed, thrown or stopped by tRPC. */
  onEnd(hook: () => void): void {
    if (this.#ended) hook()
    else this.#endHooks.push(hook)
  }

  /** Ends the stream with `error` (what its client receives), now or at its next read. */
  fail(error: unknown): void {
    if (this.#ended || this.#failure) return
    this.#failure = { error }
    this.#rejectPending?.(error)
  }

  next(): Promise<IteratorResult<T>> {
    if (this.#failure) return this.#end(Promise.reject(this.#failure.error))
    return new Promise<IteratorResult<T>>((resolve, reject) => {
      this.#rejectPending = reject
      this.#source.next().then(
        (result) => {
          this.#rejectPending = null
          if (result.done) return resolve(this.#end(Promise.resolve(result)))
          try {
            resolve({ done: false, value: this.#map(result.value) })
          } catch (error) {
            reject(error)
          }
        },
        (error: unknown) => {
          this.#rejectPending = null
          reject(error)
        },
      )
    }).catch((error: unknown) => this.#end(Promise.reject(error)))
  }

  return(value?: unknown): Promise<IteratorResult<T>> {
    return this.#end(Promise.resolve({ done: true, value } as IteratorResult<T>))
  }

  #end<R>(outcome: Promise<R>): Promise<R> {
    if (this.#ended) return outcome
    this.#ended = true
    this.#rejectPending = null
    // Not awaited: the source may be parked in a pending next() that only its abort signal ends
    // (tRPC aborts it when the subscription stops); a return() would queue behind that forever.
    void this.#source.return?.()?.catch(() => undefined)
    for (const hook of this.#endHooks.splice(0)) hook()
    return outcome
  }
}

/** A subscription's wrapper: `stream` itself when it already is one, else a new one passing items through. */
export function subscriptionStreamOf(stream: AsyncIterable<unknown>): SubscriptionStream<unknown, unknown> {
  return stream instanceof SubscriptionStream ? stream : new SubscriptionStream(stream, (item) => item)
}
