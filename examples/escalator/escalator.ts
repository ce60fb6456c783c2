// The urgent case escalator: an example internal tool built on @pulse8/client (README.md here).
// Finds open urgent cases nobody is assigned to that are older than N minutes and assigns them,
// to one user or round-robin over the tenant's agents; with --watch it keeps going, following
// cases.onChanged live and looking again every minute (cases also become due by ageing).
//
//   npm run example:escalator -- --url http://localhost:3000 --token p8_… [--minutes 30]
//                                [--assign round-robin|<userId>] [--watch] [--dry-run]
import { parseArgs } from 'node:util'
import { createPulseClient, errorCodeOf, type RouterInputs, type RouterOutputs } from '../../client/src/index.ts'

type Filter = RouterInputs['cases']['list']['filter']
type CaseRow = RouterOutputs['cases']['list']['rows'][number]

const { values: args } = parseArgs({
  options: {
    url: { type: 'string', default: 'http://localhost:3000' },
    token: { type: 'string' },
    minutes: { type: 'string', default: '30' },
    assign: { type: 'string', default: 'round-robin' },
    watch: { type: 'boolean', default: false },
    'dry-run': { type: 'boolean', default: false },
  },
})
const token = args.token ?? process.env.PULSE8_TOKEN
const minutes = Number(args.minutes)
if (!token || !Number.isFinite(minutes) || minutes < 0) {
  console.error('usage: escalator --url <app url> --token <api token> [--minutes N] [--assign round-robin|<userId>] [--watch] [--dry-run]')
  process.exit(2)
}

const pulse = createPulseClient({ url: args.url, token })
const log = (message: string) => console.log(`${new Date().toISOString()} ${message}`)

/** Open (new, open, pending), urgent, unassigned, created before the cutoff: oldest first. */
function dueFilter(now: number): Filter {
  return {
    all: [
      { field: 'status', op: 'in', value: ['new', 'open', 'pending'] },
      { field: 'priority', op: 'eq', value: 'urgent' },
      { field: 'assignee', op: 'isEmpty' },
      { field: 'createdAt', op: 'lt', value: new Date(now - minutes * 60_000).toISOString() },
    ],
  }
}

async function dueCases(): Promise<CaseRow[]> {
  const rows: CaseRow[] = []
  let cursor: string | undefined
  do {
    const page = await pulse.api.cases.list.query({ filter: dueFilter(Date.now()), sort: [{ field: 'createdAt', direction: 'asc' }], limit: 100, cursor })
    rows.push(...page.rows)
    cursor = page.nextCursor ?? undefined
  } while (cursor)
  return rows
}

/** Who gets the next case: the one user named, or the agents in turn. */
async function assignees(): Promise<() => { userId: string; name: string }> {
  const members = await pulse.api.members.list.query()
  if (args.assign !== 'round-robin') {
    const member = members.find((m) => m.userId === args.assign)
    if (!member) throw new Error(`No member with user id ${args.assign}`)
    return () => member
  }
  const agents = members.filter((m) => m.role === 'AGENT')
  if (!agents.length) throw new Error('No agents to assign to')
  let turn = 0
  return () => agents[turn++ % agents.length]!
}

async function escalate(next: () => { userId: string; name: string }): Promise<number> {
  let assigned = 0
  for (const row of await dueCases()) {
    const to = next()
    const age = Math.round((Date.now() - new Date(row.createdAt).getTime()) / 60_000)
    if (args['dry-run']) {
      log(`would assign case ${row.id} "${row.subject}" (${age} min old) to ${to.name}`)
      continue
    }
    try {
      await pulse.api.cases.update.mutate({ id: row.id, expectedVersion: row.version, values: { assignee: to.userId } })
      log(`assigned case ${row.id} "${row.subject}" (${age} min old) to ${to.name}`)
      assigned++
    } catch (error) {
      // Someone changed it since we looked (CONFLICT) or it is gone: the next scan sees it afresh.
      const code = errorCodeOf(error)
      if (code === 'CONFLICT' || code === 'NOT_FOUND') log(`skipped case ${row.id}: ${code}`)
      else throw error
    }
  }
  return assigned
}

const next = await assignees()
const assigned = await escalate(next)
log(`done: ${assigned} case(s) assigned`)

if (!args.watch) {
  pulse.close()
} else {
  // One scan at a time; changes arriving during a scan ask for one more afterwards.
  let running: Promise<unknown> | null = null
  let again = false
  const scan = () => {
    if (running) return void (again = true)
    running = escalate(next)
      .catch((error: unknown) => log(`scan failed: ${String(error)}`))
      .finally(() => {
        running = null
        if (again) {
          again = false
          scan()
        }
      })
  }
  pulse.api.cases.onChanged.subscribe(
    {},
    {
      onStarted: () => log('watching cases.onChanged'),
      onData: ({ data }) => {
        if (data.type === 'refetch' || data.kind !== 'deleted') scan()
      },
      onError: (error) => log(`subscription ended: ${error.message}`),
    },
  )
  setInterval(scan, 60_000)
  process.once('SIGINT', () => {
    pulse.close()
    process.exit(0)
  })
}
