// The outbound delivery hook: after a reply has committed, the inbox hands it to a MessageSender
// (email, SMS, chat gateways plug in here later). The default one only records what it was given,
// so a reply is stored and shown whether or not anything delivers it yet.
export type OutboundMessage = {
  tenantId: string
  messageId: string
  threadId: string
  customerId: string
  channel: string
  /** The customer's addresses as the last inbound message gave them. */
  to: { email?: string; phone?: string; handle?: string }
  subject: string
  text: string
  author: string
  at: string
}

export interface MessageSender {
  /** Called once per reply after commit; a failure is logged, the reply stays stored. */
  send(message: OutboundMessage): Promise<void>
}

const RECORDED_MAX = 100

/** Keeps the last 100 messages it was given (tests and the dev console read them); delivers nothing. */
export function recordingSender(): MessageSender & { readonly sent: readonly OutboundMessage[] } {
  const sent: OutboundMessage[] = []
  return {
    sent,
    async send(message) {
      sent.push(message)
      if (sent.length > RECORDED_MAX) sent.shift()
    },
  }
}

/** The process's sender unless a caller passes its own. */
export const defaultSender = recordingSender()
