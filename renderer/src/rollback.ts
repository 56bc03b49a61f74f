/**
 * Why a change was taken back: the server refused one of this device's updates whole (shared/
 * session-message.ts, REFUSED_MESSAGE) and the connection reloaded the workshop as the server
 * has it. One message per refusal code of the policy, said in a toast that outlives the reload.
 */
import type { MessageKey } from '../../shared';
import { REFUSALS, type RefusalCode } from '../../shared/policy/policy';

function isRefusalCode(code: string): code is RefusalCode {
  return (REFUSALS as readonly string[]).includes(code);
}

/** Why the change was not kept, for a refusal `code`; a code this client does not know still says so. */
export function rollbackMessage(code: string): MessageKey {
  // The compiler checks that every code of the policy has its message.
  return isRefusalCode(code) ? `rolledBack.${code}` : 'rolledBack.other';
}
