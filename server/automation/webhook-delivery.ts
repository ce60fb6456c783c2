// Webhook delivery for the `webhook` action: a signed POST with bounded destination, time and
// retries. (Being built: the interface is fixed so the engine can call it.)

export type WebhookRequest = {
  url: string
  /** The JSON body (event + record). Serialized once; the signature covers exactly these bytes. */
  body: unknown
  /** The named tenant secret's value, or null to send unsigned. */
  secret: string | null
  /** Stays the same across retries and re-runs of the same run step (`Pulse8-Delivery`). */
  deliveryId: string
  /** Retries after the first attempt (network errors, 5xx, 408, 429). */
  retries: number
  signal?: AbortSignal
}

export type WebhookResult = { ok: true; status: number; attempts: number } | { ok: false; status: number | null; attempts: number; error: string }

export async function deliverWebhook(_request: WebhookRequest): Promise<WebhookResult> {
  throw new Error('deliverWebhook: not built yet')
}
