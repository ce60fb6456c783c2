// The bench's second baseline: tRPC's own WebSocket adapter with nothing of Pulse-8 around it. One
// subscription procedure (superjson, `tracked` ids, keep-alive pings as the app has them) fed by one
// ioredis subscriber fanning out in-process; no auth, no context, no replay. What Pulse-8's fan-out
// costs above it is ours; what it costs above the bare `ws` baseline is the adapter's.
// Run by scripts/bench/realtime.ts as a child process: PORT, REDIS_URL, CHANNEL. Without REDIS_URL,
// a socket's "pub <text>" message is broadcast directly instead (like baseline-server.ts).
import http from 'node:http'
import { WebSocketServer } from 'ws'
import { feedBroadcasts } from './baseline-feed'
import superjson from 'superjson'
import { initTRPC, tracked } from '@trpc/server'
import { applyWSSHandler } from '@trpc/server/adapters/ws'
import { z } from 'zod'

type Event = { seq: string } & Record<string, unknown>
const listeners = new Set<(event: Event) => void>()
const broadcast = (text: string) => {
  const event = JSON.parse(text) as Event
  for (const listener of listeners) listener(event)
}

const t = initTRPC.create({ transformer: superjson })
const router = t.router({
  onEvent: t.procedure.input(z.object({ lastEventId: z.string().nullish() }).optional()).subscription(async function* ({ signal }) {
    const queue: Event[] = []
    let wake: (() => void) | null = null
    const listener = (event: Event) => (queue.push(event), wake?.())
    listeners.add(listener)
    const aborted = () => wake?.()
    signal?.addEventListener('abort', aborted, { once: true })
    try {
      while (!signal?.aborted) {
        const event = queue.shift()
        if (event) yield tracked(event.seq, event)
        else await new Promise<void>((resolve) => (wake = resolve))
      }
    } finally {
      listeners.delete(listener)
      signal?.removeEventListener('abort', aborted)
    }
  }),
})

const port = Number(process.env.PORT ?? 0)
const channel = process.env.CHANNEL ?? 'bench:baseline'
const server = http.createServer((_req, res) => res.end('ok'))
const wss = new WebSocketServer({ server })
applyWSSHandler({ wss, router, keepAlive: { enabled: true, pingMs: 30_000, pongWaitMs: 5_000 } })

await feedBroadcasts(wss, channel, broadcast)

server.listen(port, '127.0.0.1', () => process.stdout.write('ready\n'))
process.on('SIGTERM', () => process.exit(0))
