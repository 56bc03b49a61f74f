/**
 * A refusal of the HTTP API: its status, its stable code (shared/api-errors.ts), the English
 * sentence for API users and logs, and the values that sentence mentions, answered as
 * `{ error, code, ...fields }`.
 */
import type { ServerResponse } from 'node:http';
import type { ApiErrorCode, ApiErrorFields } from '../../shared/api-errors';
import type { TokenProblem } from '../auth/tokens';
import { RoomElsewhereError } from '../cluster/ownership';
import { SECURITY_HEADERS } from './static-files';

/** Thrown by a request handler; answered by {@link sendApiError}. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: ApiErrorCode,
    message: string,
    readonly fields: ApiErrorFields = {},
  ) {
    super(message);
  }
}

/**
 * The 503 for a change the server could not store: `code`, the sentence `say` makes of the storage
 * error's message, and that message as the answer's `detail`.
 */
export function notStored(code: ApiErrorCode, error: unknown, say: (detail: string) => string): ApiError {
  const detail = error instanceof Error ? error.message : String(error);
  return new ApiError(503, code, say(detail), { detail });
}

/** The 503 for a workshop that another node of the cluster took just now, or is about to (#14). */
export function workshopMoving(): ApiError {
  return new ApiError(
    503,
    'workshop-moving',
    'The workshop is moving to another server; try again in a moment.',
  );
}

/** Answers with a JSON body, the security headers and no caching. */
export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, {
    ...SECURITY_HEADERS,
    'Content-Type': 'application/json; charset=utf-8',
    'Cache-Control': 'no-store',
  });
  res.end(JSON.stringify(body));
}

/** Answers `error` as the API's JSON error; anything but an {@link ApiError} is a 500 that says nothing more. */
export function sendApiError(res: ServerResponse, error: unknown): void {
  const refusal =
    error instanceof ApiError
      ? error
      : error instanceof RoomElsewhereError
        ? workshopMoving()
        : new ApiError(500, 'server-error', 'The server could not do that.');
  // The fields first: a field can never stand in for the code or the sentence.
  sendJson(res, refusal.status, { ...refusal.fields, error: refusal.message, code: refusal.code });
}

const TOKEN_REFUSALS: Readonly<Record<TokenProblem, readonly [ApiErrorCode, string]>> = {
  missing: ['token-missing', 'This needs a token (Authorization: Bearer …).'],
  malformed: ['token-malformed', 'The token is not a Talkoo token.'],
  forged: ['token-forged', 'The token was not signed by this server.'],
  expired: ['token-expired', 'The token has expired.'],
  'wrong-room': ['token-wrong-room', 'The token is for another workshop.'],
  'wrong-role': ['token-wrong-role', 'The token does not allow this.'],
  revoked: ['token-revoked', 'This link was revoked.'],
};

/** The refusal of a token the server did not accept: 401 when there was none, else 403. */
export function tokenRefusal(error: string): ApiError {
  const [code, message] = TOKEN_REFUSALS[error as TokenProblem] ?? TOKEN_REFUSALS['wrong-role'];
  return new ApiError(error === 'missing' ? 401 : 403, code, message);
}
