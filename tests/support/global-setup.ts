// Runs once before the test files (vitest globalSetup). On the embedded database it migrates one
// PGlite, dumps it to a file and hands the path to the workers: each test file then starts its own
// in-memory database from that dump (tests/support/test-db.ts) instead of running initdb and every
// migration again, which cost most of a file's time. On PostgreSQL there is nothing to share:
// CREATE DATABASE and the migrations are quick there.
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import type { TestProject } from 'vitest/node'
import { startEmbeddedPostgres } from '../../server/db/embedded'
import { migrateDeploy } from '../../server/db/migrate'

declare module 'vitest' {
  export interface ProvidedContext {
    /** A migrated embedded database as a tarball, or '' on PostgreSQL. */
    embeddedTemplatePath: string
  }
}

export default async function setup(project: TestProject) {
  if (process.env.DATABASE_URL) {
    project.provide('embeddedTemplatePath', '')
    return
  }
  const dir = await mkdtemp(path.join(os.tmpdir(), 'pulse8-test-template-'))
  const file = path.join(dir, 'migrated.tar.gz')
  const embedded = await startEmbeddedPostgres()
  try {
    await migrateDeploy(embedded.url)
    await writeFile(file, Buffer.from(await (await embedded.dump()).arrayBuffer()))
  } finally {
    await embedded.stop()
  }
  project.provide('embeddedTemplatePath', file)
  return () => rm(dir, { recursive: true, force: true })
}
