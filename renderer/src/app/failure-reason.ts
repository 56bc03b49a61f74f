/** Why a call to the server failed, in words the person reading it can act on. */
import type { MessageKey } from '../../../shared';
import { readApiError, type ApiErrorAnswer } from '../../../shared/api-errors';

type Translate = (key: MessageKey, params?: Record<string, string | number>) => string;

/** A refusal the server's API answered: its status and its `{ error, code, ...fields }`. */
export class ApiRefusal extends Error {
  constructor(
    readonly status: number,
    readonly answer: ApiErrorAnswer,
  ) {
    super(answer.error ?? `HTTP ${status}`);
  }
}

/** The refusal in a response that is not ok, read from its JSON body (or from nothing, if it has none). */
export async function apiRefusal(res: Response): Promise<ApiRefusal> {
  const body: unknown = await res.json().catch(() => null);
  return new ApiRefusal(res.status, readApiError(body));
}

/**
 * When no answer came at all (offline, server down), fetch rejects with a TypeError whose
 * message is the browser's ("Failed to fetch"), in English whatever the workshop's language: say
 * instead that the server cannot be reached. A refusal with a code this client knows is said in
 * the workshop's language, with the values the server sent (a limit); only an unknown code (an
 * older or newer server) falls back to the server's own English words.
 */
export function failureReason(error: unknown, t: Translate): string {
  if (error instanceof TypeError) return t('connection.unreachable');
  if (error instanceof ApiRefusal && error.answer.code) {
    const key: MessageKey = `api.error.${error.answer.code}`;
    return t(key, { ...error.answer.fields });
  }
  return error instanceof Error ? error.message : String(error);
}
