// Just enough of a Remix server build to serve a few real route modules through Remix's request
// handler (no `remix build` needed): loaders, actions and their redirects run for real; a page
// that would render answers a placeholder document.
import type { ServerBuild } from '@remix-run/node'
import * as loginRoute from '../../app/routes/login'
import * as registerRoute from '../../app/routes/register'
import * as logoutRoute from '../../app/routes/logout'

export function remixStubBuild(): ServerBuild {
  const child = (id: string, path: string, module: unknown) => ({ id: `routes/${id}`, parentId: 'root', path, module })
  return {
    mode: 'production',
    entry: { module: { default: (_req: Request, status: number, headers: Headers) => new Response('<!doctype html>page', { status, headers }) } },
    routes: {
      root: { id: 'root', path: '', module: { default: () => null } },
      'routes/login': child('login', 'login', loginRoute),
      'routes/register': child('register', 'register', registerRoute),
      'routes/logout': child('logout', 'logout', logoutRoute),
    },
    assets: { entry: { imports: [], module: '/build/entry.js' }, routes: {}, url: '/build/manifest.js', version: 'test' },
    publicPath: '/build/',
    assetsBuildDirectory: 'public/build',
    future: { v3_fetcherPersist: true, v3_relativeSplatPath: true, v3_throwAbortReason: true, v3_singleFetch: false, v3_lazyRouteDiscovery: false },
    isSpaMode: false,
  } as unknown as ServerBuild
}
