// Runs once before the test files (vitest globalSetup): migrates one database and hands it to the
// workers as a template, so each test file starts its own fresh database as a copy
// (tests/support/test-db.ts) instead of running `migrate deploy` again, which spawns the Prisma CLI
// and, on the embedded database, follows an initdb: together most of a small file's time.
// Embedded: a PGlite dump in a temporary file. PostgreSQL: a database on the server, dropped at the end.
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import type { TestProject } from 'vitest/node'
import { startEmbeddedPostgres } from '../../server/db/embedded'
import { migrateDeploy } from '../../server/db/migrate'
import { createScratchDatabase } from '../../server/db/scratch-database'

export type TestDatabaseTemplate = { kind: 'embedded'; dumpFile: string } | { kind: 'postgresql'; database: string }

declare module 'vitest' {
  export interface ProvidedContext {
    testDatabaseTemplate: TestDatabaseTemplate
  }
}

export default async function setup(project: TestProject) {
  const serverUrl = process.env.DATABASE_URL
  if (serverUrl) {
    const template = await createScratchDatabase(serverUrl, 'pulse8_template')
    try {
      await migrateDeploy(template.url)
    } catch (error) {
      await template.drop()
      throw error
    }
    project.provide('testDatabaseTemplate', { kind: 'postgresql', database: new URL(template.url).pathname.slice(1) })
    return () => template.drop()
  }
  const dir = await mkdtemp(path.join(os.tmpdir(), 'pulse8-test-template-'))
  const dumpFile = path.join(dir, 'migrated.tar.gz')
  const embedded = await startEmbeddedPostgres()
  try {
    await migrateDeploy(embedded.url)
    await writeFile(dumpFile, Buffer.from(await (await embedded.dump()).arrayBuffer()))
  } finally {
    await embedded.stop()
  }
  project.provide('testDatabaseTemplate', { kind: 'embedded', dumpFile })
  return () => rm(dir, { recursive: true, force: true })
}
