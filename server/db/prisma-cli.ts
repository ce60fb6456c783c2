// Runs the Prisma CLI offline: with our WebAssembly schema-engine stand-in instead of the native
// binary it would download, and without update checks or telemetry.
// See docs/decisions/002-prisma-offline.md.
import { spawn } from 'node:child_process'
import { createRequire } from 'node:module'
import { fileURLToPath } from 'node:url'

const require = createRequire(import.meta.url)

export const PROJECT_ROOT = fileURLToPath(new URL('../../', import.meta.url))
export const SCHEMA_ENGINE_STAND_IN = fileURLToPath(new URL('../../prisma/engine/schema-engine.mjs', import.meta.url))

export interface PrismaCliEnv {
  /** DATABASE_URL for prisma.config.ts. Unset: the config's placeholder (enough for `generate`). */
  databaseUrl?: string
  /** SHADOW_DATABASE_URL for prisma.config.ts (`migrate dev` against an embedded database). */
  shadowDatabaseUrl?: string
}

export interface PrismaCliOptions {
  /**
   * Share this process's terminal with the CLI instead of capturing its output, so that its
   * messages and prompts (e.g. `migrate dev`'s data-loss confirmation) reach the user.
   */
  interactive?: boolean
}

/**
 * Runs `prisma <args>` from the project root and resolves when it exits with 0. Output is captured,
 * not shown; on failure the promise rejects with one line that carries the CLI's output.
 * The database URLs come only from `env`, never from the caller's own environment, so a command
 * cannot reach a database it was not given.
 */
export async function runPrismaCli(args: string[], env: PrismaCliEnv, options: PrismaCliOptions = {}): Promise<void> {
  const childEnv: NodeJS.ProcessEnv = {
    ...process.env,
    PRISMA_SCHEMA_ENGINE_BINARY: SCHEMA_ENGINE_STAND_IN,
    PRISMA_HIDE_UPDATE_MESSAGE: '1',
    CHECKPOINT_DISABLE: '1', // no version check / telemetry request
  }
  if (!options.interactive) {
    childEnv.NO_COLOR = '1' // plain text for the error message
    delete childEnv.FORCE_COLOR
  }
  delete childEnv.DATABASE_URL
  delete childEnv.SHADOW_DATABASE_URL
  if (env.databaseUrl) childEnv.DATABASE_URL = env.databaseUrl
  if (env.shadowDatabaseUrl) childEnv.SHADOW_DATABASE_URL = env.shadowDatabaseUrl

  const cli = require.resolve('prisma/build/index.js')
  const child = spawn(process.execPath, [cli, ...args], {
    cwd: PROJECT_ROOT,
    env: childEnv,
    stdio: options.interactive ? 'inherit' : ['ignore', 'pipe', 'pipe'],
  })

  let output = ''
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => (output += chunk))
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (output += chunk))

  const exitCode = await new Promise<number | null>((resolve, reject) => {
    child.on('error', reject)
    child.on('close', resolve)
  })
  if (exitCode === 0) return

  const secrets = [env.databaseUrl, env.shadowDatabaseUrl].filter((url): url is string => !!url)
  const details = options.interactive ? 'see its output above' : oneLine(redact(output, secrets)) || 'no output'
  throw new Error(`prisma ${args.join(' ')} failed (exit ${exitCode}): ${details}`)
}

function oneLine(text: string): string {
  return text
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean)
    .join(' | ')
}

/** Hide the passwords of the given URLs (the CLI echoes its datasource on some errors). */
function redact(text: string, urls: string[]): string {
  let result = text
  for (const url of urls) {
    const password = rawPassword(url)
    if (password) result = result.replaceAll(`:${password}@`, ':***@')
  }
  return result
}

function rawPassword(url: string): string {
  try {
    return new URL(url).password
  } catch {
    return ''
  }
}
