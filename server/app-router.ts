import type { inferRouterOutputs } from '@trpc/server'
// The whole API, one line per domain. `AppRouter` is the type the typed clients import.
import { router } from './trpc/init'
import { authRouter } from './auth/auth-router'
import { membersRouter } from './members/members-router'
import { tokensRouter } from './tokens/tokens-router'
import { invitationsRouter } from './invitations/invitations-router'
import { auditRouter } from './audit/audit-router'
import { configRouter } from './config/config-router'
import { runtimeRouter } from './config/runtime-router'
import { casesRouter, customersRouter, dealsRouter } from './crm/record-router'
import { customer360Router } from './crm/customer360-router'
import { notificationsRouter } from './notifications/notifications-router'
import { inboxRouter } from './inbox/inbox-router'
import { automationsRouter } from './automation/automations-router'
import { secretsRouter } from './secrets/secrets-router'
import { approvalsRouter } from './approvals/approvals-router'
import { dashboardRouter } from './dashboard/dashboard-router'
import { slaRouter } from './sla/sla-router'

export const appRouter = router({
  auth: authRouter,
  members: membersRouter,
  tokens: tokensRouter,
  invitations: invitationsRouter,
  audit: auditRouter,
  config: configRouter,
  runtime: runtimeRouter,
  customers: customersRouter,
  deals: dealsRouter,
  cases: casesRouter,
  customer360: customer360Router,
  notifications: notificationsRouter,
  inbox: inboxRouter,
  automations: automationsRouter,
  secrets: secretsRouter,
  approvals: approvalsRouter,
  dashboard: dashboardRouter,
  sla: slaRouter,
})

export type AppRouter = typeof appRouter
/** What each procedure returns, for the UI's types (`import type`), instead of hand-written twins. */
export type RouterOutputs = inferRouterOutputs<AppRouter>
