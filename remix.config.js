// Remix classic compiler (`remix build`). The server build is an ES module that
// server/main.ts imports and hands to express (server/http/app-server.ts).

/** @type {import('@remix-run/dev').AppConfig} */
export default {
  ignoredRouteFiles: ['**/.*', '**/*.test.{ts,tsx}'],
  serverModuleFormat: 'esm',
  serverPlatform: 'node',
  serverBuildPath: 'build/index.js',
  assetsBuildDirectory: 'public/build',
  publicPath: '/build/',
  // Node imports the dependencies itself at run time (all of today's, radix-ui included, ship ESM
  // that Node loads). Add a package here only if its ESM does not load under Node's resolver.
  serverDependenciesToBundle: [],
  future: {
    v3_fetcherPersist: true,
    v3_relativeSplatPath: true,
    v3_throwAbortReason: true,
    // Off on purpose for now: loaders return `json()` responses whose Set-Cookie headers Remix
    // merges per route; single fetch changes that contract and is a separate, deliberate move.
    v3_singleFetch: false,
    v3_lazyRouteDiscovery: false,
  },
}
