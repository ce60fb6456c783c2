// `npm run seed -- --customers 100000 [--tenant acme]`: adds realistic customers (with custom-field
// values), deals and cases to a tenant in batches, with a progress bar and the elapsed time.
import { parseArgs } from 'node:util'
import type { Db } from '../db/client'
import { seedRecords } from './records'

export type ScaleArgs = { customers: number; tenant: string }

/** `--customers N [--tenant slug]` from the seed script's arguments; null when not asked for. */
export function scaleArgs(argv: string[]): ScaleArgs | null {
  const { values } = parseArgs({ args: argv, options: { customers: { type: 'string' }, tenant: { type: 'string' }, demo: { type: 'boolean' } }, strict: false })
  if (values.customers === undefined) return null
  const customers = Number(values.customers)
  if (!Number.isInteger(customers) || customers < 1 || customers > 10_000_000) throw new Error('--customers takes a whole number from 1 to 10000000')
  return { customers, tenant: typeof values.tenant === 'string' ? values.tenant : 'acme' }
}

function progressBar(done: number, total: number, started: number): string {
  const width = 30
  const filled = Math.round((done / total) * width)
  const seconds = (performance.now() - started) / 1000
  return `[${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${String(Math.round((done / total) * 100)).padStart(3)}% ${done}/${total} customers, ${seconds.toFixed(1)} s`
}

export async function seedAtScale(
  db: Db,
  args: ScaleArgs,
  out: NodeJS.WriteStream = process.stdout,
): Promise<{ customers: number; deals: number; cases: number; seconds: number }> {
  const tenant = await db.tenant.findUnique({ where: { slug: args.tenant }, select: { id: true } })
  if (!tenant) throw new Error(`No tenant "${args.tenant}"`)
  const started = performance.now()
  let lastLine = 0
  const totals = await seedRecords(db, tenant.id, {
    customers: args.customers,
    seed: Date.now() % 2 ** 31,
    onProgress(done, total) {
      if (out.isTTY) out.write(`\r${progressBar(done, total, started)}`)
      else if (done === total || performance.now() - lastLine > 2_000) {
        lastLine = performance.now()
        out.write(`${progressBar(done, total, started)}\n`)
      }
    },
  })
  if (out.isTTY) out.write('\n')
  const seconds = (performance.now() - started) / 1000
  out.write(`Seeded ${totals.customers} customers, ${totals.deals} deals and ${totals.cases} cases into ${args.tenant} in ${seconds.toFixed(1)} s\n`)
  return { ...totals, seconds }
}
