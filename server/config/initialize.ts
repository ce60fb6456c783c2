// Every tenant starts at config version 1 holding the default configuration. Idempotent and safe
// under concurrency (the head's insert decides who initialises), so it can run at registration,
// at seed time, and lazily on the first runtime read.
import { TRPCError } from '@trpc/server'
import { defaultConfig } from '../config-language'
import type { Prisma } from '../db/client'
import type { TenantDb } from '../db/tenant-db'
import type { Actor } from '../trpc/init'
import { headVersion } from './config-store'
import { writeSnapshot } from './publish'

const SYSTEM: Actor = { userId: null, tokenId: null }

export async function ensureTenantConfig(db: TenantDb, tenantId: string): Promise<void> {
  if ((await headVersion(db)) > 0) return
  const content = defaultConfig()
  try {
    await db.$transaction(async (tx) => {
      await writeSnapshot(tx, {
        tenantId,
        actor: SYSTEM,
        authorLabel: 'Pulse-8',
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
    })
  } catch (err) {
    // Someone else initialised it first: that is the outcome we wanted.
    if (err instanceof TRPCError && err.code === 'CONFLICT') return
    throw err
  }
}
