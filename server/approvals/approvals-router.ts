// The `approvals` router (docs/api.md): the caller's queue, a record's requests, deciding and
// withdrawing. One call each of the approvals service (approvals.ts). Deciding is open to every
// member at the API: who may decide a step is the step's business (a role step: that role or
// above; a users step: the listed people, whatever their role), checked by the service.
import { z } from 'zod'
import { ENTITIES, type Role } from '../config-language'
import type { RuntimeConfigCache } from '../config/runtime-config'
import type { Actor } from '../kernel'
import type { EventBus } from '../realtime/event-bus'
import { permissionProcedure, router } from '../trpc/init'
import { approvalsForRecord, decideApproval, pendingApprovals, withdrawApproval } from './approvals'

const id = z.string().min(1).max(100)

/** The actor with the role it acts in, and the deps: what every approvals call takes from the context. */
function approvalCall(ctx: { services: { bus: EventBus; runtimeConfig: RuntimeConfigCache }; role: Role; actor: Actor }) {
  return { actor: { ...ctx.actor, role: ctx.role }, deps: { bus: ctx.services.bus, runtimeConfig: ctx.services.runtimeConfig } }
}

export const approvalsRouter = router({
  /** Pending requests the caller may decide now, oldest first (50 a page). */
  pending: permissionProcedure('crm:read')
    .input(z.strictObject({ cursor: id.optional() }).optional())
    .query(({ ctx, input }) => {
      const { actor, deps } = approvalCall(ctx)
      return pendingApprovals(ctx.scope, actor, input ?? {}, deps)
    }),

  /** A record's requests with their steps and decisions, oldest first. */
  forRecord: permissionProcedure('crm:read')
    .input(z.strictObject({ entity: z.enum(ENTITIES), id }))
    .query(({ ctx, input }) => {
      const { actor, deps } = approvalCall(ctx)
      return approvalsForRecord(ctx.scope, actor, input, deps)
    }),

  /** Approve or reject the current step; a stale `expectedStep` is a CONFLICT. */
  decide: permissionProcedure('crm:read')
    .input(
      z.strictObject({
        requestId: id,
        decision: z.enum(['approve', 'reject']),
        comment: z.string().trim().max(2000).optional(),
        expectedStep: z.int().min(0).max(9),
      }),
    )
    .mutation(({ ctx, input }) => {
      const { actor, deps } = approvalCall(ctx)
      return decideApproval(ctx.scope, actor, input, deps)
    }),

  /** The submitter takes a pending request back. */
  withdraw: permissionProcedure('crm:read')
    .input(z.strictObject({ requestId: id }))
    .mutation(({ ctx, input }) => {
      const { actor, deps } = approvalCall(ctx)
      return withdrawApproval(ctx.scope, actor, input, deps)
    }),
})
