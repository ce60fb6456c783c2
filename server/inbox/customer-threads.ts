// The inbox's answer for the customer 360 (the crm asks it here, not in the inbox's tables): the
// customer's newest threads, each with its latest messages.
import type { TenantScope } from '../kernel'

const THREADS = 20
const MESSAGES_PER_THREAD = 3

export async function customerThreads(scope: TenantScope, customerId: string) {
  const threads = await scope.db.inboxThread.findMany({
    where: { customerId },
    orderBy: [{ lastMessageAt: 'desc' }, { id: 'desc' }],
    take: THREADS,
    select: {
      id: true,
      channel: true,
      subject: true,
      status: true,
      caseId: true,
      messageCount: true,
      lastMessageAt: true,
      messages: {
        where: { direction: { not: 'note' } },
        orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
        take: MESSAGES_PER_THREAD,
        select: { id: true, direction: true, fromLabel: true, text: true, createdAt: true },
      },
    },
  })
  return threads.map(({ messages, ...t }) => ({
    ...t,
    latest: messages.reverse().map((m) => ({ ...m, text: m.text.length > 500 ? `${m.text.slice(0, 499)}…` : m.text })),
  }))
}
