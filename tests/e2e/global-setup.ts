// Runs once before the browser-test files (vitest globalSetup): starts the app on a scratch data
// directory so it migrates and seeds the embedded database, stops it gracefully, and hands the
// directory to the files. Each file's app then starts on a copy (fixtures.ts `startApp`): the same
// fresh, seeded database every time, without initdb, the migrations and the seed per file.
import { mkdtemp, rm } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import type { TestProject } from 'vitest/node'
import { startAppProcess } from '../support/app-process'

declare module 'vitest' {
  export interface ProvidedContext {
    /** A migrated and seeded embedded data directory to copy. */
    e2eDataTemplate: string
  }
}

export default async function setup(project: TestProject) {
  const root = await mkdtemp(path.join(os.tmpdir(), 'pulse8-e2e-template-'))
  const dataDir = path.join(root, 'pglite')
  const app = await startAppProcess({ DATA_DIR: dataDir, DATABASE_URL: '', REDIS_URL: '' }, 180_000)
  await app.stop()
  if (app.child.exitCode !== 0) throw new Error(`The template app did not stop cleanly (exit ${app.child.exitCode}):\n${app.output()}`)
  project.provide('e2eDataTemplate', dataDir)
  return () => rm(root, { recursive: true, force: true })
}
