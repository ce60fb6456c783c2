// The signed-in person's own invitations: a session procedure, no tenant needed. Each procedure is
// an input schema and one call of the invitations service (invitations.ts).
import { z } from 'zod'
import { authedProcedure, router } from '../trpc/init'
import { acceptInvitation, declineInvitation, invitationsOf } from './invitations'

const id = z.strictObject({ id: z.string().min(1).max(100) })

export const invitationsRouter = router({
  /** Pending invitations addressed to the signed-in person's email. */
  list: authedProcedure.query(({ ctx }) => invitationsOf(ctx.services.db, ctx.user)),

  /** Joins the tenant with the invited role: membership and status change in one transaction. */
  accept: authedProcedure.input(id).mutation(({ ctx, input }) => acceptInvitation(ctx.services.db, ctx.user, input, ctx.services.principals)),

  decline: authedProcedure.input(id).mutation(({ ctx, input }) => declineInvitation(ctx.services.db, ctx.user, input)),
})
