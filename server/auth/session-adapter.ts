// lucia's database adapter, written against our Prisma 7 client (the published
// @lucia-auth/adapter-prisma refuses Prisma 7; docs/decisions/003-sessions.md).
import type { Adapter, DatabaseSession, DatabaseUser } from 'lucia'
import type { Db } from '../db/client'

type SessionRow = { id: string; userId: string; expiresAt: Date; activeTenantId: string | null }

function toDatabaseSession(row: SessionRow): DatabaseSession {
  return { id: row.id, userId: row.userId, expiresAt: row.expiresAt, attributes: { activeTenantId: row.activeTenantId } }
}

export function createSessionAdapter(db: Db): Adapter {
  return {
    async getSessionAndUser(sessionId): Promise<[DatabaseSession | null, DatabaseUser | null]> {
      const row = await db.session.findUnique({
        where: { id: sessionId },
        select: { id: true, userId: true, expiresAt: true, activeTenantId: true, user: { select: { id: true, email: true, name: true } } },
      })
      if (!row) return [null, null]
      const { user, ...session } = row
      return [toDatabaseSession(session), { id: user.id, attributes: { email: user.email, name: user.name } }]
    },
    async getUserSessions(userId) {
      const rows = await db.session.findMany({ where: { userId } })
      return rows.map(toDatabaseSession)
    },
    async setSession(session) {
      await db.session.create({
        data: {
          id: session.id,
          userId: session.userId,
          expiresAt: session.expiresAt,
          activeTenantId: session.attributes.activeTenantId ?? null,
        },
      })
    },
    async updateSessionExpiration(sessionId, expiresAt) {
      await db.session.updateMany({ where: { id: sessionId }, data: { expiresAt } })
    },
    async deleteSession(sessionId) {
      await db.session.deleteMany({ where: { id: sessionId } })
    },
    async deleteUserSessions(userId) {
      await db.session.deleteMany({ where: { userId } })
    },
    async deleteExpiredSessions() {
      await db.session.deleteMany({ where: { expiresAt: { lte: new Date() } } })
    },
  }
}
