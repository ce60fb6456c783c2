// Small config publishes for tests that need new versions: relabel a view and publish.
type ConfigCaller = {
  config: {
    get(input: { namespace: 'views'; entity: string; key: string }): Promise<{ content: unknown; draftRevision: number }>
    saveDraft(input: { namespace: 'views'; entity: string; key: string; expectedRevision: number; content: unknown }): Promise<unknown>
    list(): Promise<{ version: number }>
    publish(input: { expectedVersion: number; message: string }): Promise<{ version: number }>
  }
}

let counter = 0

/** Relabels acme's (or any tenant's) "all customers" view and publishes; returns the new version. */
export async function publishRelabel(caller: ConfigCaller, message = `relabel ${++counter}`): Promise<number> {
  const address = { namespace: 'views' as const, entity: 'customer', key: 'all' }
  const current = await caller.config.get(address)
  await caller.config.saveDraft({
    ...address,
    expectedRevision: current.draftRevision,
    content: { ...(current.content as object), label: `Customers ${message}` },
  })
  const { version } = await caller.config.list()
  return (await caller.config.publish({ expectedVersion: version, message })).version
}
