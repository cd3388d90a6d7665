/**
 * Codes services throw; each edge (/v1, SCIM, worker) maps them with an exhaustive switch.
 */
export type DomainErrorCode =
  | 'invalid_input'
  | 'not_found'
  | 'conflict'
  | 'unauthorized'
  | 'forbidden'
  | 'payload_too_large'
  | 'rate_limited'
  | 'precondition_failed'
  | 'unavailable';

export class DomainError extends Error {
  constructor(
    readonly code: DomainErrorCode,
    message: string,
    /** Seconds to wait before retrying, for `rate_limited` and `unavailable`. */
    readonly retryAfterSeconds?: number,
    /** A more precise code for clients, e.g. `slug_taken` for a `conflict`. */
    readonly reason?: string,
    /** Per-field problems of an `invalid_input`, each named by where it is in the body. */
    readonly details?: readonly { readonly key: string; readonly message: string }[],
  ) {
    super(message);
    this.name = 'DomainError';
  }
}

export function httpStatusOf(code: DomainErrorCode): number {
  switch (code) {
    case 'invalid_input':
      return 400;
    case 'unauthorized':
      return 401;
    case 'forbidden':
      return 403;
    case 'not_found':
      return 404;
    case 'conflict':
      return 409;
    case 'precondition_failed':
      return 412;
    case 'payload_too_large':
      return 413;
    case 'rate_limited':
      return 429;
    case 'unavailable':
      return 503;
  }
}
