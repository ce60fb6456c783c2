// Who does something, as domain code records it (audit, activity, authorship). A person (userId),
// an API token acting for a person (tokenId, userId of the person when known), or the system
// itself (an automation, a seed script): both ids null and a label saying which.

export type Actor = {
  userId: string | null
  tokenId: string | null
  /** How history and events name the actor: a person's name, "token: CI", "automation: escalate-urgent". */
  label: string
  /**
   * Set when an automation run acts: which run it is and the causal chain that led to it, so the
   * events its writes cause carry the chain on (the loop guard, decision 018).
   */
  cause?: Cause
}

/** The automation run behind a write, and every run before it in the same chain of events. */
export type Cause = {
  runId: string
  /** `<automationKey>:<recordId>` for each run in the chain, oldest first (this run's included). */
  chain: string[]
}

/** The system acting on its own (scripts, workers); `label` says which part. */
export function systemActor(label: string): Actor {
  return { userId: null, tokenId: null, label }
}
