// The RBAC matrix: every procedure × anonymous, each role as a signed-in user and each role as an
// API token, checked against the one permission table. A procedure that does not declare its
// access, or names a permission missing from the table, fails here.
import { TRPCError } from '@trpc/server'
import { describe, expect, it } from 'vitest'
import { ROLES, can, ROLE_PERMISSIONS } from '../../server/auth/permissions'
import type { Role } from '../../server/db/client'
import { useHarness } from '../support/harness'
import { callByPath, listProcedures } from '../support/procedures'
import { generateToken } from '../../server/auth/api-tokens'
import { createCaller } from '../../server/http/app-server'
import { createInnerContext, resolvePrincipal } from '../../server/trpc/context'

const h = useHarness()

const USER_OF: Record<Role, string> = {
  ADMIN: 'admin@acme.test',
  MANAGER: 'manager@acme.test',
  AGENT: 'agent@acme.test',
  VIEWER: 'viewer@acme.test',
}

// An input no procedure accepts (every input is a strict object), so an allowed call stops at
// validation instead of changing anything; procedures without input simply run.
const PROBE = { __rbacProbe: true }

type Principal = { label: string; kind: 'anonymous' | 'user' | 'token'; role?: Role; caller: () => Promise<unknown> }

function expectedOutcome(meta: ReturnType<typeof listProcedures>[number]['meta'], p: Principal): 'allowed' | 'UNAUTHORIZED' | 'FORBIDDEN' {
  switch (meta!.access) {
    case 'public':
      return 'allowed'
    case 'authed':
      return p.kind === 'user' ? 'allowed' : 'UNAUTHORIZED'
    case 'tenant':
      if (p.kind === 'anonymous') return 'UNAUTHORIZED'
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
    { label: 'anonymous', kind: 'anonymous', caller: async () => h.anonymous() },
    ...ROLES.map((role): Principal => ({ label: `user ${role}`, kind: 'user', role, caller: () => h.asUser(USER_OF[role], 'acme') })),
    ...ROLES.map((role): Principal => ({ label: `token ${role}`, kind: 'token', role, caller: () => h.asToken('acme', role) })),
    // An ADMIN token whose creator is (now) a manager acts as a manager (docs/decisions/013).
    { label: "ADMIN token of a manager", kind: 'token', role: 'MANAGER', caller: () => adminTokenOf('manager@acme.test') },
  ]

  async function adminTokenOf(email: string) {
    const s = h.services
    const tenantId = h.tenantId('acme')
    const creator = await s.db.user.findUniqueOrThrow({ where: { email }, select: { id: true } })
    const { token, tokenHash } = generateToken(tenantId)
    await s.db.apiToken.create({ data: { tenantId, name: `ADMIN of ${email}`, role: 'ADMIN', tokenHash, createdById: creator.id } })
    return createCaller(createInnerContext({ services: s, principal: await resolvePrincipal(s, { authorization: `Bearer ${token}` }) }))
  }

  for (const proc of procedures.filter((p) => p.type !== 'subscription')) {
    it(`${proc.path}`, async () => {
      for (const principal of principals) {
        const expected = expectedOutcome(proc.meta, principal)
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
})
