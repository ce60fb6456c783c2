import { spawn } from 'node:child_process'
import { Redis } from 'ioredis'
import { createRateLimiter } from '/work/wt-b/server/auth/rate-limit'
import { createRedisBus } from '/work/wt-b/server/realtime/event-bus'
import { silentLogger } from '/work/wt-b/server/logger'
const port = 46379
const srv = spawn('redis-server', ['--port', String(port), '--save', '', '--appendonly', 'no'], { stdio: 'ignore' })
await new Promise((r) => setTimeout(r, 500))
const url = `redis://127.0.0.1:${port}`
const bus = createRedisBus(url, silentLogger, 'x:')
const redis = new Redis(url, { maxRetriesPerRequest: 1, enableOfflineQueue: false, commandTimeout: 500 })
redis.on('error', () => {})
const rl = createRateLimiter(redis, 'x:')
await new Promise((r) => setTimeout(r, 500))
console.log(await rl.consume({ name: 'a', points: 2, durationSec: 60, what: 'x' }, 'k'))
srv.kill('SIGKILL')
await new Promise((r) => setTimeout(r, 300))
let t = Date.now()
console.log(await rl.consume({ name: 'a', points: 2, durationSec: 60, what: 'x' }, 'k'), Date.now() - t, redis.status)
t = Date.now()
await bus.close(); console.log('bus closed', Date.now() - t)
t = Date.now()
if (redis.status === 'ready') await redis.quit(); else redis.disconnect()
console.log('redis closed', Date.now() - t)
