/** The current user in the open workshop: id, name, colour and role (for UI decisions only). */
import { createContext, useContext } from 'react';
import type { ParticipantId, Role } from '../../shared';

export type Me = {
  readonly id: ParticipantId;
  readonly name: string;
  readonly colour: string;
  readonly role: Role;
};

export const MeContext = createContext<Me | null>(null);

/** The current user; throws outside a workshop. */
export function useMe(): Me {
  const me = useContext(MeContext);
  if (!me) throw new Error('useMe needs a MeContext provider');
  return me;
}
