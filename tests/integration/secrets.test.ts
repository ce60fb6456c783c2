// Tenant secrets: the value comes back once (create, rotate), never from list or the audit log,
// is stored encrypted, decrypts for the engine (readSecret), and only admins manage secrets.
import { TRPCError } from '@trpc/server'
import { describe, expect, it } from 'vitest'
import { tenantScope } from '../../server/kernel'
import { readSecret } from '../../server/secrets/secrets'
import { useHarness } from '../support/harness'

const h = useHarness()
const acme = () => tenantScope(h.services.db, h.tenantId('acme'))

async function codeOf(promise: Promise<unknown>) {
  return promise.then(
    () => 'OK',
    (e: unknown) => (e instanceof TRPCError ? e.code : String(e)),
  )
}

describe('tenant secrets', () => {
  it('create returns the value once; list never has it; readSecret decrypts it; the row holds no plaintext', async () => {
    const admin = await h.asUser('admin@acme.test', 'acme')
    const created = await admin.secrets.create({ name: 'zapier' })
    expect(created.name).toBe('zapier')
    expect(created.value).toMatch(/^whsec_[A-Za-z0-9_-]{43}$/)

    const listed = await admin.secrets.list()
    const entry = listed.find((s) => s.name === 'zapier')
    expect(entry).toMatchObject({ name: 'zapier', rotatedAt: null, createdBy: { name: expect.any(String) } })
    expect(JSON.stringify(listed)).not.toContain(created.value)
    expect(Object.keys(entry!).sort()).toEqual(['createdAt', 'createdBy', 'name', 'rotatedAt'])

    expect(await readSecret(acme(), 'zapier')).toBe(created.value)
    expect(await readSecret(acme(), 'missing')).toBeNull()
    // Another tenant does not see it under the same name.
    expect(await readSecret(tenantScope(h.services.db, h.tenantId('globex')), 'zapier')).toBeNull()

    const row = await h.services.db.tenantSecret.findFirstOrThrow({ where: { tenantId: h.tenantId('acme'), name: 'zapier' } })
    const stored = Buffer.concat([row.ciphertext, row.iv, row.authTag])
    expect(stored.includes(Buffer.from(created.value))).toBe(false)
    expect(stored.includes(Buffer.from(created.value.slice(6)))).toBe(false)
  })

  it('a value moved to another row does not decrypt (bound to tenant and name)', async () => {
    const admin = await h.asUser('admin@acme.test', 'acme')
    await admin.secrets.create({ name: 'moved-from' })
    await admin.secrets.create({ name: 'moved-to' })
    const from = await h.services.db.tenantSecret.findFirstOrThrow({ where: { tenantId: h.tenantId('acme'), name: 'moved-from' } })
    await h.services.db.tenantSecret.update({
      where: { tenantId_name: { tenantId: h.tenantId('acme'), name: 'moved-to' } },
      data: { ciphertext: from.ciphertext, iv: from.iv, authTag: from.authTag },
    })
    await expect(readSecret(acme(), 'moved-to')).rejects.toThrow()
  })

  it('rotate changes the value (returned once) and the old one stops; remove deletes it', async () => {
    const admin = await h.asUser('admin@acme.test', 'acme')
    const first = await admin.secrets.create({ name: 'hubspot.prod' })
    const rotated = await admin.secrets.rotate({ name: 'hubspot.prod' })
    expect(rotated.name).toBe('hubspot.prod')
    expect(rotated.value).toMatch(/^whsec_/)
    expect(rotated.value).not.toBe(first.value)
    expect(await readSecret(acme(), 'hubspot.prod')).toBe(rotated.value)
    expect((await admin.secrets.list()).find((s) => s.name === 'hubspot.prod')?.rotatedAt).toBeInstanceOf(Date)

    await admin.secrets.remove({ name: 'hubspot.prod' })
    expect(await readSecret(acme(), 'hubspot.prod')).toBeNull()
    expect(await codeOf(admin.secrets.rotate({ name: 'hubspot.prod' }))).toBe('NOT_FOUND')
    expect(await codeOf(admin.secrets.remove({ name: 'hubspot.prod' }))).toBe('NOT_FOUND')
  })

  it('audits create, rotate and remove without the value', async () => {
    const admin = await h.asUser('admin@acme.test', 'acme')
    const created = await admin.secrets.create({ name: 'audited' })
    const rotated = await admin.secrets.rotate({ name: 'audited' })
    await admin.secrets.remove({ name: 'audited' })
    const audit = await admin.audit.list({ target: 'secret/audited' })
    expect(audit.items.map((a) => a.action).sort()).toEqual(['secret.create', 'secret.remove', 'secret.rotate'])
    const text = JSON.stringify(audit)
    expect(text).not.toContain(created.value)
    expect(text).not.toContain(rotated.value)
  })

  it('refuses a duplicate name (CONFLICT) and bad names (BAD_REQUEST)', async () => {
    const admin = await h.asUser('admin@acme.test', 'acme')
    await admin.secrets.create({ name: 'dup' })
    expect(await codeOf(admin.secrets.create({ name: 'dup' }))).toBe('CONFLICT')
    for (const name of ['', '1abc', 'has space', 'a'.repeat(64), 'ünïcode', 'a/b']) {
      expect(await codeOf(admin.secrets.create({ name })), JSON.stringify(name)).toBe('BAD_REQUEST')
    }
    expect((await admin.secrets.create({ name: `a${'b'.repeat(62)}` })).name).toHaveLength(63)
  })

  it('is Admin only: managers, agents, viewers and their tokens are refused', async () => {
    for (const email of ['manager@acme.test', 'agent@acme.test', 'viewer@acme.test']) {
      const caller = await h.asUser(email, 'acme')
      expect(await codeOf(caller.secrets.list()), email).toBe('FORBIDDEN')
      expect(await codeOf(caller.secrets.create({ name: 'nope' })), email).toBe('FORBIDDEN')
      expect(await codeOf(caller.secrets.rotate({ name: 'dup' })), email).toBe('FORBIDDEN')
      expect(await codeOf(caller.secrets.remove({ name: 'dup' })), email).toBe('FORBIDDEN')
    }
    const managerToken = await h.asToken('acme', 'MANAGER')
    expect(await codeOf(managerToken.secrets.list())).toBe('FORBIDDEN')
    const adminToken = await h.asToken('acme', 'ADMIN')
    expect(await codeOf(adminToken.secrets.list())).toBe('OK')
    expect(await readSecret(acme(), 'nope')).toBeNull()
  })
})
