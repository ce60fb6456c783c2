// Accounts and tenants: the only module, with members, that touches the global `User`, `Tenant`
// and `Session` tables (through the root client, deliberately). Tenant-less services of
// `(deps, input)` throwing kernel errors; the auth router adds only cookies and sessions' wiring.
import type { EventBus } from '../realtime/event-bus'
import type { AccessChanges } from './principal-cache'
import type { Db, Role } from '../db/client'
import { writeInitialConfig } from '../config/initialize'
import { forTenantTransaction } from '../db/tenant-db'
import { ConflictError, NotFoundError, UnauthorizedError } from '../kernel'
import { hashPassword, verifyPassword } from './password'
import { enforceLimit, LIMITS, loginSlowdownMs, tooManyRequests, type RateLimiter } from './rate-limit'

/** What the account services need: the root client and the rate limiter. */
export type AccountDeps = { db: Db; rateLimiter: RateLimiter; bus: EventBus; principals: AccessChanges }

export function slugify(name: string): string {
  const base = name
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 40)
  return base || 'tenant'
}

async function freeSlug(db: Pick<Db, 'tenant'>, wanted: string): Promise<string> {
  for (let i = 0; ; i++) {
    const slug = i === 0 ? wanted : `${wanted}-${i + 1}`
    if (!(await db.tenant.findUnique({ where: { slug }, select: { id: true } }))) return slug
  }
}

/**
 * Creates a tenant, its first admin and its config version 1 in one transaction: every tenant has
 * its configuration from the moment it exists (a read never creates it).
 */
export async function registerTenant(
  db: Db,
  input: { email: string; password: string; name: string; tenantName: string },
): Promise<{ userId: string; tenantId: string; tenantSlug: string }> {
  const email = input.email.toLowerCase()
  const passwordHash = await hashPassword(input.password)
  const taken = () => new ConflictError('An account with this email already exists: sign in instead')
  const created = await db
    .$transaction(async (tx) => {
      if (await tx.user.findUnique({ where: { email }, select: { id: true } })) {
        throw taken()
      }
      const slug = await freeSlug(tx, slugify(input.tenantName))
      const user = await tx.user.create({ data: { email, name: input.name, passwordHash } })
      const tenant = await tx.tenant.create({ data: { slug, name: input.tenantName } })
      await tx.membership.create({ data: { tenantId: tenant.id, userId: user.id, role: 'ADMIN' } })
      await writeInitialConfig(forTenantTransaction(tx, tenant.id), tenant.id)
      return { userId: user.id, tenantId: tenant.id, tenantSlug: tenant.slug }
    })
    .catch((err: unknown) => {
      // Two registrations racing for the same email (or company slug): the unique key decides.
      if ((err as { code?: string } | null)?.code === 'P2002') throw new ConflictError('That account or company was just registered; sign in or try again')
      throw err
    })
  return created
}

export async function membershipsOf(db: Db, userId: string) {
  const rows = await db.membership.findMany({
    where: { userId },
    select: { role: true, tenant: { select: { id: true, slug: true, name: true } } },
    orderBy: { createdAt: 'asc' },
  })
  return rows.map((m) => ({ tenantId: m.tenant.id, slug: m.tenant.slug, name: m.tenant.name, role: m.role as Role }))
}

/** Sign-up: counted per address before anything else, taken emails included (no enumeration oracle). */
export async function registerAccount(deps: AccountDeps, input: { email: string; password: string; name: string; tenantName: string; clientIp: string }) {
  await enforceLimit(deps.rateLimiter, LIMITS.register, input.clientIp)
  const { clientIp: _ip, ...account } = input
  return registerTenant(deps.db, account)
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

/**
 * Checks an email and password; the person's user id and memberships, or UnauthorizedError.
 * Decision 012: the lock a failing address causes binds that address alone (per account and
 * address); the account as a whole is only slowed down, so the owner always gets in from their
 * own address. Attempts count before the password is checked, so parallel guesses cannot slip
 * past the limit; a success takes its hits back.
 */
export async function authenticate(deps: AccountDeps, input: { email: string; password: string; clientIp: string }) {
  const { rateLimiter, db } = deps
  const pairKey = `${input.email}|${input.clientIp}`
  const address = await rateLimiter.consume(LIMITS.loginAddress, input.clientIp)
  if (!address.allowed) throw tooManyRequests(LIMITS.loginAddress, address.retryAfterMs)
  const pair = await rateLimiter.consume(LIMITS.loginPair, pairKey)
  if (!pair.allowed) throw tooManyRequests(LIMITS.loginPair, pair.retryAfterMs)
  const slowdown = loginSlowdownMs((await rateLimiter.peek(LIMITS.loginAccount, input.email)).consumed)
  if (slowdown > 0) await sleep(slowdown)
  const user = await db.user.findUnique({ where: { email: input.email }, select: { id: true, passwordHash: true } })
  const ok = await verifyPassword(user?.passwordHash ?? null, input.password)
  if (!ok || !user) {
    await rateLimiter.consume(LIMITS.loginAccount, input.email)
    // Deliberately the same message whether the email or the password was wrong.
    throw new UnauthorizedError('Invalid email or password')
  }
  await Promise.all([rateLimiter.reset(LIMITS.loginPair, pairKey), rateLimiter.refund(LIMITS.loginAddress, input.clientIp)])
  return { userId: user.id, memberships: await membershipsOf(db, user.id) }
}

/** A signed-in person's session, as the account services see it. */
export type SignedIn = { userId: string; sessionId: string }

/**
 * Changes the password after checking the current one; every other session ends, this one stays.
 * Counted up front and forgiven on success: a stolen session must not guess the password.
 */
export async function changePassword(deps: AccountDeps, who: SignedIn, input: { currentPassword: string; newPassword: string }) {
  const { db, rateLimiter } = deps
  await enforceLimit(rateLimiter, LIMITS.changePassword, who.userId)
  const user = await db.user.findUniqueOrThrow({ where: { id: who.userId }, select: { passwordHash: true } })
  if (!(await verifyPassword(user.passwordHash, input.currentPassword))) throw new UnauthorizedError('Current password is wrong')
  await rateLimiter.reset(LIMITS.changePassword, who.userId)
  const passwordHash = await hashPassword(input.newPassword)
  const others = { userId: who.userId, id: { not: who.sessionId } }
  const ended = await db.$transaction(async (tx) => {
    const sessions = await tx.session.findMany({ where: others, select: { id: true } })
    await tx.user.update({ where: { id: who.userId }, data: { passwordHash } })
    await tx.session.deleteMany({ where: others })
    return sessions.map((s) => s.id)
  })
  // Their open sockets close now, on every instance, not at their next credential re-check.
  await deps.principals.sessionsEnded(ended)
  return { ok: true }
}

/** Makes one of the person's tenants the session's active one; not a member reads as not found. */
export async function switchActiveTenant(db: Db, who: SignedIn, tenantId: string, access: AccessChanges) {
  const memberships = await membershipsOf(db, who.userId)
  const target = memberships.find((m) => m.tenantId === tenantId)
  if (!target) throw new NotFoundError('Tenant not found')
  await db.session.update({ where: { id: who.sessionId }, data: { activeTenantId: target.tenantId } })
  // Every instance's cached copy of the session still names the old tenant.
  await access.changed({ sessionIds: [who.sessionId] })
  return { activeTenant: target }
}

/** The tenant's public summary (what `auth.me` shows a token), or null. */
export async function tenantSummary(db: Db, tenantId: string) {
  return db.tenant.findUnique({ where: { id: tenantId }, select: { id: true, slug: true, name: true } })
}

/**
 * Creates an account for `email` unless one exists; an existing account (or one registered at
 * this very moment) is left exactly as it is (members.add: docs/decisions/004).
 */
/**
 * Accounts are global (a person may belong to several tenants): the one account operation tenant
 * code may use, bound to the root client so tenant procedures need not hold it.
 */
export function accountStore(root: Db) {
  return { createIfMissing: (account: { email: string; name: string; passwordHash: string }) => createAccountIfMissing(root, account) }
}
export type AccountStore = ReturnType<typeof accountStore>

export async function createAccountIfMissing(db: Db, account: { email: string; name: string; passwordHash: string }) {
  await db.user.createMany({ data: [account], skipDuplicates: true })
}
