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

type FieldsCaller = {
  config: {
    get(input: { namespace: 'objects'; entity: string; key: string }): Promise<{ content: unknown; draftRevision: number }>
    saveDraft(input: { namespace: 'objects'; entity: string; key: string; expectedRevision: number; content: unknown }): Promise<unknown>
    list(): Promise<{ version: number }>
    publish(input: { expectedVersion: number; message: string }): Promise<unknown>
  }
}

/** Adds custom fields to the customer catalogue and publishes them. */
export async function publishCustomerFields<F extends { name: string }>(caller: FieldsCaller, add: F[]): Promise<void> {
  const address = { namespace: 'objects' as const, entity: 'customer', key: 'fields' }
  const item = await caller.config.get(address)
  const content = item.content as { fields: unknown[] }
  await caller.config.saveDraft({ ...address, expectedRevision: item.draftRevision, content: { fields: [...content.fields, ...add] } })
  const { version } = await caller.config.list()
  await caller.config.publish({ expectedVersion: version, message: `add ${add.map((f) => f.name).join(', ')}` })
}

type ItemsCaller = {
  config: {
    list(): Promise<{ version: number; items: { address: string; draftRevision: number }[] }>
    saveDraft(input: { namespace: never; entity: string; key: string; expectedRevision: number; content: unknown }): Promise<unknown>
    publish(input: { expectedVersion: number; message: string }): Promise<{ version: number }>
  }
}

/** Saves each item (new or changed) as a draft and publishes them together; returns the new version. */
export async function publishItems(
  caller: ItemsCaller,
  items: { namespace: string; entity: string; key: string; content: unknown }[],
  message = `publish ${++counter}`,
): Promise<number> {
  const listed = await caller.config.list()
  for (const item of items) {
    const current = listed.items.find((i) => i.address === `${item.namespace}/${item.entity}/${item.key}`)
    await caller.config.saveDraft({
      ...(item as unknown as { namespace: never; entity: string; key: string }),
      expectedRevision: current?.draftRevision ?? 0,
      content: item.content,
    })
  }
  const { version } = await caller.config.list()
  return (await caller.config.publish({ expectedVersion: version, message })).version
}
