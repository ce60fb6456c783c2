// Every tenant starts at config version 1 holding the default configuration. It is created with
// the tenant (registration, the seed script), never lazily on a read. Idempotent and safe under
// concurrency (the head's insert decides who initialises), so running it twice changes nothing.
import { defaultConfig } from '../config-language'
import type { Prisma } from '../db/client'
import { ConflictError, systemActor, type TenantScope, type TenantTx } from '../kernel'
import { headVersion } from './config-store'
import { writeSnapshot } from './publish'

/** Version 1 of a tenant is the product's, not a person's. */
const PRODUCT = systemActor('Pulse-8')

export async function initializeTenantConfig(scope: TenantScope): Promise<void> {
  const { db, tenantId } = scope
  if ((await headVersion(db)) > 0) return
  try {
    await db.$transaction((tx) => writeInitialConfig(tx, tenantId))
  } catch (err) {
    // Someone else initialised it first: that is the outcome we wanted.
    if (err instanceof ConflictError) return
    throw err
  }
}

/**
 * Writes version 1 inside the caller's transaction (a transaction of the tenant client; for the
 * transaction that creates the tenant, `forTenantTransaction` of the root one).
 */
export async function writeInitialConfig(tx: TenantTx, tenantId: string): Promise<void> {
  const content = defaultConfig()
  await writeSnapshot(tx, {
    tenantId,
    actor: PRODUCT,
    kind: 'initial',
    message: 'Default configuration',
    expectedVersion: 0,
    content,
    previous: [],
  })
  await tx.configItem.createMany({
    data: content.map((i) => ({
      tenantId,
      namespace: i.namespace,
      entity: i.entity,
      key: i.key,
      published: i.content as Prisma.InputJsonValue,
      publishedVersion: 1,
    })),
  })
}
