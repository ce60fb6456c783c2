// What every loader and action receives as `context` (built per request by
// server/http/app-server.ts): a tRPC caller for the same procedures the HTTP API serves, the
// response headers procedures write cookies to, and the inner context. Types only: no server
// code reaches the browser bundle through this file.
import type { RemixLoadContext } from '../server/http/app-server'

declare module '@remix-run/node' {
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type -- module augmentation needs an interface
  interface AppLoadContext extends RemixLoadContext {}
}

export type { RemixLoadContext }
