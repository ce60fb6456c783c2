// The `secrets` router (Admin): tenant secrets for webhook signing. Values come back only from
// create and rotate, once; list never has them (secrets.ts).
import { z } from 'zod'
import { permissionProcedure, router } from '../trpc/init'
import { createSecret, listSecrets, removeSecret, rotateSecret, SECRET_NAME_MAX, SECRET_NAME_PATTERN } from './secrets'

const nameInput = z.strictObject({
  name: z.string().max(SECRET_NAME_MAX).regex(SECRET_NAME_PATTERN, 'Start with a letter; then letters, digits, _ . or -, at most 63 characters'),
})

export const secretsRouter = router({
  /** Names with createdAt, rotatedAt and createdBy; never a value. */
  list: permissionProcedure('secrets:manage').query(({ ctx }) => listSecrets(ctx.scope)),
  /** `{name, value}`: the value is shown this once. */
  create: permissionProcedure('secrets:manage')
    .input(nameInput)
    .mutation(({ ctx, input }) => createSecret(ctx.scope, ctx.actor, input)),
  /** `{name, value}`: a new value, shown this once; the old one stops signing at once. */
  rotate: permissionProcedure('secrets:manage')
    .input(nameInput)
    .mutation(({ ctx, input }) => rotateSecret(ctx.scope, ctx.actor, input)),
  remove: permissionProcedure('secrets:manage')
    .input(nameInput)
    .mutation(({ ctx, input }) => removeSecret(ctx.scope, ctx.actor, input)),
})
