// The admin's side of a browser test: a tRPC client signed in over HTTP as admin@acme.test, and
// the config steps (save a draft, publish) an admin takes in the Studio, done through the API.
import superjson from 'superjson'
import { createTRPCClient, httpLink } from '@trpc/client'
import type { AppRouter } from '../../server/app-router'
import { DEMO_PASSWORD } from './fixtures'

/** The admin's API client: signs in over HTTP and sends the session cookie (same origin). */
export async function adminApi(baseUrl: string) {
  const res = await fetch(`${baseUrl}/api/trpc/auth.login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: baseUrl },
    body: JSON.stringify({ json: { email: 'admin@acme.test', password: DEMO_PASSWORD } }),
  })
  const cookie = res.headers
    .getSetCookie()
    .find((c) => c.startsWith('pulse8_session='))!
    .split(';')[0]!
  return createTRPCClient<AppRouter>({ links: [httpLink({ url: `${baseUrl}/api/trpc`, transformer: superjson, headers: { cookie, origin: baseUrl } })] })
}

export type AdminApi = Awaited<ReturnType<typeof adminApi>>

export async function saveDraft(
  api: AdminApi,
  address: { namespace: 'objects' | 'forms' | 'views'; entity: string; key: string },
  edit: (content: any) => unknown,
) {
  const current = await api.config.get.query(address)
  await api.config.saveDraft.mutate({ ...address, expectedRevision: current.draftRevision, content: edit(structuredClone(current.content)) })
}

export async function publish(api: AdminApi, message: string): Promise<number> {
  const { version } = await api.config.list.query()
  return (await api.config.publish.mutate({ expectedVersion: version, message })).version
}
