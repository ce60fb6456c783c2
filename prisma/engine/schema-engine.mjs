#!/usr/bin/env node
// Stand-in for Prisma's native `schema-engine` binary (docs/decisions/002-prisma-offline.md).
//
// Why: `npm install prisma` cannot download the native engine on machines without internet, and
// every `prisma migrate` / `db push` command needs it. The same engine is published on npm compiled
// to WebAssembly (@prisma/schema-engine-wasm); it talks to PostgreSQL through a driver adapter
// (@prisma/adapter-pg) instead of its own sockets. The CLI runs whatever file
// PRISMA_SCHEMA_ENGINE_BINARY names, so this script speaks the binary's protocol and forwards the
// work to the wasm engine. server/db/prisma-cli.ts sets that variable.
//
// The binary's protocol, as the CLI uses it:
//   schema-engine --datasource '{"url":..., "shadowDatabaseUrl"?:...}' [--datamodels <file>]... \
//     cli can-connect-to-database | create-database | drop-database
//       -> do it, exit 0; on failure one JSON log line with `error_code` on stderr, exit 1.
//   schema-engine --datasource ... --datamodels ...
//       -> JSON-RPC 2.0, one JSON object per line: requests on stdin, responses on stdout,
//          JSON log lines on stderr. The CLI closes stdin when it is done.
//
// Plain .mjs on purpose: the CLI spawns it directly, without tsx.

import { randomUUID } from 'node:crypto'
import { readFile } from 'node:fs/promises'
import { createRequire } from 'node:module'
import path from 'node:path'
import readline from 'node:readline'
import { parseArgs } from 'node:util'
import pg from 'pg'
import { createRequire as cr } from 'node:module'
const require = cr(import.meta.url)

// Postgres' internal one-byte `"char"` type (pg_class.relkind, pg_constraint.contype, ...), which
// the engine reads while describing a schema. adapter-pg 7.10 maps column types by OID and throws
// "Column type 'char' could not be deserialized" for it; a type parser cannot help because the
// adapter looks at the field's OID, not at the parsed value. So, in this process only, results
// report such columns as `text` (its text form is the same single character).
const PG_CHAR_OID = 18
const PG_TEXT_OID = 25
const addFields = pg.Result.prototype.addFields
pg.Result.prototype.addFields = function addFieldsWithCharAsText(fields) {
  for (const field of fields) {
    if (field.dataTypeID === PG_CHAR_OID) field.dataTypeID = PG_TEXT_OID
  }
  return addFields.call(this, fields)
}

const { values: flags, positionals } = parseArgs({
  options: {
    datasource: { type: 'string' },
    datamodels: { type: 'string', multiple: true },
    'enabled-preview-features': { type: 'string' },
    'extension-types': { type: 'string' },
  },
  allowPositionals: true,
  strict: false, // tolerate flags a newer CLI may add
})

const datasource = flags.datasource ? JSON.parse(flags.datasource) : {}
if (!datasource.url) {
  logError('The schema engine stand-in needs --datasource with a url (set it in prisma.config.ts).')
  process.exit(1)
}

if (positionals[0] === 'cli') {
  process.exit(await runCliCommand(positionals[1], datasource.url))
} else {
  await serveJsonRpc()
}

// ---------------------------------------------------------------------------------------------
// `cli <command>`: one-shot database commands, done with plain `pg`.

async function runCliCommand(command, url) {
  try {
    switch (command) {
      case 'can-connect-to-database':
        await withClient(url, (client) => client.query('SELECT 1'))
        return 0
      case 'create-database':
        await createDatabase(url)
        return 0
      case 'drop-database':
        await withClient(maintenanceUrl(url), (client) =>
          client.query(`DROP DATABASE ${pg.escapeIdentifier(databaseName(url))}`),
        )
        return 0
      default:
        logError(`Unknown cli command: ${command}`)
        return 1
    }
  } catch (error) {
    logError(error.message, connectionErrorCode(error))
    return 1
  }
}

async function createDatabase(url) {
  const name = databaseName(url)
  await withClient(maintenanceUrl(url), (client) =>
    client.query(`CREATE DATABASE ${pg.escapeIdentifier(name)}`),
  )
  return { databaseName: name }
}

async function withClient(url, work) {
  const client = new pg.Client({ connectionString: url })
  await client.connect()
  try {
    return await work(client)
  } finally {
    await client.end()
  }
}

function databaseName(url) {
  return decodeURIComponent(new URL(url).pathname.slice(1)) || 'postgres'
}

/** The same server, database `postgres`: CREATE/DROP DATABASE cannot run inside the target. */
function maintenanceUrl(url) {
  return withDatabase(url, 'postgres')
}

function withDatabase(url, name) {
  const parsed = new URL(url)
  parsed.pathname = `/${encodeURIComponent(name)}`
  return parsed.toString()
}

/** The error codes the CLI understands for connection problems (Prisma's P1xxx). */
function connectionErrorCode(error) {
  if (error.code === '3D000') return 'P1003' // database does not exist
  if (error.code === '28P01' || error.code === '28000') return 'P1000' // authentication failed
  if (error.code === '42P04') return 'P1009' // database already exists
  if (typeof error.code === 'string' && /^[0-9A-Z]{5}$/.test(error.code)) return undefined
  return 'P1001' // cannot reach the server
}

/** A log line shaped like the native engine's, which the CLI parses from stderr. */
function logError(message, errorCode) {
  const fields = { message, ...(errorCode ? { error_code: errorCode } : {}) }
  process.stderr.write(`${JSON.stringify({ level: 'ERROR', target: 'schema_engine::logger', fields })}\n`)
}

// ---------------------------------------------------------------------------------------------
// JSON-RPC: forward each request to the wasm engine.

async function serveJsonRpc() {
  if (process.env.SE_TRACE) process.on('exit', (code) => require('node:fs').appendFileSync(process.env.SE_TRACE, `EXIT ${code}\n`))
  if (process.env.SE_TRACE) process.stdin.on('end', () => require('node:fs').appendFileSync(process.env.SE_TRACE, `STDIN END\n`))
  // The CLI may go away (and close our stdout) at any time; that is not an error.
  process.stdout.on('error', () => process.exit(0))

  const enginePromise = createWasmEngine(datasource, flags.datamodels ?? [])
  // Avoid an unhandled rejection before the first request awaits it.
  enginePromise.catch(() => {})

  // Requests are handled one at a time, in order, as the native engine does.
  let queue = Promise.resolve()
  const lines = readline.createInterface({ input: process.stdin, crlfDelay: Infinity })
  lines.on('line', (line) => {
    if (process.env.SE_TRACE) require('node:fs').appendFileSync(process.env.SE_TRACE, `ARGV ${process.argv.slice(2).join(' ')}\nREQ ${line.slice(0, 3000)}\n`)
    queue = queue.then(() => handleLine(line, enginePromise))
  })
  // The CLI ends stdin when it is done: finish what is in flight, then exit (the adapter's
  // connection pools would otherwise keep the process alive).
  lines.on('close', () => {
    queue.then(() => process.exit(0))
  })
}

async function handleLine(line, enginePromise) {
  if (!line.trim()) return
  let message
  try {
    message = JSON.parse(line)
  } catch {
    return writeResponse({ jsonrpc: '2.0', id: null, error: { code: -32700, message: 'Parse error' } })
  }
  // Lines without `method` answer requests the engine itself sent; the wasm engine sends none.
  if (typeof message.method !== 'string') return

  const { id, method, params } = message
  try {
    const engine = await enginePromise
    const result = await callEngine(engine, method, params)
    writeResponse({ jsonrpc: '2.0', id, result: result === undefined ? {} : result })
  } catch (error) {
    const isPanic = error instanceof WebAssembly.RuntimeError
    writeResponse({ jsonrpc: '2.0', id, error: toRpcError(error, isPanic) })
    // A panicked wasm instance cannot be used again; 101 is the native engine's panic exit code.
    if (isPanic) process.exit(101)
  }
}

async function callEngine(engine, method, params) {
  switch (method) {
    // Methods of the native engine that the wasm engine names differently or lacks.
    case 'getDatabaseVersion':
      return engine.version(params)
    case 'createDatabase':
      return createDatabase(datasource.url)
    default:
      if (typeof engine[method] !== 'function' || method === 'free') {
        throw Object.assign(new Error(`The schema engine stand-in does not support "${method}".`), {
          rpcCode: -32601,
        })
      }
      return engine[method](params)
  }
}

/** The error shape the CLI reads: `data.message`, `data.error_code`, `data.is_panic`. */
function toRpcError(error, isPanic) {
  // Engine errors end with a span trace ("   0: schema_engine_wasm::..."); keep it out of the
  // message the user reads, but available for debugging.
  const [message, ...trace] = String(error?.message ?? error).split(/\n(?=\s+0: )/)
  return {
    code: error?.rpcCode ?? 4466,
    message: 'An error happened. Check the data field for details.',
    data: {
      is_panic: isPanic,
      message: message.trimEnd(),
      backtrace: trace.join('\n') || undefined,
      error_code: typeof error?.code === 'string' ? error.code : undefined,
      meta: error?.meta,
    },
  }
}

function writeResponse(response) {
  if (process.env.SE_TRACE) require('node:fs').appendFileSync(process.env.SE_TRACE, `RES ${JSON.stringify(response).slice(0, 1500)}\n`)
  process.stdout.write(`${JSON.stringify(response)}\n`)
}

async function createWasmEngine({ url, shadowDatabaseUrl }, datamodelPaths) {
  const [glue, { PrismaPg }, { bindMigrationAwareSqlAdapterFactory }] = await Promise.all([
    import('@prisma/schema-engine-wasm/schema_engine_bg'),
    import('@prisma/adapter-pg'),
    import('@prisma/driver-adapter-utils'),
  ])

  // The package's own entry point imports the .wasm file as an ES module, which Node 20 cannot
  // do; instantiate it by hand with the package's JS glue, as that entry point would.
  const wasmPath = path.join(path.dirname(require.resolve('@prisma/schema-engine-wasm')), 'schema_engine_bg.wasm')
  const { instance } = await WebAssembly.instantiate(await readFile(wasmPath), {
    './schema_engine_bg.js': glue,
  })
  glue.__wbg_set_wasm(instance.exports)
  instance.exports.__wbindgen_start()

  const datamodels = await Promise.all(
    datamodelPaths.map(async (file) => [file, await readFile(path.resolve(file), 'utf8')]),
  )
  const adapterFactory = bindMigrationAwareSqlAdapterFactory(
    new MigrationAdapterFactory(PrismaPg, url, shadowDatabaseUrl),
  )
  // Engine log lines are JSON, like the native engine's: pass them through on stderr, where
  // the CLI collects them for its error messages.
  const log = (line) => process.stderr.write(line.endsWith('\n') ? line : `${line}\n`)
  return glue.SchemaEngine.new({ datamodels }, log, adapterFactory)
}

/**
 * The driver adapter factory the wasm engine uses: PrismaPg for the main database, with our own
 * shadow database handling. adapter-pg 7.10's `connectToShadowDb` creates a database but then
 * connects its pool with `{ connectionString, database }`, and pg lets the connection string win:
 * the "shadow" pool is the main database. So:
 *   - with `shadowDatabaseUrl` (e.g. a second in-memory PGlite): use it, emptied first, as the
 *     native engine does;
 *   - without: create a throwaway database next to the main one and drop it afterwards.
 */
class MigrationAdapterFactory {
  provider = 'postgres'
  adapterName = '@prisma/adapter-pg'

  constructor(PrismaPg, url, shadowDatabaseUrl) {
    this.PrismaPg = PrismaPg
    this.url = url
    this.shadowDatabaseUrl = shadowDatabaseUrl
  }

  adapterFor(url) {
    // Honour `?schema=` as the native engine does; pg itself ignores the parameter.
    const schema = new URL(url).searchParams.get('schema') ?? undefined
    return new this.PrismaPg({ connectionString: url }, schema ? { schema } : undefined)
  }

  connect() {
    return this.adapterFor(this.url).connect()
  }

  async connectToShadowDb() {
    if (this.shadowDatabaseUrl) {
      if (this.shadowDatabaseUrl === this.url) {
        throw new Error('shadowDatabaseUrl is the same as the main database url; refusing to reset it.')
      }
      const shadow = await this.adapterFor(this.shadowDatabaseUrl).connect()
      await shadow.executeScript('DROP SCHEMA IF EXISTS public CASCADE; CREATE SCHEMA public')
      return shadow
    }

    const name = `prisma_migrate_shadow_db_${randomUUID()}`
    await withClient(maintenanceUrl(this.url), (client) =>
      client.query(`CREATE DATABASE ${pg.escapeIdentifier(name)}`),
    )
    const shadow = await this.adapterFor(withDatabase(this.url, name)).connect()
    const dispose = shadow.dispose.bind(shadow)
    shadow.dispose = async () => {
      await dispose()
      await withClient(maintenanceUrl(this.url), (client) =>
        client.query(`DROP DATABASE IF EXISTS ${pg.escapeIdentifier(name)}`),
      )
    }
    return shadow
  }
}
