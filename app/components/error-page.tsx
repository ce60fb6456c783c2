// What a person sees when a page cannot be shown: the status, a sentence they can act on and a
// way back. Never a stack trace in a production build.
import { isRouteErrorResponse, Link, useRouteError } from '@remix-run/react'

const TITLES: Record<number, string> = {
  400: 'Bad request',
  401: 'Sign in required',
  403: 'Access denied',
  404: 'Page not found',
  409: 'Conflict',
  429: 'Too many requests',
  500: 'Something went wrong',
}

const DEFAULT_MESSAGES: Record<number, string> = {
  403: 'Your role does not allow this page.',
  404: 'There is nothing at this address. It may have been removed, or the link is wrong.',
}

function describe(error: unknown): { status: number; message: string; stack?: string } {
  if (isRouteErrorResponse(error)) {
    const data = error.data as { message?: unknown } | string | null
    const fromData = typeof data === 'string' ? data : typeof data?.message === 'string' ? data.message : null
    return { status: error.status, message: fromData || DEFAULT_MESSAGES[error.status] || error.statusText || 'The request failed.' }
  }
  const stack = process.env.NODE_ENV === 'development' && error instanceof Error ? error.stack : undefined
  return { status: 500, message: 'An unexpected error occurred. Try again; if it keeps happening, tell your admin.', stack }
}

export function ErrorPage({ error, homeHref = '/' }: { error: unknown; homeHref?: string }) {
  return <ErrorPanel {...describe(error)} homeHref={homeHref} />
}

/** The error page's body for a status and message the page already has (no thrown error). */
export function ErrorPanel({ status, message, stack, homeHref = '/' }: { status: number; message: string; stack?: string; homeHref?: string }) {
  return (
    <div className="error-page" role="alert">
      <p className="error-page__status">{status}</p>
      <h1 className="error-page__title">{TITLES[status] ?? 'Error'}</h1>
      <p className="error-page__message">{message}</p>
      <div className="error-page__actions">
        <Link to={homeHref} className="btn btn--secondary">
          Go to the dashboard
        </Link>
      </div>
      {stack ? <pre className="error-page__stack">{stack}</pre> : null}
    </div>
  )
}

/** A route's error boundary: renders inside whatever layout is still standing above it. */
export function RouteErrorBoundary() {
  return <ErrorPage error={useRouteError()} />
}
