// A local HTTP server standing in for a tenant's webhook receiver: it records every request it
// gets (path, headers, exact body bytes) and what it answered, and answers as the test says: a
// status, or `'hold'` to keep the request open (a slow receiver; the caller's connection stays
// up until it gives up or dies).
import http from 'node:http'
import type { AddressInfo } from 'node:net'

export type ReceivedWebhook = {
  path: string
  headers: http.IncomingHttpHeaders
  body: string
  /** The status answered; null while held (or when the caller went away first). */
  answered: number | null
}

/** How to answer the request, given the earlier ones to the same path (`nth` counts from 1). */
export type WebhookAnswer = (request: ReceivedWebhook, nth: number) => number | 'hold'

export type WebhookReceiver = {
  url(path: string): string
  /** Every request so far, in arrival order. */
  readonly received: ReceivedWebhook[]
  /** The requests to `path`. */
  to(path: string): ReceivedWebhook[]
  close(): Promise<void>
}

export async function startWebhookReceiver(answer: WebhookAnswer): Promise<WebhookReceiver> {
  const received: ReceivedWebhook[] = []
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => {
      const request: ReceivedWebhook = { path: req.url ?? '/', headers: req.headers, body: Buffer.concat(chunks).toString('utf8'), answered: null }
      received.push(request)
      const status = answer(request, received.filter((r) => r.path === request.path).length)
      if (status === 'hold') return
      request.answered = status
      res.writeHead(status).end()
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const port = (server.address() as AddressInfo).port
  return {
    url: (path) => `http://127.0.0.1:${port}${path}`,
    received,
    to: (path) => received.filter((r) => r.path === path),
    async close() {
      server.closeAllConnections()
      await new Promise((resolve) => server.close(resolve))
    },
  }
}
