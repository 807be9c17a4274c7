/**
 * Domain errors. Modules throw these and never HTTP errors; one middleware maps each kind to a status.
 * `code` is stable API (e.g. `INCIDENT.TRANSITION_NOT_ALLOWED`); the user-facing text for a code lives in the
 * locale files, and `message` is the English fallback for logs and clients without a translation.
 */
export const ERROR_KINDS = [
  'BadRequest', // malformed input: not JSON, wrong encoding (400)
  'Unauthenticated', // no valid session or token (401)
  'Forbidden', // signed in, but not allowed (403)
  'NotFound', // (404)
  'Conflict', // stale version, duplicate key, state changed meanwhile (409)
  'TooLarge', // body or file over its limit (413)
  'Invalid', // well-formed input that breaks a rule (422)
  'TooManyRequests', // throttled (429)
  'Unavailable', // a dependency such as the database is down (503)
] as const;
export type ErrorKind = (typeof ERROR_KINDS)[number];

/** One problem with one input field, for forms and API clients. */
export interface FieldProblem {
  readonly path: string;
  readonly code: string;
  readonly message: string;
  readonly params?: Readonly<Record<string, string | number>>;
}

export class DomainError extends Error {
  override readonly name = 'DomainError';
  constructor(
    readonly kind: ErrorKind,
    readonly code: string,
    message: string,
    readonly details: {
      readonly params?: Readonly<Record<string, string | number>>;
      readonly fields?: readonly FieldProblem[];
      readonly cause?: unknown;
    } = {},
  ) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
  }
}

export const notFound = (code: string, message: string, params?: Record<string, string | number>) =>
  new DomainError('NotFound', code, message, { params });
export const forbidden = (code: string, message: string, params?: Record<string, string | number>) =>
  new DomainError('Forbidden', code, message, { params });
export const conflict = (code: string, message: string, params?: Record<string, string | number>) =>
  new DomainError('Conflict', code, message, { params });
export const invalid = (code: string, message: string, fields?: readonly FieldProblem[], params?: Record<string, string | number>) =>
  new DomainError('Invalid', code, message, { fields, params });
export const unavailable = (code: string, message: string, cause?: unknown) =>
  new DomainError('Unavailable', code, message, { cause });

export function isDomainError(e: unknown): e is DomainError {
  return e instanceof DomainError;
}
