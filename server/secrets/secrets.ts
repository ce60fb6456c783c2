// Tenant secrets: the signing keys of webhook actions (decision 019). Values are generated here,
// returned once by create and rotate, stored encrypted (secrets-key.ts) and never returned by a
// read; `readSecret` opens one for the automation engine, server-side only. Plain
// `(scope, actor, input)` services throwing kernel errors; every change is audited without its value.
import { randomBytes } from 'node:crypto'
import { recordAudit } from '../audit/audit-log'
import { ConflictError, InvalidError, NotFoundError, type Actor, type TenantScope } from '../kernel'
import { membersAmong } from '../members/member-directory'
import { open, seal } from './secrets-key'

/** What a secret's name may be: what a webhook action names, and a VARCHAR(63). */
export const SECRET_NAME_PATTERN = /^[A-Za-z][A-Za-z0-9_.-]{0,62}$/
export const SECRET_NAME_MAX = 63
/** A tenant needs a handful; the bound keeps a runaway script from filling the table. */
export const MAX_SECRETS_PER_TENANT = 100
export const SECRET_VALUE_PREFIX = 'whsec_'

const aad = (scope: TenantScope, name: string) => `${scope.tenantId}/${name}`
const newValue = () => `${SECRET_VALUE_PREFIX}${randomBytes(32).toString('base64url')}`
const isUniqueViolation = (err: unknown) => (err as { code?: string } | null)?.code === 'P2002'
const notFound = (name: string) => new NotFoundError(`Secret ${name} not found`)

/** The tenant's secrets, by name, without their values, with who created each (null once not a member). */
export async function listSecrets(scope: TenantScope) {
  const rows = await scope.db.tenantSecret.findMany({
    select: { name: true, createdAt: true, rotatedAt: true, createdById: true },
    orderBy: { name: 'asc' },
  })
  const creators = await membersAmong(
    scope,
    rows.map((r) => r.createdById),
  )
  return rows.map(({ createdById, ...row }) => {
    const creator = createdById ? creators.get(createdById) : undefined
    return { ...row, createdBy: creator ? { userId: creator.userId, name: creator.name } : null }
  })
}

/** Creates the secret `name` with a new value, returned this once. */
export async function createSecret(scope: TenantScope, actor: Actor, input: { name: string }): Promise<{ name: string; value: string }> {
  checkName(input.name)
  const value = newValue()
  try {
    await scope.db.$transaction(async (tx) => {
      if ((await tx.tenantSecret.count()) >= MAX_SECRETS_PER_TENANT) {
        throw new ConflictError(`A tenant has at most ${MAX_SECRETS_PER_TENANT} secrets: remove one first`)
      }
      if (await tx.tenantSecret.findFirst({ where: { name: input.name }, select: { id: true } })) throw duplicate(input.name)
      await tx.tenantSecret.create({
        data: { tenantId: scope.tenantId, name: input.name, ...seal(value, aad(scope, input.name)), createdById: actor.userId },
        select: { id: true },
      })
      await recordAudit(tx, actor, { action: 'secret.create', target: `secret/${input.name}` })
    })
  } catch (err) {
    if (isUniqueViolation(err)) throw duplicate(input.name) // a concurrent create won
    throw err
  }
  return { name: input.name, value }
}

/** Replaces the value of `name` with a new one, returned this once; the old one stops working at once. */
export async function rotateSecret(scope: TenantScope, actor: Actor, input: { name: string }): Promise<{ name: string; value: string }> {
  const value = newValue()
  const done = await scope.db.$transaction(async (tx) => {
    const res = await tx.tenantSecret.updateMany({ where: { name: input.name }, data: { ...seal(value, aad(scope, input.name)), rotatedAt: new Date() } })
    if (res.count === 0) return false
    await recordAudit(tx, actor, { action: 'secret.rotate', target: `secret/${input.name}` })
    return true
  })
  if (!done) throw notFound(input.name)
  return { name: input.name, value }
}

export async function removeSecret(scope: TenantScope, actor: Actor, input: { name: string }): Promise<{ ok: true }> {
  const done = await scope.db.$transaction(async (tx) => {
    const res = await tx.tenantSecret.deleteMany({ where: { name: input.name } })
    if (res.count === 0) return false
    await recordAudit(tx, actor, { action: 'secret.remove', target: `secret/${input.name}` })
    return true
  })
  if (!done) throw notFound(input.name)
  return { ok: true }
}

/** The current value of the tenant's secret `name`, or null when there is none. Server-side only. */
export async function readSecret(scope: TenantScope, name: string): Promise<string | null> {
  const row = await scope.db.tenantSecret.findFirst({ where: { name }, select: { ciphertext: true, iv: true, authTag: true } })
  return row ? open(row, aad(scope, name)) : null
}

function checkName(name: string) {
  if (!SECRET_NAME_PATTERN.test(name)) {
    throw new InvalidError('Invalid secret name', [{ path: ['name'], message: 'Start with a letter; then letters, digits, _ . or -, at most 63 characters' }])
  }
}

const duplicate = (name: string) => new ConflictError(`A secret named ${name} already exists`, { name })
