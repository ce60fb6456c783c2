// What crm services need besides the tenant scope and the actor: the event bus (changes are
// announced after commit), the config runtime cache (the live model) and the logger. Passed as one
// object by every caller (a router from ctx.services, a worker from its own services).
import type { Role } from '../config-language'
import type { RuntimeConfigCache } from '../config/runtime-config'
import type { Actor } from '../kernel'
import type { Logger } from '../logger'
import type { EventBus } from '../realtime/event-bus'

export type CrmDeps = {
  bus: EventBus
  runtimeConfig: RuntimeConfigCache
  logger: Logger
  /** The clock SLA due times start from (tests inject a fixed one); default: the real clock. */
  now?: () => Date
}

/**
 * The actor of a crm call with the role it acts in: read-only fields, reassignment and draft
 * views depend on it. A worker acts in the role its rule was written for (e.g. ADMIN).
 */
export type CrmActor = Actor & { role: Role }
