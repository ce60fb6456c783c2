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

// Postgres' internal one-byte `"char"` type (pg_class.relkind, pg_constraint.contype, ...) is read
// by the engine while it describes a schema, and it expects those columns as characters.
// adapter-pg 7.10 has no mapping for the type's OID and throws "Column type 'char' could not be
// deserialized" before any type parser runs. So, in this process only: `pg` results report such
// columns as `text` (same text form, one character), and the adapter's `queryRaw` results then
// re-label them as Character for the engine (see withCharColumns). The two steps meet through
// the result's `rows` array, which adapter-pg passes through unchanged.
const PG_CHAR_OID = 18
const PG_TEXT_OID = 25
const charColumnsByRows = new WeakMap()
const addFields = pg.Result.prototype.addFields
pg.Result.prototype.addFields = function addFieldsWithCharAsText(fields) {
  const charColumns = []
  fields.forEach((field, index) => {
    if (field.dataTypeID !== PG_CHAR_OID) return
    field.dataTypeID = PG_TEXT_OID
    charColumns.push(index)
  })
  if (charColumns.length > 0) charColumnsByRows.set(this.rows, charColumns)
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
  // The CLI may go away (and close our stdout) at any time; that is not an error.
  process.stdout.on('error', () => process.exit(0))

  let inFlight // id of the request being answered; requests are answered one at a time, in order

  // A Rust panic inside the engine: the wasm glue hands its message to this global, then the
  // instance traps (WebAssembly.RuntimeError). The trap often happens in a promise job, outside
  // any request's await, and then arrives as an uncaught exception.
  globalThis.PRISMA_WASM_PANIC_REGISTRY = { set_message: (message) => (panicMessage = message) }
  process.on('uncaughtException', (error) => exitAfterPanic(inFlight, error))

  const enginePromise = createWasmEngine(datasource, flags.datamodels ?? [])
  // Avoid an unhandled rejection before the first request awaits it.
  enginePromise.catch(() => {})

  // One request at a time, in order, as the native engine does.
  let queue = Promise.resolve()
  const lines = readline.createInterface({ input: process.stdin, crlfDelay: Infinity })
  lines.on('line', (line) => {
    queue = queue.then(async () => {
      const request = parseRequest(line)
      if (!request) return
      inFlight = request.id
      writeResponse(await answer(request, enginePromise))
      inFlight = undefined
    })
  })
  // The CLI ends stdin when it is done: finish what is in flight, then exit (the adapter's
  // connection pools would otherwise keep the process alive).
  lines.on('close', () => {
    queue.then(() => process.exit(0))
  })
}

/** A request, or undefined for anything else: blank lines, and lines without `method`, which
 *  would be answers to requests of the engine's own (the wasm engine sends none). */
function parseRequest(line) {
  try {
    const message = JSON.parse(line)
    return typeof message?.method === 'string' ? message : undefined
  } catch {
    return undefined
  }
}

async function answer({ id, method, params }, enginePromise) {
  try {
    const engine = await enginePromise
    const result = await callEngine(engine, method, params)
    return { jsonrpc: '2.0', id, result: result === undefined ? {} : result }
  } catch (error) {
    if (error instanceof WebAssembly.RuntimeError) exitAfterPanic(id, error)
    return { jsonrpc: '2.0', id, error: toRpcError(error, false) }
  }
}

let panicMessage

/** A panicked wasm instance cannot be used again: answer like the native engine (is_panic, exit 101). */
function exitAfterPanic(id, error) {
  const message = panicMessage ?? String(error?.stack ?? error)
  logError(message)
  if (id !== undefined) writeResponse({ jsonrpc: '2.0', id, error: toRpcError({ message }, true) })
  process.exit(101)
}

async function callEngine(engine, method, params) {
  switch (method) {
    // Methods of the native engine that the wasm engine names differently or lacks.
    case 'getDatabaseVersion':
      return engine.version(params)
    case 'createDatabase':
      return createDatabase(datasource.url)
    case 'evaluateDataLoss':
    case 'createMigration':
      await warmMigrationSchemaCache(engine, params)
      return engine[method](params)
    default:
      if (typeof engine[method] !== 'function' || method === 'free') {
        throw Object.assign(new Error(`The schema engine stand-in does not support "${method}".`), {
          rpcCode: -32601,
        })
      }
      return engine[method](params)
  }
}

/**
 * The wasm engine replays migrations into a shadow database (through the adapter factory) only
 * in devDiagnostic / diagnoseMigrationHistory, and caches the resulting schema per list of
 * migrations; evaluateDataLoss and createMigration only read that cache, and fail with
 * "PostgreSQL shadow DB must be provided through an external factory" on a miss. A miss happens
 * whenever `migrate dev` starts on a database that is behind (e.g. a fresh scratch database):
 * devDiagnostic then replays only the migrations already applied. The CLI applies the rest before
 * these two calls, so a diagnosis now replays the full list and fills the cache. Best effort: if
 * it fails, the call that follows reports the real problem.
 */
async function warmMigrationSchemaCache(engine, { migrationsList, filters }) {
  if (!migrationsList) return
  await engine
    .diagnoseMigrationHistory({ migrationsList, optInToShadowDatabase: true, filters })
    .catch(() => {})
}

/** The error shape the CLI reads: `data.message`, `data.error_code`, `data.is_panic`. */
function toRpcError(error, isPanic) {
  // Engine errors end with a span trace ("   0: schema_engine_wasm::..."); keep it out of the
  // message the user reads, but available for debugging.
  const [message, ...trace] = withAdapterErrors(String(error?.message ?? error)).split(/\n(?=\s+0: )/)
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

/**
 * Errors thrown in our JS adapter code reach the engine as "External error id#N"; the adapter
 * binding keeps the originals in a registry. Put their messages back.
 */
let adapterErrorRegistry
function withAdapterErrors(message) {
  return message.replace(/External error id#(\d+)/g, (text, id) => {
    const registered = adapterErrorRegistry?.consumeError(Number(id))
    return registered?.error?.message ?? text
  })
}

function writeResponse(response) {
  process.stdout.write(`${JSON.stringify(response)}\n`)
}

async function createWasmEngine({ url, shadowDatabaseUrl }, datamodelPaths) {
  const require = createRequire(import.meta.url)
  const [glue, { PrismaPg }, { bindMigrationAwareSqlAdapterFactory, ColumnTypeEnum }] = await Promise.all([
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
    new MigrationAdapterFactory(PrismaPg, ColumnTypeEnum, url, shadowDatabaseUrl),
  )
  adapterErrorRegistry = adapterFactory.errorRegistry
  // Engine log lines are JSON, like the native engine's: pass them through on stderr, where
  // the CLI collects them for its error messages.
  const log = (line) => process.stderr.write(line.endsWith('\n') ? line : `${line}\n`)
  // No --datamodels (e.g. `db execute`): pass none rather than an empty list, which panics.
  return glue.SchemaEngine.new({ datamodels: datamodels.length > 0 ? datamodels : undefined }, log, adapterFactory)
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

  constructor(PrismaPg, ColumnTypeEnum, url, shadowDatabaseUrl) {
    this.PrismaPg = PrismaPg
    this.ColumnTypeEnum = ColumnTypeEnum
    this.url = url
    this.shadowDatabaseUrl = shadowDatabaseUrl
  }

  adapterFor(url) {
    // Honour `?schema=` as the native engine does; pg itself ignores the parameter.
    const schema = new URL(url).searchParams.get('schema') ?? undefined
    return new this.PrismaPg({ connectionString: url }, schema ? { schema } : undefined)
  }

  async connect() {
    return this.withCharColumns(await this.adapterFor(this.url).connect())
  }

  /** Completes the `"char"` mapping started at the top of this file, for an adapter or a transaction. */
  withCharColumns(queryable) {
    const queryRaw = queryable.queryRaw.bind(queryable)
    queryable.queryRaw = async (query) => {
      const result = await queryRaw(query)
      for (const index of charColumnsByRows.get(result.rows) ?? []) {
        result.columnTypes[index] = this.ColumnTypeEnum.Character
      }
      return result
    }
    if (queryable.startTransaction) {
      const startTransaction = queryable.startTransaction.bind(queryable)
      queryable.startTransaction = async (...args) => this.withCharColumns(await startTransaction(...args))
    }
    return queryable
  }

  async connectToShadowDb() {
    if (this.shadowDatabaseUrl) {
      if (this.shadowDatabaseUrl === this.url) {
        throw new Error('shadowDatabaseUrl is the same as the main database url; refusing to reset it.')
      }
      const shadow = this.withCharColumns(await this.adapterFor(this.shadowDatabaseUrl).connect())
      await shadow.executeScript('DROP SCHEMA IF EXISTS public CASCADE; CREATE SCHEMA public')
      return shadow
    }

    const name = `prisma_migrate_shadow_db_${randomUUID()}`
    await withClient(maintenanceUrl(this.url), (client) =>
      client.query(`CREATE DATABASE ${pg.escapeIdentifier(name)}`),
    )
    const dropShadow = () =>
      withClient(maintenanceUrl(this.url), (client) =>
        client.query(`DROP DATABASE IF EXISTS ${pg.escapeIdentifier(name)}`),
      )
    const shadowUrl = withDatabase(this.url, name)
    // PGlite (the embedded database) accepts CREATE DATABASE but serves only its one database
    // whatever name a client asks for: the "shadow" would be the main database, which the engine
    // empties after use. Make sure we really got the new database.
    const [actual] = await withClient(shadowUrl, (client) => client.query('SELECT current_database() AS name'))
      .then((result) => result.rows.map((row) => row.name))
      .catch(async (error) => {
        await dropShadow()
        throw error
      })
    if (actual !== name) {
      await dropShadow()
      throw new Error(
        'This server cannot host a shadow database next to the main one (the embedded PGlite serves a single ' +
          'database). Set SHADOW_DATABASE_URL to a second, empty database (scripts/db-new-migration.ts does).',
      )
    }
    const shadow = this.withCharColumns(await this.adapterFor(shadowUrl).connect())
    const dispose = shadow.dispose.bind(shadow)
    shadow.dispose = async () => {
      await dispose()
      await dropShadow()
    }
    return shadow
  }
}
