// The router as data: every procedure path with its type and declared access, read from the
// router itself so the RBAC and isolation suites notice a new procedure at once.
import { appRouter } from '../../server/app-router'
import type { Meta } from '../../server/trpc/init'

export type ProcedureInfo = { path: string; type: 'query' | 'mutation' | 'subscription'; meta: Meta | undefined }

export function listProcedures(): ProcedureInfo[] {
  const procedures = appRouter._def.procedures as unknown as Record<string, { _def: { type: ProcedureInfo['type']; meta?: Meta } }>
  return Object.entries(procedures).map(([path, p]) => ({ path, type: p._def.type, meta: p._def.meta }))
}

/** Calls a procedure by its dotted path on a caller. */
export function callByPath(caller: unknown, path: string, input: unknown): Promise<unknown> {
  const fn = path.split('.').reduce<any>((node, key) => node[key], caller)
  return Promise.resolve().then(() => fn(input))
}
