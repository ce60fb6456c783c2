// The domain kernel: what every domain service builds on (errors, actor, tenant scope) and nothing
// else. It imports no domain and no API code.
export * from './domain-errors'
export * from './actor'
export * from './tenant-scope'
