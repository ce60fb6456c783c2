// Streams the HTML: as soon as the shell is ready for people, after everything is ready for bots
// (crawlers want the complete page). Also forwards the cookies procedures set on the request's
// `resHeaders` (a refreshed or cleared session) to every page and data response, so a loader can
// not forget them.
import { PassThrough } from 'node:stream'
import type { AppLoadContext, EntryContext, HandleDataRequestFunction, HandleErrorFunction } from '@remix-run/node'
import { createReadableStreamFromReadable } from '@remix-run/node'
import { RemixServer } from '@remix-run/react'
import { isbot } from 'isbot'
import { renderToPipeableStream } from 'react-dom/server'
import { NonceContext } from '~/nonce'

const ABORT_DELAY_MS = 5_000

function forwardCookies(from: Headers | undefined, to: Headers): void {
  if (!from) return
  const present = new Set(to.getSetCookie())
  for (const cookie of from.getSetCookie()) if (!present.has(cookie)) to.append('Set-Cookie', cookie)
}

/** Server-side errors of loaders, actions and rendering go to the app's structured log. */
export const handleError: HandleErrorFunction = (error, { request, context }) => {
  // The browser went away mid-request: nothing went wrong on our side.
  if (request.signal.aborted) return
  const { logger, requestId } = context as Partial<AppLoadContext>
  const fields = { requestId, method: request.method, url: request.url, error: error instanceof Error ? (error.stack ?? error.message) : String(error) }
  if (logger) logger.error('page error', fields)
  else console.error(error)
}

export const handleDataRequest: HandleDataRequestFunction = (response, { context }) => {
  try {
    forwardCookies((context as AppLoadContext).resHeaders, response.headers)
    return response
  } catch {
    // Headers of some responses are immutable: copy the response instead.
    const headers = new Headers(response.headers)
    forwardCookies((context as AppLoadContext).resHeaders, headers)
    return new Response(response.body, { status: response.status, statusText: response.statusText, headers })
  }
}

export default function handleRequest(
  request: Request,
  responseStatusCode: number,
  responseHeaders: Headers,
  remixContext: EntryContext,
  loadContext: AppLoadContext,
) {
  forwardCookies(loadContext.resHeaders, responseHeaders)
  const forBots = isbot(request.headers.get('user-agent') ?? '')
  // The CSP nonce of this response (app-server.ts): on Remix's scripts, and React's own inline ones.
  const nonce = (loadContext as Partial<AppLoadContext>).cspNonce ?? ''
  return new Promise<Response>((resolve, reject) => {
    let shellRendered = false
    const { pipe, abort } = renderToPipeableStream(
      <NonceContext.Provider value={nonce}>
        <RemixServer context={remixContext} url={request.url} abortDelay={ABORT_DELAY_MS} nonce={nonce} />
      </NonceContext.Provider>,
      {
        nonce,
        [forBots ? 'onAllReady' : 'onShellReady']() {
          shellRendered = true
          const body = new PassThrough()
          responseHeaders.set('Content-Type', 'text/html; charset=utf-8')
          resolve(new Response(createReadableStreamFromReadable(body), { headers: responseHeaders, status: responseStatusCode }))
          pipe(body)
        },
        onShellError(error: unknown) {
          reject(error)
        },
        onError(error: unknown) {
          responseStatusCode = 500
          // Errors while streaming after the shell was sent are logged here; earlier ones reject.
          if (shellRendered) console.error(error)
        },
      },
    )
    setTimeout(abort, ABORT_DELAY_MS)
  })
}
