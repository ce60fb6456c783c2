// The `members` router: input schemas and one call each of the members service (members.ts).
import { z } from 'zod'
import { ROLES } from '../auth/permissions'
import { PASSWORD_MIN_LENGTH } from '../auth/password'
import { permissionProcedure, router } from '../trpc/init'
import { addMember, inviteMember, listMembers, memberNameList, pendingInvitations, removeMember, revokeInvitation, setMemberRole } from './members'

const role = z.enum(ROLES)
const userId = z.string().min(1).max(100)
const email = z
  .email()
  .max(254)
  .transform((e) => e.toLowerCase())

export const membersRouter = router({
  list: permissionProcedure('members:read').query(({ ctx }) => listMembers(ctx.scope)),

  /**
   * Who the tenant's members are, by name only: what record pages need to show an owner or an
   * assignee to anyone who may read CRM data (read-only users may not list members' emails/roles).
   */
  names: permissionProcedure('crm:read').query(({ ctx }) => memberNameList(ctx.scope)),

  /**
   * Invites an email to the tenant with a role: a pending invitation whether or not an account
   * exists for it; the person joins only by accepting (invitations.accept). The answer is the
   * invitation's own fields, identical in both cases (docs/decisions/014-invitations.md).
   */
  invite: permissionProcedure('members:manage')
    .input(z.strictObject({ email, role }))
    .mutation(({ ctx, input }) => inviteMember(ctx.scope, ctx.actor, input)),

  /**
   * `invite` for a person who may have no account yet: when none exists for the email, it is
   * created with the name and initial password given here (shared with them out of band); an
   * existing account is left exactly as it is. Name and password are required either way, and the
   * answer is the same invitation as `invite` gives, so nothing tells whether the account existed.
   */
  add: permissionProcedure('members:manage')
    .input(
      z.strictObject({
        email,
        role,
        name: z.string().trim().min(1).max(100),
        initialPassword: z.string().min(PASSWORD_MIN_LENGTH).max(200),
      }),
    )
    .mutation(({ ctx, input }) => addMember(ctx.services.accounts, ctx.scope, ctx.actor, input)),

  /** The tenant's pending invitations (expired ones included, with their expiry). */
  invitations: permissionProcedure('members:manage').query(({ ctx }) => pendingInvitations(ctx.scope)),

  revokeInvitation: permissionProcedure('members:manage')
    .input(z.strictObject({ id: z.string().min(1).max(100) }))
    .mutation(({ ctx, input }) => revokeInvitation(ctx.scope, ctx.actor, input)),

  setRole: permissionProcedure('members:manage')
    .input(z.strictObject({ userId, role }))
    .mutation(({ ctx, input }) => setMemberRole(ctx.scope, ctx.actor, input, ctx.services.principals)),

  remove: permissionProcedure('members:manage')
    .input(z.strictObject({ userId }))
    .mutation(({ ctx, input }) => removeMember(ctx.scope, ctx.actor, input, ctx.services.principals)),
})
