// `npm run config -- <export|import|diff> --tenant <slug> [--file f.json]`
//
// Moves a tenant's configuration to and from a JSON file ("config as code"). Two transports, the
// same procedures either way:
//   - in-process (default): opens DATABASE_URL, or the embedded database under .data/ when the app
//     is not running, and acts with admin rights as "config CLI";
//   - over HTTP with the typed tRPC client: `--url http://localhost:3000 --token p8_…` (or
//     PULSE8_URL / PULSE8_TOKEN), for a running app; the token must belong to --tenant.
// import loads the file as drafts and validates them; nothing is published (use the Studio).
import { readFile, writeFile } from 'node:fs/promises'
import { parseArgs } from 'node:util'
import superjson from 'superjson'
import { createTRPCClient, httpBatchLink } from '@trpc/client'
import type { AppRouter } from '../server/app-router'
import { loadEnv } from '../server/env'
import { silentLogger } from '../server/logger'
import { EMBEDDED_DATA_DIR, startEmbeddedPostgres } from '../server/db/embedded'
import { migrateDeploy } from '../server/db/migrate'
import { createServices } from '../server/services'
import { createCaller } from '../server/http/app-server'
import { createInnerContext } from '../server/trpc/context'
import { diffAgainstLive, exportConfig, formatDiff, formatIssues, importConfig, parseConfigFile, type ConfigApi } from '../server/config/config-as-code'

const USAGE = 'usage: npm run config -- <export|import|diff> --tenant <slug> [--file f.json] [--url U --token T]'

function fail(message: string): never {
  console.error(message)
  process.exit(1)
}

const { positionals, values } = parseArgs({
  allowPositionals: true,
  options: {
    tenant: { type: 'string' },
    file: { type: 'string' },
    url: { type: 'string', default: process.env.PULSE8_URL },
    token: { type: 'string', default: process.env.PULSE8_TOKEN },
  },
})
const command = positionals[0]
if (!command || !['export', 'import', 'diff'].includes(command) || !values.tenant) fail(USAGE)
if (command !== 'export' && !values.file) fail(`${command} needs --file\n${USAGE}`)
const tenant = values.tenant

/** Runs `work` against the config API, over HTTP or in-process. */
async function withConfigApi<T>(work: (api: ConfigApi) => Promise<T>): Promise<T> {
  if (values.url) {
    if (!values.token) fail('--url needs --token (an API token of the tenant, role Admin)')
    const client = createTRPCClient<AppRouter>({
      // maxItems: the server refuses batches of more than 20 calls (MAX_BATCH_SIZE, app-server.ts).
      links: [
        httpBatchLink({
          url: `${values.url.replace(/\/$/, '')}/api/trpc`,
          transformer: superjson,
          maxItems: 20,
          headers: { authorization: `Bearer ${values.token}` },
        }),
      ],
    })
    const me = await client.auth.me.query()
    if (me.kind !== 'token' || me.activeTenant?.slug !== tenant) fail(`The token does not belong to tenant "${tenant}"`)
    return work({
      list: () => client.config.list.query(),
      get: (a) => client.config.get.query(a as never),
      saveDraft: (i) => client.config.saveDraft.mutate(i as never),
      validate: () => client.config.validate.query(),
      snapshot: (i) => client.config.snapshot.query(i),
    })
  }
  const env = loadEnv()
  const embedded = env.DATABASE_URL
    ? null
    : await startEmbeddedPostgres({ dataDir: env.DATA_DIR ?? EMBEDDED_DATA_DIR }).catch((err: Error) =>
        fail(`${err.message}\nIs the app running? Then use --url http://localhost:${env.PORT} --token <an admin API token>.`),
      )
  const url = env.DATABASE_URL ?? embedded!.url
  await migrateDeploy(url, (line) => process.stderr.write(line + '\n'))
  const services = createServices(env, url, silentLogger)
  try {
    const row = await services.db.tenant.findUnique({ where: { slug: tenant }, select: { id: true } })
    if (!row) fail(`No tenant "${tenant}"`)
    const caller = createCaller(
      createInnerContext({
        services,
        principal: { kind: 'token', token: { id: 'config-cli', name: 'config CLI', tenantId: row.id, role: 'ADMIN', scope: 'config', creatorUserId: null } },
      }),
    )
    return await work({
      list: () => caller.config.list(),
      get: (a) => caller.config.get(a as never),
      saveDraft: (i) => caller.config.saveDraft(i as never),
      validate: () => caller.config.validate(),
      snapshot: (i) => caller.config.snapshot(i),
    })
  } finally {
    await services.close()
    await embedded?.stop()
  }
}

try {
  const exitCode = await withConfigApi(async (api) => {
    if (command === 'export') {
      const file = await exportConfig(api, tenant)
      const text = JSON.stringify(file, null, 2) + '\n'
      if (values.file) {
        await writeFile(values.file, text)
        console.log(`Exported ${file.items.length} items of ${tenant} (version ${file.version}) to ${values.file}`)
      } else process.stdout.write(text)
      return 0
    }
    const file = parseConfigFile(await readFile(values.file!, 'utf8'))
    if (command === 'diff') {
      console.log(`Differences from the live configuration of ${tenant} to ${values.file}:`)
      console.log(formatDiff(await diffAgainstLive(api, file)))
      return 0
    }
    const result = await importConfig(api, file)
    console.log(
      `Loaded ${values.file} into the drafts of ${tenant}: ${result.saved.length} saved, ${result.deleted.length} marked for removal, ${result.unchanged} unchanged. Nothing was published.`,
    )
    if (result.warnings.length) console.log(`Warnings (${result.warnings.length}):\n${formatIssues(result.warnings)}`)
    if (result.errors.length) {
      console.error(`Validation errors (${result.errors.length}) — fix them before publishing:\n${formatIssues(result.errors)}`)
      return 1
    }
    console.log('The drafts validate clean: review and publish them in the Studio.')
    return 0
  })
  process.exit(exitCode)
} catch (err) {
  fail(`config ${command} failed: ${err instanceof Error ? err.message : String(err)}`)
}
