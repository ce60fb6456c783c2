// The whole API, one line per domain. `AppRouter` is the type the typed clients import.
import { router } from './trpc/init'
import { authRouter } from './auth/auth-router'
import { membersRouter } from './members/members-router'
import { tokensRouter } from './tokens/tokens-router'
import { auditRouter } from './audit/audit-router'
import { configRouter } from './config/config-router'
import { runtimeRouter } from './config/runtime-router'

export const appRouter = router({
  auth: authRouter,
  members: membersRouter,
  tokens: tokensRouter,
  audit: auditRouter,
  config: configRouter,
  runtime: runtimeRouter,
})

export type AppRouter = typeof appRouter
