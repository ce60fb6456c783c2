// A running subscription outlives the access check made when it started, so the caller is checked
// again every PRINCIPAL_RECHECK_MS while it runs. One timer per principal (a session or a token) and
// process, not one per subscription: a tick resolves the principal once and answers each group of
// its subscriptions (same tenant and permission) with one check. A refusal (a revoked token, an
// ended session, a removed member, a lost permission, a switch to another tenant) ends each of the
// group's subscriptions with that error; anything else (a database blip) is tried at the next tick.
import { TRPCError } from '@trpc/server'
import { PRINCIPAL_RECHECK_MS, type Principal, type Services } from './context'

export type AccessWatch = {
  /** Watches with the same group (tenant and permission) get the same answer: `check` runs once for them. */
  group: string
  /** Resolves when `principal` may still receive the subscription; throws the refusal otherwise. */
  check(principal: Principal): Promise<void>
  refused(error: unknown): void
}

type Entry = AccessWatch & { refresh: () => Promise<Principal> }
type PrincipalWatch = { entries: Set<Entry>; timer: NodeJS.Timeout; checking: boolean }

const watchesByServices = new WeakMap<Services, Map<string, PrincipalWatch>>()

function principalKey(p: Principal): string | null {
  if (p.kind === 'session') return `session ${p.session.id}`
  if (p.kind === 'token') return `token ${p.token.id}`
  return null
}

const isRefusal = (error: unknown) => error instanceof TRPCError && (error.code === 'UNAUTHORIZED' || error.code === 'FORBIDDEN')

/**
 * Re-checks `watch` with the principal's other subscriptions in this process until the returned
 * function is called. `refresh` re-resolves the principal from its credentials (the context's).
 */
export function watchAccess(services: Services, principal: Principal, refresh: () => Promise<Principal>, watch: AccessWatch): () => void {
  const key = principalKey(principal)
  if (key === null) return () => undefined
  let watches = watchesByServices.get(services)
  if (!watches) watchesByServices.set(services, (watches = new Map()))
  let pw = watches.get(key)
  if (!pw) {
    const created: PrincipalWatch = { entries: new Set(), timer: setInterval(() => void recheck(services, created), PRINCIPAL_RECHECK_MS), checking: false }
    created.timer.unref()
    watches.set(key, (pw = created))
  }
  const mine = pw
  const byPrincipal = watches
  const entry: Entry = { ...watch, refresh }
  mine.entries.add(entry)
  return () => {
    if (!mine.entries.delete(entry) || mine.entries.size) return
    clearInterval(mine.timer)
    if (byPrincipal.get(key) === mine) byPrincipal.delete(key)
  }
}

async function recheck(services: Services, pw: PrincipalWatch): Promise<void> {
  const first = pw.entries.values().next()
  if (pw.checking || first.done) return
  pw.checking = true
  try {
    // Every subscription of the principal has the same credentials: any of them resolves it.
    const principal = await first.value.refresh()
    const groups = new Map<string, Entry[]>()
    for (const entry of pw.entries) {
      const group = groups.get(entry.group)
      if (group) group.push(entry)
      else groups.set(entry.group, [entry])
    }
    await Promise.all(
      [...groups.values()].map((group) =>
        group[0]!.check(principal).catch((error: unknown) => {
          if (!isRefusal(error)) throw error
          for (const entry of group) entry.refused(error)
        }),
      ),
    )
  } catch (error) {
    services.logger.warn('subscription re-check failed; will retry', { error: String(error) })
  } finally {
    pw.checking = false
  }
}
