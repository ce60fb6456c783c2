// The key tenant secrets are encrypted with, and the encryption itself (AES-256-GCM). The key is
// the process's, installed once by the composition root (server/services.ts), so `readSecret`
// keeps its `(scope, name)` shape for the automation engine. Where the key comes from
// (decision 019): SECRETS_KEY; else, in tests, a fixed derived key; else a key file generated
// once next to the embedded database's data directory (`.data/secrets.key` by default). Production on a real PostgreSQL must set SECRETS_KEY:
// every instance needs the same key, and a key file on one machine is not on the others.
import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto'
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import type { Env } from '../env'

const KEY_BYTES = 32

export class SecretsKeyError extends Error {
  override name = 'SecretsKeyError'
}

/**
 * The key for this process. `keyFile` is where an unset SECRETS_KEY's generated key lives
 * (main.ts passes `secrets.key` next to the data directory); NODE_ENV=test, and tools without a
 * key file outside production, use a fixed key derived from a constant.
 */
export function resolveSecretsKey(env: Pick<Env, 'NODE_ENV' | 'SECRETS_KEY' | 'DATABASE_URL'>, keyFile?: string): Buffer {
  if (env.SECRETS_KEY) return decodeKey(env.SECRETS_KEY, 'SECRETS_KEY')
  if (env.NODE_ENV === 'production' && env.DATABASE_URL) {
    throw new SecretsKeyError('SECRETS_KEY is required in production with DATABASE_URL (32 bytes, base64: openssl rand -base64 32)')
  }
  // Tests (and tools without a key file outside production) share a fixed, public key: their
  // secrets protect nothing, and every test process and child app must agree on it.
  if (env.NODE_ENV === 'test' || (!keyFile && env.NODE_ENV !== 'production')) {
    return createHash('sha256').update('pulse8 test secrets key: not secret').digest()
  }
  if (!keyFile) throw new SecretsKeyError('SECRETS_KEY is not set')
  return readOrCreateKeyFile(keyFile)
}

function readOrCreateKeyFile(file: string): Buffer {
  try {
    return decodeKey(readFileSync(file, 'utf8').trim(), file)
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error
  }
  mkdirSync(path.dirname(file), { recursive: true })
  try {
    // 'wx': of two processes starting at once, one writes and the other reads what it wrote.
    writeFileSync(file, `${randomBytes(KEY_BYTES).toString('base64')}\n`, { flag: 'wx', mode: 0o600 })
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error
  }
  return decodeKey(readFileSync(file, 'utf8').trim(), file)
}

function decodeKey(text: string, source: string): Buffer {
  const key = Buffer.from(text, 'base64')
  if (key.length !== KEY_BYTES) throw new SecretsKeyError(`${source}: expected ${KEY_BYTES} bytes, base64`)
  return key
}

let installed: Buffer | null = null
let resolveLater: (() => Buffer) | null = null

/**
 * Called by createServices: the key itself (main.ts resolves it at start, so a missing key stops
 * the server there) or how to resolve it on first use (scripts that may never touch a secret).
 * Installing a different key later is a programmer error.
 */
export function installSecretsKey(key: Buffer | (() => Buffer)): void {
  if (typeof key === 'function') {
    if (!installed) resolveLater = key
    return
  }
  if (installed && !installed.equals(key)) throw new SecretsKeyError('A different secrets key is already installed in this process')
  installed = Buffer.from(key)
}

function currentKey(): Buffer {
  if (!installed && resolveLater) installSecretsKey(resolveLater())
  if (!installed) throw new SecretsKeyError('No secrets key installed (createServices installs it)')
  return installed
}

export type Sealed = { ciphertext: Uint8Array<ArrayBuffer>; iv: Uint8Array<ArrayBuffer>; authTag: Uint8Array<ArrayBuffer> }

/** Encrypts `value`, bound to `context` (tenant id and name): a value copied to another row fails to open. */
export function seal(value: string, context: string): Sealed {
  const iv = randomBytes(12)
  const cipher = createCipheriv('aes-256-gcm', currentKey(), iv)
  cipher.setAAD(Buffer.from(context, 'utf8'))
  const ciphertext = Buffer.concat([cipher.update(value, 'utf8'), cipher.final()])
  return { ciphertext: new Uint8Array(ciphertext), iv: new Uint8Array(iv), authTag: new Uint8Array(cipher.getAuthTag()) }
}

/** The value `seal` encrypted; throws when the key, the context or the bytes differ. */
export function open(sealed: { ciphertext: Uint8Array; iv: Uint8Array; authTag: Uint8Array }, context: string): string {
  const decipher = createDecipheriv('aes-256-gcm', currentKey(), sealed.iv)
  decipher.setAAD(Buffer.from(context, 'utf8'))
  decipher.setAuthTag(sealed.authTag)
  return Buffer.concat([decipher.update(sealed.ciphertext), decipher.final()]).toString('utf8')
}
