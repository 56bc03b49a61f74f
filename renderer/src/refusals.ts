/**
 * Why the server refused this link for good, in words: the message key of each close code the
 * provider stops at (shared/close-codes.ts PERMANENT_CLOSE_CODES), shown in the status bar and the
 * banner above the board.
 */
import { CLOSE, type MessageKey } from '../../shared';

const REFUSALS: Readonly<Record<number, MessageKey>> = {
  [CLOSE.tokenMissing]: 'refused.4401',
  [CLOSE.tokenMalformed]: 'refused.4402',
  [CLOSE.tokenForged]: 'refused.4403',
  [CLOSE.tokenWrongRoom]: 'refused.4404',
  [CLOSE.tokenWrongRole]: 'refused.4405',
  [CLOSE.tokenRevoked]: 'refused.4406',
  [CLOSE.identityInvalid]: 'refused.4407',
  [CLOSE.tokenExpired]: 'refused.4410',
  [CLOSE.workshopDeleted]: 'refused.4411',
  [CLOSE.tooLarge]: 'refused.4413',
};

/** The words for close `code`; a code this client does not know reads as a damaged link. */
export function refusalMessage(code: number): MessageKey {
  return REFUSALS[code] ?? 'refused.4402';
}
