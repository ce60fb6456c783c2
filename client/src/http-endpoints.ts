// The plain HTTP endpoints beside tRPC: the live config with ETag caching (a poller downloads it
// again only after a publish) and message ingestion for outside systems.
import type { RouterOutputs } from '../../server/app-router'

/** GET /api/runtime/config's body: the live snapshot (dates as ISO strings). */
export type RuntimeConfig = {
  version: number
  checksum: string
  publishedAt: string
  items: RouterOutputs['runtime']['config']['items']
}

/** POST /api/inbox/messages's body (product: "ingests messages from outside", idempotent on externalId). */
export type IngestMessageInput = {
  /** The sender system's id of the message: sending it again returns the first answer. */
  externalId: string
  channel: 'email' | 'chat' | 'sms' | 'web'
  from: { email?: string; phone?: string; name?: string }
  subject?: string
  body: string
  /** Threads replies: messages with the same key join one conversation. */
  threadKey?: string
  receivedAt?: string
}

/** Its answer. `duplicate`: this externalId was ingested before and nothing new was written. */
export type IngestMessageResult = { messageId: string; threadId: string; customerId: string; caseId: string | null; duplicate: boolean }

/** An HTTP endpoint's error, with the tRPC code the server names (`UNAUTHORIZED`, `FORBIDDEN`, `BAD_REQUEST`…). */
export class PulseHttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly body: unknown,
  ) {
    super(message)
    this.name = 'PulseHttpError'
  }
}

type Fetch = typeof globalThis.fetch

export function httpEndpoints(baseUrl: string, token: string, fetchImpl: Fetch = globalThis.fetch) {
  const auth = { Authorization: `Bearer ${token}` }
  let cached: { etag: string; config: RuntimeConfig } | null = null

  async function fail(res: Response): Promise<never> {
    const body: unknown = await res.json().catch(() => null)
    const error = (body as { error?: { code?: string; message?: string } } | null)?.error ?? (body as { code?: string; message?: string } | null)
    throw new PulseHttpError(res.status, error?.code ?? String(res.status), error?.message ?? res.statusText, body)
  }

  return {
    /**
     * The live config. Sends the last ETag: an unchanged config answers 304 and the cached copy is
     * returned without downloading it again. `minVersion`: never older than this version.
     */
    async runtimeConfig(opts: { minVersion?: number } = {}): Promise<RuntimeConfig> {
      const query = opts.minVersion === undefined ? '' : `?minVersion=${opts.minVersion}`
      const res = await fetchImpl(`${baseUrl}/api/runtime/config${query}`, { headers: { ...auth, ...(cached ? { 'If-None-Match': cached.etag } : {}) } })
      if (res.status === 304 && cached) return cached.config
      if (!res.ok) return fail(res)
      const config = (await res.json()) as RuntimeConfig
      const etag = res.headers.get('etag')
      cached = etag ? { etag, config } : null
      return config
    },

    /** Ingests one message from an outside system (needs a token with the ingest or full scope). */
    async ingestMessage(message: IngestMessageInput): Promise<IngestMessageResult> {
      const res = await fetchImpl(`${baseUrl}/api/inbox/messages`, {
        method: 'POST',
        headers: { ...auth, 'Content-Type': 'application/json' },
        body: JSON.stringify(message),
      })
      if (!res.ok) return fail(res)
      return (await res.json()) as IngestMessageResult
    },
  }
}
