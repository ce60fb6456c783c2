// Password hashing with argon2id (OWASP's recommended parameters for interactive logins).
import { hash, verify } from '@node-rs/argon2'

const OPTIONS = { memoryCost: 19456, timeCost: 2, parallelism: 1, outputLen: 32 } as const

export { PASSWORD_MIN_LENGTH } from '../config-language/password-rule'

export function hashPassword(password: string): Promise<string> {
  return hash(password, OPTIONS)
}

// Verified when the email is unknown, so a wrong email costs the same time as a wrong password.
let dummyHash: Promise<string> | undefined

export async function verifyPassword(passwordHash: string | null, password: string): Promise<boolean> {
  if (!passwordHash) {
    dummyHash ??= hashPassword('not-a-real-password')
    await verify(await dummyHash, password).catch(() => false)
    return false
  }
  return verify(passwordHash, password).catch(() => false)
}
