// The example internal tool (examples/escalator) run once against the live app, as
// `npm run example:escalator` runs it: it assigns open urgent unassigned cases round-robin over
// the agents, and leaves other cases alone.
import { execFile as execFileCallback } from 'node:child_process'
import path from 'node:path'
import { promisify } from 'node:util'
import { describe, expect, it } from 'vitest'
import { useHarness } from '../support/harness'
import { useHttpApp } from '../support/http-app'

const h = useHarness()
const app = useHttpApp(h)
const execFile = promisify(execFileCallback)
const repo = path.resolve(import.meta.dirname, '../..')

describe('examples/escalator', () => {
  it('assigns open urgent unassigned cases to agents, and only those', async () => {
    const admin = await h.asUser('admin@acme.test', 'acme')
    const customerId = (await admin.customers.list({ limit: 1 })).rows[0]!.id
    const urgent = await admin.cases.create({ values: { subject: 'Escalate me', customerId, priority: 'urgent', status: 'open' } })
    const normal = await admin.cases.create({ values: { subject: 'Leave me', customerId, priority: 'normal', status: 'open' } })
    const { token } = await h.issueToken('acme', 'MANAGER')

    // The same command as the npm script (package.json "example:escalator").
    const { stdout } = await execFile(
      process.execPath,
      ['--import', 'tsx', '--conditions=source', 'examples/escalator/escalator.ts', '--url', app.baseUrl, '--token', token, '--minutes', '0'],
      { cwd: repo, encoding: 'utf8', timeout: 60_000 },
    )
    expect(stdout).toContain(`assigned case ${urgent.id} "Escalate me"`)
    expect(stdout).toMatch(/done: \d+ case\(s\) assigned/)

    const agents = (await admin.members.list()).filter((m) => m.role === 'AGENT').map((m) => m.userId)
    expect(agents).toContain((await admin.cases.get({ id: urgent.id })).assignee)
    expect((await admin.cases.get({ id: normal.id })).assignee).toBeNull()
  }, 90_000)
})
