// How a bench client takes part as a participant whose edits the role policy accepts (#11): it
// asks for stored acknowledgements (message 100) as soon as its socket opens, as the app's clients
// do, and our server answers with the identity it knows the connection by (message 102, its id);
// new notes carry that id as their author. Refusals (message 101) are counted, so a scenario can
// tell a refused edit from a slow one. The relay ignores message 100 and sends no 102: against it
// the client uses an id of its own at once. Needs the protocol bundles run.mjs builds.
import { encodeStoredRequest, STORED_MESSAGE } from '../.build/stored.mjs';
import { readRefusal, readSession, REFUSED_MESSAGE, SESSION_MESSAGE } from '../.build/session.mjs';

/**
 * Sets `provider` (a stock WebsocketProvider, before it connects) up to speak Talkoo's extensions.
 * With `expectIdentity` (our server) `identity` resolves with the id the server sends; without it
 * (the relay) with `fallbackId`. `onRefused(refusal)` is called for each refused update.
 */
export function takePart(provider, { expectIdentity, fallbackId, onRefused }) {
  let told;
  const identity = expectIdentity ? new Promise((resolve) => (told = resolve)) : Promise.resolve(fallbackId);
  provider.messageHandlers[STORED_MESSAGE] = () => {};
  provider.messageHandlers[REFUSED_MESSAGE] = (_encoder, decoder) => onRefused(readRefusal(decoder));
  provider.messageHandlers[SESSION_MESSAGE] = (_encoder, decoder) => {
    const session = readSession(decoder);
    if (session) told?.(session.id);
  };
  // Emitted when the socket opens, before the provider's sync step 1: the request goes first.
  provider.on('status', ({ status }) => {
    if (status === 'connected') provider.ws.send(encodeStoredRequest());
  });
  return identity;
}
