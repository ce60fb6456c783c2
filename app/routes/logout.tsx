import { redirect, type ActionFunctionArgs } from '@remix-run/node'
import { asApiError } from '~/utils/api-errors.server'

// Signing out only by POST: a GET (a prefetch, a crawler, an <img>) must not end a session.
export async function loader() {
  return redirect('/')
}

export async function action({ context }: ActionFunctionArgs) {
  try {
    await context.trpc.auth.logout()
  } catch (err) {
    // Already signed out (expired session): the login page is where they were going anyway.
    if (asApiError(err)?.code !== 'UNAUTHORIZED') throw err
  }
  return redirect('/login', { headers: context.resHeaders })
}
