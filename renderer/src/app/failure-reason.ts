/** Why a call to the server failed, in words the person reading it can act on. */
import type { MessageKey } from '../../../shared';

type Translate = (key: MessageKey, params?: Record<string, string | number>) => string;

/**
 * The server's own words when it answered with a refusal; when no answer came at all (offline,
 * server down), fetch rejects with a TypeError whose message is the browser's ("Failed to
 * fetch"), in English whatever the workshop's language: say instead that the server cannot be
 * reached.
 */
export function failureReason(error: unknown, t: Translate): string {
  if (error instanceof TypeError) return t('connection.unreachable');
  return error instanceof Error ? error.message : String(error);
}
