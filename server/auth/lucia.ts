// Session handling with lucia v3: opaque session ids in an HttpOnly, SameSite=Lax cookie
// (Secure when the site is HTTPS: APP_ORIGIN, see services.ts), rows in the `Session` table through our own adapter.
import { Lucia } from 'lucia'
import type { Db } from '../db/client'
import { createSessionAdapter } from './session-adapter'

export function createLucia(db: Db, opts: { secureCookies: boolean }) {
  return new Lucia(createSessionAdapter(db), {
    sessionCookie: {
      name: 'pulse8_session',
      attributes: { secure: opts.secureCookies, sameSite: 'lax' },
    },
    getSessionAttributes: (attributes) => ({ activeTenantId: attributes.activeTenantId }),
    getUserAttributes: (attributes) => ({ email: attributes.email, name: attributes.name }),
  })
}

export type Auth = ReturnType<typeof createLucia>

declare module 'lucia' {
  interface Register {
    Lucia: Auth
    DatabaseSessionAttributes: { activeTenantId: string | null }
    DatabaseUserAttributes: { email: string; name: string }
  }
}
