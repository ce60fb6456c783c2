// The RBAC matrix: every procedure × anonymous, each role as a signed-in user and each role as an
// API token, checked against the one permission table. A procedure that does not declare its
// access, or names a permission missing from the table, fails here. Subscriptions run over the
// real WebSocket: an allowed principal starts and then receives an event, a refused one is ended
// with UNAUTHORIZED or FORBIDDEN. Scoped tokens (decision 024): an ADMIN token of each limited
// scope passes exactly what its scope allows (scopeAllows), and is FORBIDDEN the rest.
import { TRPCError } from '@trpc/server'
import { describe, expect, it } from 'vitest'
import { ROLES, can, ROLE_PERMISSIONS, scopeAllows, type TokenScope } from '../../server/auth/permissions'
import type { Role } from '../../server/db/client'
import { announceRecordChange } from '../../server/crm/record-events'
import { announceInboxMessage, announceThreadChange } from '../../server/inbox/inbox-events'
import { announceSlaTimer } from '../../server/sla/sla-events'
import { announceNotification } from '../../server/notifications/notification-events'
import { useHarness } from '../support/harness'
import { useHttpApp } from '../support/http-app'
import { publishRelabel } from '../support/config-changes'
import { connectWs, record, until, wsUrlOf, type WsAuth } from '../support/ws'
import { callByPath, listProcedures } from '../support/procedures'
import { generateToken } from '../../server/auth/api-tokens'
import { createCaller } from '../../server/http/app-server'
import { createInnerContext, resolvePrincipal } from '../../server/trpc/context'

const h = useHarness()
const app = useHttpApp(h)

const USER_OF: Record<Role, string> = {
  ADMIN: 'admin@acme.test',
  MANAGER: 'manager@acme.test',
  AGENT: 'agent@acme.test',
  VIEWER: 'viewer@acme.test',
}

// An input no procedure accepts (every input is a strict object), so an allowed call stops at
// validation instead of changing anything; procedures without input simply run.
const PROBE = { __rbacProbe: true }

type Principal = {
  label: string
  kind: 'anonymous' | 'user' | 'token'
  role?: Role
  scope?: TokenScope
  caller: () => Promise<unknown>
  ws: () => Promise<WsAuth>
}

function expectedOutcome(proc: ReturnType<typeof listProcedures>[number], p: Principal): 'allowed' | 'UNAUTHORIZED' | 'FORBIDDEN' {
  const meta = proc.meta
  switch (meta!.access) {
    case 'public':
      return 'allowed'
    case 'authed':
      return p.kind === 'user' ? 'allowed' : 'UNAUTHORIZED'
    case 'tenant':
      if (p.kind === 'anonymous') return 'UNAUTHORIZED'
      if (p.scope && !scopeAllows(p.scope, meta!.permission, proc.type)) return 'FORBIDDEN'
      return !meta!.permission || can(p.role!, meta!.permission) ? 'allowed' : 'FORBIDDEN'
  }
}

describe('RBAC matrix', () => {
  const procedures = listProcedures()

  it('every procedure declares its access, and every permission is in the table', () => {
    const known = new Set(Object.values(ROLE_PERMISSIONS).flat())
    for (const p of procedures) {
      expect(p.meta?.access, `${p.path} has no access declaration`).toMatch(/^(public|authed|tenant)$/)
      if (p.meta?.permission) expect(known, `${p.path}: ${p.meta.permission}`).toContain(p.meta.permission)
    }
  })

  const principals: Principal[] = [
    { label: 'anonymous', kind: 'anonymous', caller: async () => h.anonymous(), ws: async () => ({}) },
    ...ROLES.map((role): Principal => ({
      label: `user ${role}`,
      kind: 'user',
      role,
      caller: () => h.asUser(USER_OF[role], 'acme'),
      // The session cookie on the upgrade, as a browser sends it.
      ws: async () => ({ cookie: `pulse8_session=${(await h.signIn(USER_OF[role], 'acme')).sessionId}`, origin: app.baseUrl }),
    })),
    ...ROLES.map((role): Principal => ({
      label: `token ${role}`,
      kind: 'token',
      role,
      caller: () => h.asToken('acme', role),
      ws: async () => ({ token: (await h.issueToken('acme', role)).token }),
    })),
    // An ADMIN token whose creator is (now) a manager acts as a manager (docs/decisions/013).
    {
      label: 'ADMIN token of a manager',
      kind: 'token',
      role: 'MANAGER',
      caller: () => adminTokenOf('manager@acme.test'),
      ws: async () => ({ token: await adminTokenStringOf('manager@acme.test') }),
    },
    ...(['read', 'ingest', 'config'] as const).map((scope): Principal => ({
      label: `ADMIN token, scope ${scope}`,
      kind: 'token',
      role: 'ADMIN',
      scope,
      caller: () => h.asToken('acme', 'ADMIN', scope),
      ws: async () => ({ token: (await h.issueToken('acme', 'ADMIN', scope)).token }),
    })),
  ]

  async function adminTokenStringOf(email: string) {
    const s = h.services
    const tenantId = h.tenantId('acme')
    const creator = await s.db.user.findUniqueOrThrow({ where: { email }, select: { id: true } })
    const { token, tokenHash } = generateToken(tenantId)
    await s.db.apiToken.create({ data: { tenantId, name: `ADMIN of ${email}`, role: 'ADMIN', tokenHash, createdById: creator.id } })
    return token
  }

  async function adminTokenOf(email: string) {
    const s = h.services
    const token = await adminTokenStringOf(email)
    return createCaller(createInnerContext({ services: s, principal: await resolvePrincipal(s, { authorization: `Bearer ${token}` }) }))
  }

  for (const proc of procedures.filter((p) => p.type !== 'subscription')) {
    it(`${proc.path}`, async () => {
      for (const principal of principals) {
        const expected = expectedOutcome(proc, principal)
        const caller = await principal.caller()
        const err = await callByPath(caller, proc.path, PROBE).then(
          () => null,
          (e: unknown) => e,
        )
        const code = err instanceof TRPCError ? err.code : err ? String(err) : 'OK'
        if (expected === 'allowed') {
          expect(code, `${proc.path} as ${principal.label} should be allowed`).not.toMatch(/^(UNAUTHORIZED|FORBIDDEN)$/)
          expect(code, `${proc.path} as ${principal.label}`).not.toBe('INTERNAL_SERVER_ERROR')
        } else {
          expect(code, `${proc.path} as ${principal.label}`).toBe(expected)
        }
      }
    })
  }

  // One real event per subscription, announced the way its producer does: an allowed subscriber
  // must receive it (proof it started listening, not only that it was not refused). A new
  // subscription without an entry here fails the matrix.
  const tag = () => `rbac-${Math.random().toString(36).slice(2, 10)}`
  const at = () => new Date().toISOString()
  const recordChange = (entity: 'customer' | 'deal' | 'case') => async () => {
    const id = tag()
    await announceRecordChange(h.services.bus, h.tenantId('acme'), {
      entity,
      id,
      version: 1,
      kind: 'updated',
      by: { userId: null, tokenId: null, label: 'rbac' },
      fields: ['name'],
      at: at(),
    })
    return id
  }
  const TRIGGERS: Record<string, () => Promise<string>> = {
    'config.onPublished': async () => {
      const message = tag()
      await publishRelabel(await h.asUser(USER_OF.ADMIN, 'acme'), message)
      return message
    },
    'customers.onChanged': recordChange('customer'),
    'deals.onChanged': recordChange('deal'),
    'cases.onChanged': recordChange('case'),
    'inbox.onMessage': async () => {
      const preview = tag()
      await announceInboxMessage(h.services.bus, h.tenantId('acme'), {
        messageId: preview,
        threadId: 't-rbac',
        direction: 'inbound',
        from: 'rbac@example.test',
        preview,
        caseId: null,
        at: at(),
      })
      return preview
    },
    'inbox.onThreadChanged': async () => {
      const threadId = tag()
      await announceThreadChange(h.services.bus, h.tenantId('acme'), {
        threadId,
        change: 'status',
        status: 'open',
        assigneeId: null,
        caseId: null,
        version: 2,
        by: 'rbac',
        at: at(),
      })
      return threadId
    },
    'sla.onTimerFired': async () => {
      const caseId = tag()
      await announceSlaTimer(h.services.bus, h.tenantId('acme'), {
        caseId,
        policyKey: 'urgent',
        target: 'firstResponse',
        kind: 'breached',
        dueAt: at(),
        at: at(),
      })
      return caseId
    },
    // Addressed to everyone: any member or token may see it.
    'notifications.onNew': async () => {
      const id = tag()
      await announceNotification(h.services.bus, h.tenantId('acme'), { id, title: id, at: at() })
      return id
    },
  }

  for (const proc of procedures.filter((p) => p.type === 'subscription')) {
    it(`${proc.path} (subscription, over WebSocket)`, async () => {
      expect(TRIGGERS[proc.path], `no event trigger for ${proc.path} in rbac.test.ts`).toBeDefined()
      const open = await Promise.all(principals.map(async (principal) => ({ principal, ws: connectWs(wsUrlOf(app.baseUrl), await principal.ws()) })))
      try {
        const subs = open.map(({ principal, ws }) => ({ principal, expected: expectedOutcome(proc, principal), sub: record(ws.client, proc.path) }))
        for (const { principal, expected, sub } of subs) {
          const state = await sub.waitStarted()
          expect(state.started ? 'allowed' : state.error?.code, `${proc.path} as ${principal.label}`).toBe(expected)
        }
        const marker = await TRIGGERS[proc.path]!()
        for (const { principal, sub } of subs.filter((s) => s.expected === 'allowed')) {
          const received = () => JSON.stringify(sub.events).includes(marker)
          await until(received, 5_000, () => `${proc.path} as ${principal.label} did not receive the event: ${JSON.stringify(sub.events)}`)
        }
      } finally {
        for (const { ws } of open) ws.close()
      }
    })
  }
})
