// A tool as its author would write it against the packed @pulse8/client (tests/integration/
// client-package.test.ts copies this file into a fresh project outside the repo, typechecks and
// runs it). Prints one JSON line per step.
import { createPulseClient, errorCodeOf, type RouterOutputs } from '@pulse8/client'

const [url, token] = process.argv.slice(2) as [string, string]
const pulse = createPulseClient({ url, token, retryDelayMs: () => 100 })
const say = (step: string, data: unknown) => console.log(JSON.stringify({ step, data }))

type Customer = RouterOutputs['customers']['get']
const page = await pulse.api.customers.list.query({ limit: 2, sort: [{ field: 'name', direction: 'asc' }] })
const names: string[] = page.rows.map((row) => row.name as string)
say('list', { count: page.rows.length, total: page.total, names })

// The types are the server's: a wrong input does not compile.
// @ts-expect-error limit is a number
void (() => pulse.api.customers.list.query({ limit: 'ten' }))

const missing = await pulse.api.customers.get.query({ id: 'no-such-customer' }).catch((error: unknown) => errorCodeOf(error))
say('missing', missing)

// Subscribe, see one change, stop; then resume from the last event id: changes made meanwhile arrive.
type Change = { id: string; data: RouterOutputs['customers']['onChanged'] extends AsyncIterable<infer E> ? E : unknown }
function nextChanges(input: { lastEventId?: string }, count: number, onStarted: () => void): Promise<Change[]> {
  return new Promise((resolve, reject) => {
    const seen: Change[] = []
    const sub = pulse.api.customers.onChanged.subscribe(input, {
      onStarted,
      onData: (event) => {
        seen.push(event as unknown as Change)
        if (seen.length === count) {
          sub.unsubscribe()
          resolve(seen)
        }
      },
      onError: reject,
    })
  })
}
let creating: Promise<Customer> | undefined
const first = await nextChanges({}, 1, () => {
  creating = pulse.api.customers.create.mutate({ values: { name: 'Packaged Client GmbH' } }).then((c) => ({ ...c, lookupLabels: {} }))
})
const created = await creating!
say('subscribed', { id: first[0]!.id, changed: first[0]!.data })
await pulse.api.customers.update.mutate({ id: created.id, expectedVersion: 1, values: { phone: '+49 40 1' } })
const resumed = await nextChanges({ lastEventId: first[0]!.id }, 1, () => undefined)
say('resumed', { id: resumed[0]!.id, changed: resumed[0]!.data })

const config = await pulse.runtimeConfig()
const again = await pulse.runtimeConfig()
say('runtimeConfig', { version: config.version, sameObject: config === again })
pulse.close()
