// The benches' baseline: the least a server can do. A bare `ws` server whose one ioredis
// subscriber forwards every message of one channel to every socket (no auth, no tRPC, no
// replay). Without REDIS_URL, a socket's "pub <text>" is broadcast directly instead. Every HTTP
// request is answered "ok", except GET /healthz: its event-loop delay and memory, read like the
// app's. Run by scripts/bench/realtime.ts and soak.ts as a child process: PORT, REDIS_URL, CHANNEL.
import http from 'node:http'
import { WebSocketServer, type WebSocket } from 'ws'
import { feedBroadcasts } from './baseline-feed'
import { createProcessMetrics } from '../../server/http/process-metrics'

const port = Number(process.env.PORT ?? 0)
const channel = process.env.CHANNEL ?? 'bench:baseline'
const metrics = createProcessMetrics()
metrics.start()
const server = http.createServer((req, res) => res.end(req.url === '/healthz' ? JSON.stringify(metrics.read()) : 'ok'))
const wss = new WebSocketServer({ server })
const broadcast = (text: string) => {
  for (const ws of wss.clients as Set<WebSocket>) ws.send(text)
}

await feedBroadcasts(wss, channel, broadcast)

server.listen(port, '127.0.0.1', () => process.stdout.write('ready\n'))
process.on('SIGTERM', () => process.exit(0))
