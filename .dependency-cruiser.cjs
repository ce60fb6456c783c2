// Import boundaries of Pulse-8, written from the intended structure (docs/architecture.md and
// docs/decisions/016-domain-core.md). `npm run lint` runs them (`depcruise server app scripts`).
//
// A planted violation shows they bite: add `import { TRPCError } from '@trpc/server'` to
// server/crm/record-service.ts (or `import fs from 'node:fs'` to any file in
// server/config-language/), run `npm run lint`, and it fails naming the rule.
// tests/unit/boundaries.test.ts plants one violation per rule in a scratch tree and checks that
// each rule reports it, so a rule that silently stopped matching fails the suite.

/** The API layer: the only code that knows tRPC (and HTTP). */
const API = '^server/(trpc/|http/|app-router\\.ts$|[^/]+/[^/]+-router\\.ts$)'
const DOMAIN_NAMES = 'config|crm|auth|members|tokens|invitations|audit|inbox|notifications|automation|approvals|sla|dashboard|secrets'
const DOMAINS = `^server/(${DOMAIN_NAMES})/`

/**
 * What a domain offers the others: its service modules. Anything else in a domain folder (tables,
 * queries, internals) is that domain's own business.
 */
const DOMAIN_SERVICES = [
  '^server/audit/audit-log\\.ts$',
  // outbox: producers append events; engine: approvals run their action lists (runActions); actions: its hook types.
  '^server/automation/(outbox|engine|actions)\\.ts$',
  '^server/secrets/secrets\\.ts$',
  '^server/notifications/notifications\\.ts$',
  '^server/auth/(accounts|api-tokens|password|permissions|principal-cache|rate-limit)\\.ts$',
  '^server/config/(initialize|live-config|runtime-config)\\.ts$',
  // view-indexes: publishing hands the new config to the crm's index keeper (decision 029).
  '^server/crm/(record-counts|record-service|record-facts|customer-contacts|deps|view-indexes)\\.ts$',
  '^server/sla/case-sla\\.ts$',
  '^server/approvals/(approval-hooks|approvals)\\.ts$',
  '^server/inbox/customer-threads\\.ts$',
  '^server/invitations/invitations\\.ts$',
  '^server/members/(members|member-directory)\\.ts$',
  '^server/tokens/token-creators\\.ts$',
]

module.exports = {
  forbidden: [
    {
      name: 'no-cycles',
      comment: 'Modules form layers; a cycle means two of them cannot be understood (or loaded) apart.',
      severity: 'error',
      from: { path: '^(server|app|scripts)/' },
      to: { circular: true },
    },
    {
      name: 'trpc-only-in-the-api-layer',
      comment: 'Domain services know nothing of tRPC: they throw kernel domain errors (server/kernel).',
      severity: 'error',
      from: { path: '^server/', pathNot: API },
      to: { path: ['^node_modules/@trpc/server', '^@trpc/server', '^server/trpc/'] },
    },
    {
      name: 'config-language-is-pure',
      comment: 'The config language is shared with the browser: no I/O, no server module.',
      severity: 'error',
      from: { path: '^server/config-language/' },
      to: { pathNot: ['^server/config-language/', '^node_modules/(zod|re2js)/'] },
    },
    {
      name: 'kernel-stands-alone',
      comment: 'The kernel (errors, actor, tenant scope) builds on the database layer only.',
      severity: 'error',
      from: { path: '^server/kernel/' },
      to: { path: '^server/', pathNot: ['^server/kernel/', '^server/db/'] },
    },
    {
      name: 'realtime-knows-no-domain',
      comment: 'Realtime is the bus and generic resumable streams; domains own their events and streams.',
      severity: 'error',
      from: { path: '^server/realtime/' },
      to: { path: [DOMAINS, API] },
    },
    {
      name: 'domains-do-not-call-the-api-layer',
      severity: 'error',
      from: { path: DOMAINS, pathNot: API },
      to: { path: API },
    },
    {
      name: 'domains-talk-through-services',
      comment: 'A domain reads only its own tables; it asks another domain through that domain’s service modules.',
      severity: 'error',
      from: { path: DOMAINS, pathNot: API },
      to: { path: DOMAINS, pathNot: ['^server/$1/', ...DOMAIN_SERVICES] },
    },
    {
      name: 'ui-imports-server-types-only',
      comment: 'The browser reaches the server through the API; it shares the config language and types only.',
      severity: 'error',
      from: { path: '^app/' },
      to: { path: '^server/', pathNot: '^server/config-language/', dependencyTypesNot: ['type-only'] },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: ['^server/db/generated/', '^build/', '^public/build/'] },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default', 'types'] },
  },
}
