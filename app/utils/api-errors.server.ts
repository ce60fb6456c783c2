// The one translation from API errors (TRPCError codes, docs/api.md) to what a page shows.
// Loaders let an error become the page (login redirect, 403/404 page); actions turn the errors a
// person can fix (bad input, conflicts, rate limits) into a message next to the form.
import { json, redirect, type AppLoadContext, type TypedResponse } from '@remix-run/node'
import type { TRPCError } from '@trpc/server'
import { humanIssueMessage, type IssueLike } from '../../server/config-language'

type ApiErrorCode = TRPCError['code']

const STATUS: Partial<Record<ApiErrorCode, number>> = {
  BAD_REQUEST: 400,
  UNAUTHORIZED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
  TOO_MANY_REQUESTS: 429,
}

/** Duck-typed on purpose: the caller's TRPCError may come from another copy of @trpc/server. */
export function asApiError(err: unknown): { code: ApiErrorCode; message: string; cause?: unknown } | null {
  if (!(err instanceof Error) || err.name !== 'TRPCError') return null
  const code = (err as { code?: unknown }).code
  return typeof code === 'string' ? { code: code as ApiErrorCode, message: err.message, cause: err.cause } : null
}

/** Where an expired or missing session goes, remembering the page the person wanted. */
export function loginRedirect(request: Request, context: AppLoadContext): Response {
  const url = new URL(request.url)
  const params = new URLSearchParams({ redirectTo: `${url.pathname}${url.search}` })
  return redirect(`/login?${params}`, { headers: context.resHeaders })
}

/** A thrown response that the nearest error boundary renders as a readable page. */
export function errorPage(context: AppLoadContext, status: number, message: string): Response {
  return json({ message }, { status, headers: context.resHeaders })
}

/** Rethrows an API error as the response a page should answer with; anything else is a bug (500). */
export function throwAsPageResponse(err: unknown, request: Request, context: AppLoadContext): never {
  const api = asApiError(err)
  if (!api) throw err
  if (api.code === 'UNAUTHORIZED') throw loginRedirect(request, context)
  const status = STATUS[api.code]
  if (!status) throw err
  throw errorPage(context, status, api.message)
}

/** For loaders: runs one API call; its errors become the page (see throwAsPageResponse). */
export async function callForPage<T>(request: Request, context: AppLoadContext, call: (trpc: AppLoadContext['trpc']) => Promise<T>): Promise<T> {
  try {
    return await call(context.trpc)
  } catch (err) {
    throwAsPageResponse(err, request, context)
  }
}

export type FormFailure = { ok: false; intent: string; message: string; fieldErrors: Record<string, string> }

/**
 * The first zod issue per field, keyed like the form's input names: the top-level input key, or,
 * with `fieldsUnder`, the dotted path below that input key (`['values','data','tier']` → `data.tier`).
 * Messages are people's words naming the field by its label (humanIssueMessage); issues no input
 * shows come back as `unplaced` sentences for the banner.
 */
function fieldErrorsOf(cause: unknown, fieldsUnder?: string, labels: Record<string, string> = {}): { fieldErrors: Record<string, string>; unplaced: string[] } {
  const issues = (cause as { issues?: unknown } | undefined)?.issues
  const fieldErrors: Record<string, string> = {}
  const unplaced: string[] = []
  if (!Array.isArray(issues)) return { fieldErrors, unplaced }
  for (const issue of issues as (IssueLike & { path?: PropertyKey[] })[]) {
    const path = issue.path ?? []
    const field =
      fieldsUnder === undefined
        ? path[0]
        : path[0] === fieldsUnder && path.length > 1 && path.every((p) => typeof p === 'string' || typeof p === 'number')
          ? path.slice(1).join('.')
          : undefined
    // A plain form that names its inputs (`labels`) shows only those; record forms (`fieldsUnder`)
    // label their fields from the live config themselves.
    const shown = typeof field === 'string' && (fieldsUnder !== undefined || Object.keys(labels).length === 0 || Object.hasOwn(labels, field))
    if (shown) {
      if (!(field in fieldErrors)) fieldErrors[field] = humanIssueMessage(issue, Object.hasOwn(labels, field) ? labels[field] : undefined)
    } else unplaced.push(humanIssueMessage(issue))
  }
  return { fieldErrors, unplaced }
}

type FormCallResult<T> = { ok: true; data: T } | { ok: false; response: TypedResponse<FormFailure> }

/**
 * For actions: runs one API call. Errors a person can act on come back as a `FormFailure`
 * response for the form to show; `UNAUTHORIZED` means an expired session (login redirect) unless
 * the form itself is about credentials (`unauthorized: 'form'`, e.g. "Invalid email or password").
 * `fieldsUnder` names the input key whose nested paths are the form's fields (record forms: 'values');
 * `labels` names a plain form's inputs as the page shows them, so its messages say "Company name
 * must be at least 2 characters" (an input without a label gets its issue in the banner).
 */
export async function callForForm<T>(
  request: Request,
  context: AppLoadContext,
  intent: string,
  call: (trpc: AppLoadContext['trpc']) => Promise<T>,
  opts: { unauthorized?: 'login' | 'form'; fieldsUnder?: string; labels?: Record<string, string> } = {},
): Promise<FormCallResult<T>> {
  try {
    return { ok: true, data: await call(context.trpc) }
  } catch (err) {
    const api = asApiError(err)
    const status = api ? STATUS[api.code] : undefined
    if (!api || !status || (api.code === 'UNAUTHORIZED' && opts.unauthorized !== 'form')) {
      throwAsPageResponse(err, request, context)
    }
    const { fieldErrors, unplaced } = api.code === 'BAD_REQUEST' ? fieldErrorsOf(api.cause, opts.fieldsUnder, opts.labels) : { fieldErrors: {}, unplaced: [] }
    // Never the API's own message for bad input: for a zod error it is the issues as JSON.
    const message = unplaced.length > 0 ? unplaced.join(' ') : Object.keys(fieldErrors).length > 0 ? 'Please correct the highlighted fields.' : api.message
    return {
      ok: false,
      response: json<FormFailure>({ ok: false, intent, message, fieldErrors }, { status, headers: context.resHeaders }),
    }
  }
}
