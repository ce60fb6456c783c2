// SLA timers fired: what the scanner announces after its claim commits, and what `sla.onTimerFired`
// streams (through the bounded recent-event buffer, like record changes). A warning or a breach
// changes no record (the case's version stays), so it is not a record change; open dashboards,
// case lists and case pages follow it here instead (the outbox event is what automations follow).
import type { TenantScope } from '../kernel'
import { streamBuffered } from '../realtime/buffered-stream'
import type { EventBus } from '../realtime/event-bus'

export const SLA_TIMER_TOPIC = 'sla.timer'

export type SlaTimerEvent = {
  caseId: string
  policyKey: string
  target: 'firstResponse' | 'resolution'
  kind: 'warning' | 'breached'
  dueAt: string
  at: string
}

/** Call after the scanner's transaction has committed; never throws. */
export async function announceSlaTimer(bus: EventBus, tenantId: string, event: SlaTimerEvent): Promise<void> {
  await bus.append(tenantId, SLA_TIMER_TOPIC, event)
}

/** The stream behind `sla.onTimerFired`: the tenant's fired warnings and breaches, resumable from `lastEventId`. */
export function slaTimerEvents(
  scope: Pick<TenantScope, 'tenantId'>,
  input: { lastEventId: string | null | undefined; signal: AbortSignal | undefined },
  deps: { bus: EventBus },
) {
  return streamBuffered<{ type: 'sla' } & SlaTimerEvent>({
    bus: deps.bus,
    tenantId: scope.tenantId,
    topic: SLA_TIMER_TOPIC,
    lastEventId: input.lastEventId,
    signal: input.signal,
    sharedAs: 'sla',
    map: (payload) => ({ type: 'sla', ...(payload as SlaTimerEvent) }),
  })
}
