// Process entry: settings → database (embedded PGlite unless DATABASE_URL) → migrations → demo
// seed on an empty database → HTTP server; and the reverse, gracefully, on SIGTERM/SIGINT.
import path from 'node:path'
import { pathToFileURL } from 'node:url'
import type { ServerBuild } from '@remix-run/node'
import { EnvError, loadEnv, shouldSeedDemo } from './env'
import { createLogger } from './logger'
import { EMBEDDED_DATA_DIR, startEmbeddedPostgres } from './db/embedded'
import { migrateDeploy } from './db/migrate'
import { createServices } from './services'
import { resolveSecretsKey } from './secrets/secrets-key'
import { isEmptyDatabase, seedDemo, DEMO_PASSWORD } from './seed/demo'
import { createAppServer } from './http/app-server'
import { createAutomationWorker, workerConcurrency } from './automation/worker'
import { startSlaTimer } from './sla/sla-timer'

async function main() {
  let env
  try {
    env = loadEnv()
  } catch (err) {
    if (err instanceof EnvError) {
      console.error(err.message)
      process.exit(1)
    }
    throw err
  }
  const logger = createLogger(env.LOG_LEVEL)

  const dataDir = path.resolve(env.DATA_DIR ?? EMBEDDED_DATA_DIR)
  // Before anything starts: production on PostgreSQL without SECRETS_KEY stops here (decision 019).
  const secretsKey = resolveSecretsKey(env, path.join(path.dirname(dataDir), 'secrets.key'))
  const embedded = env.DATABASE_URL ? null : await startEmbeddedPostgres({ dataDir })
  const databaseUrl = env.DATABASE_URL ?? embedded!.url
  if (embedded) logger.info('embedded database started', { dataDir: env.DATA_DIR ?? EMBEDDED_DATA_DIR })
  await migrateDeploy(databaseUrl)

  const services = createServices(env, databaseUrl, logger, { secretsKey })
  // `npm start -- --demo` asks for the demo data like SEED_DEMO=true (see shouldSeedDemo).
  const seed = process.argv.includes('--demo') || shouldSeedDemo(env)
  if (seed && (await isEmptyDatabase(services.db))) {
    const { logins } = await seedDemo(services.db, { activity: true })
    logger.info('seeded demo tenants', { logins: logins.map((l) => `${l.email} (${l.tenant}, ${l.role.toLowerCase()})`), password: DEMO_PASSWORD })
  }

  const buildPath = path.resolve('build/index.js')
  const remixBuild = (await import(pathToFileURL(buildPath).href).catch((err) => {
    logger.warn('no Remix build found: serving the API only (run `npm run build`)', { error: String(err) })
    return undefined
  })) as ServerBuild | undefined

  const app = createAppServer({
    services,
    appOrigin: env.APP_ORIGIN,
    maxBodyBytes: env.MAX_BODY_BYTES,
    remixBuild,
    // Remix shows error details only in development; 'test' would show them too.
    mode: env.NODE_ENV === 'development' ? 'development' : 'production',
  })
  // Every instance runs a worker: they share the outbox through SKIP LOCKED claims (decision 018).
  // The embedded database runs one exchange at a time, so its worker takes one event at a time.
  const worker = env.AUTOMATION_WORKER
    ? createAutomationWorker(
        { ...services, ...services.automationHooks },
        { concurrency: workerConcurrency(Boolean(embedded)), leaseMs: env.AUTOMATION_LEASE_MS },
      )
    : null
  worker?.start()
  const port = await app.listen(env.PORT, env.HOST)
  logger.info('listening', { url: `http://localhost:${port}`, db: embedded ? 'embedded' : 'postgresql', bus: services.bus.kind })

  // Every instance scans for due SLA timers; claims make each fire once (decision 022).
  const slaTimer = startSlaTimer({ db: services.db, runtimeConfig: services.runtimeConfig, bus: services.bus, logger })

  let stopping = false
  const stop = async (signal: string) => {
    if (stopping) return
    stopping = true
    logger.info('shutting down', { signal })
    await app.close()
    await worker?.stop()
    await slaTimer.stop()
    await services.close()
    await embedded?.stop()
    logger.info('stopped')
    process.exit(0)
  }
  process.on('SIGTERM', () => void stop('SIGTERM'))
  process.on('SIGINT', () => void stop('SIGINT'))
}

main().catch((err) => {
  console.error(`Pulse-8 failed to start: ${err instanceof Error ? err.message : String(err)}`)
  process.exit(1)
})
