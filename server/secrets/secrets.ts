// Tenant secrets (webhook signing keys). (Being built: the interface is fixed so the engine can call it.)
import type { TenantScope } from '../kernel'

/** The current value of the tenant's secret `name`, or null when there is none. Server-side only. */
export async function readSecret(_scope: TenantScope, _name: string): Promise<string | null> {
  throw new Error('readSecret: not built yet')
}
