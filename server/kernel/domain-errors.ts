// The errors a domain service throws. Services know nothing of tRPC or HTTP: they say what went
// wrong in the product's terms, and the API layer alone turns that into a tRPC code and a wire
// shape (server/trpc/domain-error-mapping.ts). A worker or a script catches the same classes.

/** One problem with a piece of input, at its path (the shape zod issues have on the wire). */
export type InputIssue = { path: (string | number)[]; message: string }

export abstract class DomainError extends Error {
  abstract readonly kind: 'not_found' | 'conflict' | 'forbidden' | 'invalid' | 'unauthorized' | 'too_many_requests'
}

/** Missing, or another tenant's (the two must read the same). */
export class NotFoundError extends DomainError {
  override name = 'NotFoundError'
  readonly kind = 'not_found'
}

/**
 * The write lost a race or met a state that forbids it: a stale revision or version, a record
 * changed meanwhile, a duplicate. `details` says what conflicted, so a client can show or reload it.
 */
export class ConflictError extends DomainError {
  override name = 'ConflictError'
  readonly kind = 'conflict'
  constructor(
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message)
  }
}

/** The actor may not do this (beyond the permission table the API layer already checked). */
export class ForbiddenError extends DomainError {
  override name = 'ForbiddenError'
  readonly kind = 'forbidden'
}

/** The credentials behind the call are not (or no longer) good. */
export class UnauthorizedError extends DomainError {
  override name = 'UnauthorizedError'
  readonly kind = 'unauthorized'
}

/** A rate limit; `retryAfterMs` is when trying again makes sense. */
export class TooManyRequestsError extends DomainError {
  override name = 'TooManyRequestsError'
  readonly kind = 'too_many_requests'
  constructor(
    message: string,
    readonly retryAfterMs: number,
  ) {
    super(message)
  }
}

/**
 * Input the service refuses: `issues` point at input paths (shown next to form fields);
 * `configErrors` are config validation errors (`{ item, path, code, message }`), for publish.
 */
export class InvalidError extends DomainError {
  override name = 'InvalidError'
  readonly kind = 'invalid'
  constructor(
    message: string,
    readonly issues: readonly InputIssue[] = [],
    readonly configErrors?: readonly unknown[],
  ) {
    super(message)
  }
}

/** An InvalidError whose message summarises its first issues: "Invalid input: values.email: …". */
export function invalidInput(issues: readonly InputIssue[], summary = 'Invalid input'): InvalidError {
  const first = issues
    .slice(0, 3)
    .map((i) => (i.path.length ? `${i.path.join('.')}: ${i.message}` : i.message))
    .join('; ')
  return new InvalidError(`${summary}: ${first}${issues.length > 3 ? '; …' : ''}`, issues)
}
