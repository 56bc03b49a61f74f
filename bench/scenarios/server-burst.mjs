// server-burst: issue #10's "a burst of 2,000 single-key updates from one client is applied and
// relayed within 5 s". A stock y-websocket client sets 2,000 keys outside a transaction (2,000
// update frames at once, four times our server's message burst, so it is slowed, not cut); a
// second client in the same room records when the last key arrives. Both clients and the server
// run in this one process, for ours and for the relay alike; 3 rounds each, taking turns.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { WebSocket } from 'ws';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import { startServer } from '../.build/server.mjs';
import { signToken } from '../.build/tokens.mjs';
import { log, median } from '../lib/harness.mjs';
import { compared } from '../lib/report.mjs';
import { startRelay } from '../relay.mjs';

export const summary = 'one stock client sets 2,000 keys at once: time until another client has them all';

const KEYS = 2000;
const ROUNDS = 3;

function client(url, room, key) {
  const doc = new Y.Doc();
  const token = signToken(key, { room, role: 'participant', name: 'burst', ttlSeconds: 3600 });
  const provider = new WebsocketProvider(url, room, doc, {
    WebSocketPolyfill: WebSocket,
    params: { token },
    disableBc: true,
  });
  const synced = new Promise((resolve) => provider.once('sync', resolve));
  return { doc, provider, synced };
}

/** Milliseconds from the first of KEYS single-key updates to the reader holding them all. */
async function burst(url, key, room) {
  const writer = client(url, room, key);
  const reader = client(url, room, key);
  try {
    await Promise.all([writer.synced, reader.synced]);
    const map = reader.doc.getMap('burst');
    const arrived = new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`only ${map.size} of ${KEYS} keys in 60 s`)), 60_000);
      map.observe(() => {
        if (map.size < KEYS) return;
        clearTimeout(timer);
        resolve(performance.now());
      });
    });
    const started = performance.now();
    const keys = writer.doc.getMap('burst');
    for (let i = 0; i < KEYS; i++) keys.set(`k${i}`, i);
    return (await arrived) - started;
  } finally {
    for (const c of [writer, reader]) {
      c.provider.destroy();
      c.doc.destroy();
    }
  }
}

export async function run() {
  const dataDir = mkdtempSync(join(tmpdir(), 'talkoo-bench-burst-'));
  const ours = await startServer({ host: '127.0.0.1', port: 0, dataDir });
  const relay = await startRelay();
  const servers = {
    ours: { url: ours.url.replace(/^http/, 'ws'), key: ours.signingKey },
    relay: { url: relay.url, key: ours.signingKey },
  };
  const times = { ours: [], relay: [] };
  try {
    for (let r = 0; r < ROUNDS; r++) {
      for (const name of r % 2 ? ['relay', 'ours'] : ['ours', 'relay']) {
        const ms = await burst(servers[name].url, servers[name].key, `burst-${r}`);
        times[name].push(ms);
        log(`  round ${r + 1} ${name}: ${KEYS} keys in ${Math.round(ms)} ms`);
      }
    }
  } finally {
    await ours.close();
    await relay.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
  return compared(
    `${KEYS} single-key updates applied and relayed, median (#10)`,
    { ours: median(times.ours), relay: median(times.relay) },
    'ms',
    { target: 5000 },
  );
}
