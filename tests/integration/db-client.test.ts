// The one Prisma client's transaction limits (server/db/client.ts): under load a transaction waits
// for a pooled connection as long as a plain query does, instead of failing with a 500 after
// Prisma's default 2 s (issue #16's soak: "Unable to start a transaction in the given time").
import { describe, expect, it } from 'vitest'
import { createDb } from '../../server/db/client'
import { createTestDatabase } from '../support/test-db'

describe('the Prisma client', () => {
  it('starts a transaction that waited longer than Prisma’s default 2 s for the only connection', async () => {
    const scratch = await createTestDatabase()
    const db = createDb(scratch.url, { poolSize: 1 })
    try {
      let releaseFirst!: () => void
      const held = new Promise<void>((resolve) => (releaseFirst = resolve))
      let firstStarted!: () => void
      const started = new Promise<void>((resolve) => (firstStarted = resolve))
      // The first transaction holds the pool's one connection until told to let go.
      const first = db.$transaction(async (tx) => {
        await tx.$queryRaw`SELECT 1`
        firstStarted()
        await held
      })
      await started
      // Settled as a value at once, so a failure is the assertion's, not an unhandled rejection.
      const second = db
        .$transaction((tx) => tx.$queryRaw`SELECT 2 AS n`)
        .then(
          (rows) => rows,
          (error: unknown) => error,
        )
      // Let go only after Prisma's default wait has run out for the second one.
      setTimeout(releaseFirst, 3_000)
      await first
      expect(await second).toEqual([{ n: 2 }])
    } finally {
      await db.$disconnect()
      await scratch.drop()
    }
  }, 20_000)
})
