/**
 * `talkoo-server drain` (#14): asks a running node of a cluster to hand its rooms to the others
 * before it is stopped, and waits until it has.
 */
import type { DrainCommand } from './cli-args';
import { loadKeyFile } from './auth/signing-key';
import { signToken } from './auth/tokens';

/** How long `drain` waits for the node to hand its rooms over. */
const DRAIN_WAIT_MS = 60_000;
const DRAIN_POLL_MS = 250;

/**
 * `drain`: asks the node (with a five-minute organiser token signed by the shared key) to hand its
 * rooms to the other nodes, then watches its /healthz until it holds none.
 */
export async function drain(command: DrainCommand): Promise<unknown> {
  const key = await loadKeyFile(command.keyFile);
  const token = signToken(key, { room: null, role: 'organiser', name: 'drain', ttlSeconds: 300 });
  const asked = await fetch(`${command.url}/api/node/drain`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${token}` },
  }).catch((error: unknown) => {
    // fetch says "fetch failed"; its cause says why (ECONNREFUSED, ENOTFOUND).
    const why = (error as { cause?: Error }).cause?.message ?? (error as Error).message;
    throw new Error(`cannot reach ${command.url}: ${why}`, { cause: error });
  });
  const answer = (await asked.json().catch(() => ({}))) as { rooms?: number; error?: string };
  if (asked.status === 404)
    throw new Error(`${command.url} is not a node of a cluster (it was started without --redis)`);
  if (asked.status !== 202)
    throw new Error(
      `${command.url} refused to drain (HTTP ${asked.status}${answer.error ? `: ${answer.error}` : ''})`,
    );
  const until = Date.now() + DRAIN_WAIT_MS;
  for (;;) {
    const health = await fetch(`${command.url}/healthz`)
      .then((res) => res.json() as Promise<{ node?: { id: string; url: string }; owns?: string[] }>)
      .catch(() => null);
    const owns = health?.owns;
    if (owns?.length === 0)
      return { node: health?.node?.id ?? null, url: command.url, rooms: answer.rooms ?? 0, owns };
    if (Date.now() >= until)
      throw new Error(
        owns
          ? `${command.url} still holds ${owns.length} room(s) after ${DRAIN_WAIT_MS / 1000} s: ${owns.join(', ')}`
          : `${command.url} did not answer /healthz with the rooms it holds`,
      );
    await new Promise((resolve) => setTimeout(resolve, DRAIN_POLL_MS));
  }
}
