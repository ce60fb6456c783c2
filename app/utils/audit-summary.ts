// The audit log in words: one line per entry ("Ada Admin published version 7: “Add loyalty id”
// (3 items)", "Ada Admin changed Mo Agent’s role from Agent to Manager") for every action the
// server writes (config.*, member.*, invitation.*, token.*). Pure, so each action is unit-tested;
// the page keeps the raw JSON behind a "Details" disclosure for anything the line leaves out.
import { ROLE_LABELS } from './viewer'

export interface AuditEntryLike {
  action: string
  target: string
  before: unknown
  after: unknown
}

/** Names for the ids in targets; undefined when unknown (a person who left, a purged token). */
export interface AuditNames {
  /** Who acted: a member's name, `API token "CI"`, or "System". */
  actor: string
  user: (id: string) => string | undefined
  token: (id: string) => string | undefined
  invitation: (id: string) => string | undefined
}

type Obj = Record<string, unknown>
const obj = (v: unknown): Obj => (v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Obj) : {})
const text = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined)
const role = (v: unknown): string => (typeof v === 'string' && v in ROLE_LABELS ? ROLE_LABELS[v as keyof typeof ROLE_LABELS] : String(v ?? 'no role'))
const count = (n: number, one: string) => `${n} ${one}${n === 1 ? '' : 's'}`
const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : [])

/** The id after the target's kind ("user/u1" → "u1"). */
const idOf = (target: string) => target.slice(target.indexOf('/') + 1)

function possessive(name: string): string {
  return name.endsWith('s') ? `${name}’` : `${name}’s`
}

export function summariseAuditEntry(entry: AuditEntryLike, names: AuditNames): string {
  const { action, target } = entry
  const before = obj(entry.before)
  const after = obj(entry.after)
  const who = names.actor
  const id = idOf(target)
  const user = names.user(id) ?? 'a former member'
  const token = `token ${names.token(id) ?? text(after.name) ?? id}`
  const invitation = `the invitation for ${names.invitation(id) ?? text(after.email) ?? 'a former invitee'}`
  switch (action) {
    case 'config.publish':
    case 'config.rollback':
    case 'config.initial': {
      const items = list(after.added).length + list(after.removed).length + list(after.changed).length
      const verb =
        action === 'config.rollback' ? 'rolled back, publishing' : action === 'config.initial' ? 'published the initial configuration as' : 'published'
      const message = text(after.message) ? `: “${text(after.message)}”` : ''
      return `${who} ${verb} version ${String(after.version ?? idOf(target).replace(/^v/, ''))}${message} (${count(items, 'item')})`
    }
    case 'config.draft.save':
      return `${who} saved a draft of ${target}`
    case 'config.draft.delete':
      return `${who} marked ${target} for deletion in a draft`
    case 'config.draft.discard':
      return `${who} discarded the draft of ${target}`
    case 'member.add':
      return `${who} added ${user} as ${role(after.role)}${text(after.invitation) ? ' (invitation accepted)' : ''}`
    case 'member.setRole':
      return `${who} changed ${possessive(user)} role from ${role(before.role)} to ${role(after.role)}`
    case 'member.remove':
      return `${who} removed ${user} (was ${role(before.role)})`
    case 'invitation.create':
      return `${who} invited ${text(after.email) ?? 'someone'} as ${role(after.role)}`
    case 'invitation.renew':
      return `${who} renewed ${invitation} (${role(after.role)})`
    case 'invitation.revoke':
      return `${who} revoked ${invitation}`
    case 'invitation.accept':
      return `${who} accepted ${invitation} (${role(after.role)})`
    case 'invitation.decline':
      return `${who} declined ${invitation}`
    case 'token.create':
      return `${who} created ${token} (${role(after.role)})`
    case 'token.revoke':
      return `${who} revoked ${token}`
    case 'token.effectiveRole':
      return after.revoked === true
        ? `${token} revoked: its creator was removed`
        : `${token} now acts as ${role(after.effectiveRole)} (was ${role(before.effectiveRole)}): its creator’s role changed`
    default:
      // An action this page does not know yet still reads as a sentence; Details has the rest.
      return `${who}: ${action} on ${target}`
  }
}
