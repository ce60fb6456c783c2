// What /healthz says about the process itself: event-loop delay (a stalled loop is what froze the
// instances in issue #16's soak) and memory. The delay histogram covers the last minute or so: it
// is reset once a reading is older than that, so a past stall does not mask the present forever.
import { monitorEventLoopDelay, type IntervalHistogram } from 'node:perf_hooks'

const WINDOW_MS = 60_000
const ms = (ns: number) => Math.round(ns / 1e4) / 100
const mb = (bytes: number) => Math.round(bytes / 1e5) / 10

export function createProcessMetrics() {
  let histogram: IntervalHistogram | undefined
  let since = Date.now()
  return {
    /** Starts measuring (once); the first reading covers from here. */
    start() {
      if (histogram) return
      histogram = monitorEventLoopDelay({ resolution: 20 })
      histogram.enable()
      since = Date.now()
    },
    read() {
      const memory = process.memoryUsage()
      const h = histogram
      const eventLoopDelayMs = h
        ? { p50: ms(h.percentile(50)), p99: ms(h.percentile(99)), max: ms(h.max), windowSeconds: Math.round((Date.now() - since) / 1000) }
        : null
      if (h && Date.now() - since >= WINDOW_MS) {
        h.reset()
        since = Date.now()
      }
      return {
        eventLoopDelayMs,
        memoryMb: { rss: mb(memory.rss), heapUsed: mb(memory.heapUsed), heapTotal: mb(memory.heapTotal), external: mb(memory.external) },
      }
    },
    stop() {
      histogram?.disable()
      histogram = undefined
    },
  }
}
