import { describe, expect, it } from 'vitest'
import { summariseAuditEntry, type AuditEntryLike } from '../../../app/utils/audit-summary'

const names = {
  actor: 'Ada Admin',
  user: (id: string) => ({ u2: 'Mo Agent' })[id],
  token: (id: string) => ({ t1: 'CI' })[id],
  invitation: (id: string) => ({ i1: 'x@y.test' })[id],
}
const say = (e: Partial<AuditEntryLike> & { action: string; target: string }) => summariseAuditEntry({ before: null, after: null, ...e }, names)

describe('summariseAuditEntry: one line for every action the server writes', () => {
  it('config publishes, rollbacks and the initial version', () => {
    const after = {
      version: 7,
      message: 'Add loyalty id',
      added: ['objects/customer/fields'],
      removed: [],
      changed: ['forms/customer/default', 'views/customer/all'],
    }
    expect(say({ action: 'config.publish', target: 'config/v7', after })).toBe('Ada Admin published version 7: “Add loyalty id” (3 items)')
    expect(say({ action: 'config.rollback', target: 'config/v8', after: { version: 8, message: 'Back', added: [], removed: [], changed: ['a/b/c'] } })).toBe(
      'Ada Admin rolled back, publishing version 8: “Back” (1 item)',
    )
    expect(say({ action: 'config.initial', target: 'config/v1', after: { version: 1, message: '', added: ['a/b/c', 'd/e/f'] } })).toBe(
      'Ada Admin published the initial configuration as version 1 (2 items)',
    )
  })

  it('drafts', () => {
    expect(say({ action: 'config.draft.save', target: 'views/customer/all' })).toBe('Ada Admin saved a draft of views/customer/all')
    expect(say({ action: 'config.draft.delete', target: 'views/customer/gold' })).toBe('Ada Admin marked views/customer/gold for deletion in a draft')
    expect(say({ action: 'config.draft.discard', target: 'views/customer/all' })).toBe('Ada Admin discarded the draft of views/customer/all')
  })

  it('members, with role labels and names instead of ids', () => {
    expect(say({ action: 'member.setRole', target: 'user/u2', before: { role: 'AGENT' }, after: { role: 'MANAGER', tokens: [] } })).toBe(
      'Ada Admin changed Mo Agent’s role from Agent to Manager',
    )
    expect(say({ action: 'member.add', target: 'user/u2', after: { role: 'VIEWER' } })).toBe('Ada Admin added Mo Agent as Read-only')
    expect(say({ action: 'member.add', target: 'user/u2', after: { role: 'AGENT', invitation: 'i1' } })).toBe(
      'Ada Admin added Mo Agent as Agent (invitation accepted)',
    )
    expect(say({ action: 'member.remove', target: 'user/u9', before: { role: 'AGENT' }, after: { tokens: [] } })).toBe(
      'Ada Admin removed a former member (was Agent)',
    )
  })

  it('invitations, named by email', () => {
    expect(say({ action: 'invitation.create', target: 'invitation/i1', after: { email: 'x@y.test', role: 'AGENT' } })).toBe(
      'Ada Admin invited x@y.test as Agent',
    )
    expect(say({ action: 'invitation.renew', target: 'invitation/i1', after: { email: 'x@y.test', role: 'AGENT' } })).toBe(
      'Ada Admin renewed the invitation for x@y.test (Agent)',
    )
    expect(say({ action: 'invitation.revoke', target: 'invitation/i1' })).toBe('Ada Admin revoked the invitation for x@y.test')
    expect(say({ action: 'invitation.accept', target: 'invitation/i1', after: { role: 'AGENT' } })).toBe(
      'Ada Admin accepted the invitation for x@y.test (Agent)',
    )
    expect(say({ action: 'invitation.decline', target: 'invitation/i2' })).toBe('Ada Admin declined the invitation for a former invitee')
  })

  it('tokens, named by their name', () => {
    expect(say({ action: 'token.create', target: 'token/t2', after: { name: 'Deploy', role: 'AGENT', createdById: 'u1' } })).toBe(
      'Ada Admin created token Deploy (Agent)',
    )
    expect(say({ action: 'token.revoke', target: 'token/t1' })).toBe('Ada Admin revoked token CI')
    expect(
      say({ action: 'token.effectiveRole', target: 'token/t1', before: { effectiveRole: 'ADMIN' }, after: { effectiveRole: 'AGENT', revoked: false } }),
    ).toBe('token CI now acts as Agent (was Admin): its creator’s role changed')
    expect(say({ action: 'token.effectiveRole', target: 'token/t1', before: { effectiveRole: 'AGENT' }, after: { effectiveRole: null, revoked: true } })).toBe(
      'token CI revoked: its creator was removed',
    )
  })

  it('an action it does not know still reads as a line', () => {
    expect(say({ action: 'something.new', target: 'x/1' })).toBe('Ada Admin: something.new on x/1')
  })
})
