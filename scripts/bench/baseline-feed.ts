// Where both baseline servers (baseline-server.ts, trpc-baseline-server.ts) get the events they
// broadcast: every message of one Redis channel, or, without REDIS_URL, a socket's "pub <text>".
import type { WebSocketServer } from 'ws'
import { Redis } from 'ioredis'

export async function feedBroadcasts(wss: WebSocketServer, channel: string, broadcast: (text: string) => void): Promise<void> {
  if (process.env.REDIS_URL) {
    const sub = new Redis(process.env.REDIS_URL)
    sub.on('message', (_ch: string, message: string) => broadcast(message))
    await sub.subscribe(channel)
  } else {
    wss.on('connection', (ws) => ws.on('message', (data) => String(data).startsWith('pub ') && broadcast(String(data).slice(4))))
  }
}
