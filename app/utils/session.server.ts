// Who is signed in, asked once per request through `auth.me`, and the guards every page loader
// starts with. Permission checks here only pick the page to show: each procedure checks again.
import { redirect, type AppLoadContext } from '@remix-run/node'
import type { Me, Permission, SignedInMe } from './viewer'
import { errorPage, loginRedirect } from './api-errors.server'
import { safeRedirect } from './safe-redirect'

// Layouts and their child routes run their loaders with the same context: one `me` call each.
const meByRequest = new WeakMap<AppLoadContext, Promise<Me>>()

export function getMe(context: AppLoadContext): Promise<Me> {
  let me = meByRequest.get(context)
  if (!me) {
    me = context.trpc.auth.me()
    meByRequest.set(context, me)
  }
  return me
}

/** The signed-in person, or a redirect to the login page that comes back here afterwards. */
export async function requireUser(context: AppLoadContext, request: Request): Promise<SignedInMe> {
  const me = await getMe(context)
  if (me.kind !== 'user') throw loginRedirect(request, context)
  return me
}

/** For /login and /register: someone already signed in goes where they were heading. */
export async function requireAnonymous(context: AppLoadContext, request: Request): Promise<void> {
  const me = await getMe(context)
  if (me.kind === 'user') {
    const redirectTo = safeRedirect(new URL(request.url).searchParams.get('redirectTo'))
    throw redirect(redirectTo, { headers: context.resHeaders })
  }
}

/**
 * The signed-in person if their role in the active tenant has `permission`; otherwise a 403 page
 * saying so (`what` completes "Your role may not …").
 */
export async function requirePermission(context: AppLoadContext, request: Request, permission: Permission, what = 'open this page'): Promise<SignedInMe> {
  const me = await requireUser(context, request)
  const problem = permissionProblem(me, permission, what)
  if (problem) throw errorPage(context, 403, problem)
  return me
}

/** Why `me` may not do `what` (the 403 page's sentence), or null when they may. */
export function permissionProblem(me: SignedInMe, permission: Permission, what = 'open this page'): string | null {
  if (!me.activeTenant) return 'Pick a tenant first: you are not working in any tenant right now.'
  if (!me.permissions.includes(permission)) return `Your role (${me.activeTenant.role.toLowerCase()}) in ${me.activeTenant.name} may not ${what}.`
  return null
}
