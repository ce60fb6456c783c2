// Who does something, as domain code records it (audit, activity, authorship). A person (userId),
// an API token acting for a person (tokenId, userId of the person when known), or the system
// itself (an automation, a seed script): both ids null and a label saying which.

export type Actor = {
  userId: string | null
  tokenId: string | null
  /** How history and events name the actor: a person's name, "token: CI", "automation: escalate-urgent". */
  label: string
}

/** The system acting on its own (scripts, workers); `label` says which part. */
export function systemActor(label: string): Actor {
  return { userId: null, tokenId: null, label }
}
