// The automation worker is opt-in in tests (the default config's automations would change the
// records other suites create): a suite that wants it calls useAutomationWorker(h) and gets a
// worker over the harness's services, started before its tests and stopped after them.
import { afterAll, beforeAll } from 'vitest'
import type { AutomationDeps } from '../../server/automation/actions'
import { createAutomationWorker, type AutomationWorker, type WorkerOptions } from '../../server/automation/worker'
import type { Harness } from './harness'

export type WorkerFixture = { readonly worker: AutomationWorker; readonly deps: AutomationDeps }

/** A running worker for the suite; `deps` overrides parts of the engine's dependencies (e.g. the approvals hook). */
export function useAutomationWorker(h: Harness, opts: WorkerOptions & { deps?: Partial<AutomationDeps> } = {}): WorkerFixture {
  let worker: AutomationWorker
  let deps: AutomationDeps
  beforeAll(() => {
    const { deps: overrides, ...options } = opts
    deps = { ...h.services, ...overrides }
    worker = createAutomationWorker({ ...deps, db: h.services.db, logger: h.services.logger }, { pollMs: 20, ...options })
    worker.start()
  })
  afterAll(async () => {
    await worker?.stop()
  })
  return {
    get worker() {
      return worker
    },
    get deps() {
      return deps
    },
  }
}
