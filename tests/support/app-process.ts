// The real app as a child process (`node --import tsx server/main.ts`) on a free port, waited for
// until GET /healthz answers 200. Used by the browser tests and the several-instance tests.
import { spawn, type ChildProcess } from 'node:child_process'
import net from 'node:net'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { waitFor } from './wait'

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..')

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer()
    srv.once('error', reject)
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address()
      const port = typeof addr === 'object' && addr ? addr.port : 0
      srv.close(() => resolve(port))
    })
  })
}

function waitForExit(child: ChildProcess, ms: number): Promise<boolean> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(true)
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), ms)
    child.once('exit', () => {
      clearTimeout(timer)
      resolve(true)
    })
  })
}

export type AppProcess = { baseUrl: string; child: ChildProcess; output(): string; stop(signal?: NodeJS.Signals): Promise<void> }

/** Starts the app with `env` added to this process's environment (PORT and HOST are set here). */
export async function startAppProcess(env: Record<string, string>, timeoutMs = 60_000): Promise<AppProcess> {
  const port = await freePort()
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
    cwd: ROOT,
    // The automation worker is opt-in here (AUTOMATION_WORKER: 'true'): the default config's
    // automations would otherwise assign and tag the records other tests create.
    env: { ...process.env, NODE_ENV: 'test', LOG_LEVEL: 'warn', AUTOMATION_WORKER: 'false', ...env, PORT: String(port), HOST: '127.0.0.1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let output = ''
  child.stdout?.on('data', (c: Buffer) => (output += c.toString()))
  child.stderr?.on('data', (c: Buffer) => (output += c.toString()))
  const baseUrl = `http://127.0.0.1:${port}`
  const stop = async (signal: NodeJS.Signals = 'SIGTERM') => {
    if (child.exitCode === null && child.signalCode === null) child.kill(signal)
    if (!(await waitForExit(child, 15_000))) {
      child.kill('SIGKILL')
      await waitForExit(child, 5_000)
    }
  }
  try {
    await waitFor(
      async () => {
        if (child.exitCode !== null) throw new Error(`The app exited with code ${child.exitCode} before it was healthy. Its output:\n${output}`)
        return fetch(`${baseUrl}/healthz`).then(
          (r) => r.status === 200,
          () => false,
        )
      },
      { timeoutMs, intervalMs: 200, message: () => `GET /healthz did not answer 200 within ${timeoutMs / 1000} s. The app's output:\n${output}` },
    )
  } catch (error) {
    await stop('SIGKILL')
    throw error
  }
  return { baseUrl, child, output: () => output, stop }
}
