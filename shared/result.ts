/** A value or a clear error: what every parser of untrusted input returns. */

/** Success or failure, never thrown. */
export type Result<T, E = ParseError> = { ok: true; value: T } | { ok: false; error: E };

/** A problem with one field of some input: `path` names the field, `message` the problem. */
export type ParseError = { readonly path: string; readonly message: string };

/** Wraps a value as success. */
export function ok<T>(value: T): { ok: true; value: T } {
  return { ok: true, value };
}

/** Wraps an error as failure. */
export function fail<E>(error: E): { ok: false; error: E } {
  return { ok: false, error };
}

/** "path: message", the form shown to people. */
export function formatParseError(error: ParseError): string {
  return error.path ? `${error.path}: ${error.message}` : error.message;
}
