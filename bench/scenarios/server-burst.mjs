// server-burst: issue #10's "a burst of 2,000 single-key updates from one client is applied and
// relayed within 5 s". A stock y-websocket client, a participant (#11), adds a note and then types
// 2,000 characters into its text outside a transaction (2,000 update frames at once, four times
// our server's message burst, so it is slowed, not cut; each judged by the role policy on ours);
// a second client in the same room records when the last character arrives. Both clients and the
// server run in this one process, for ours and for the relay alike; 3 rounds each, taking turns.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { WebSocket } from 'ws';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import { startServer } from '../.build/server.mjs';
import { signToken } from '../.build/tokens.mjs';
import { addMarkNote, markText } from '../lib/content.mjs';
import { log, median } from '../lib/harness.mjs';
import { takePart } from '../lib/participant.mjs';
import { compared } from '../lib/report.mjs';
import { startRelay } from '../relay.mjs';

export const summary =
  'one stock client types 2,000 characters at once: time until another client has them all';

const KEYS = 2000;
const ROUNDS = 3;

function client(url, room, key, ours) {
  const doc = new Y.Doc();
  const token = signToken(key, { room, role: 'participant', name: 'burst', ttlSeconds: 3600 });
  const provider = new WebsocketProvider(url, room, doc, {
    WebSocketPolyfill: WebSocket,
    params: { token },
    disableBc: true,
  });
  const identity = takePart(provider, {
    expectIdentity: ours,
    fallbackId: 'burst',
    onRefused: ({ code, path }) => log(`  refused: ${code} at ${path}`),
  });
  const synced = new Promise((resolve) => provider.once('sync', resolve));
  return { doc, provider, ready: Promise.all([identity, synced]).then(([me]) => me) };
}

/** Resolves when `check()` holds, checked on each change of `doc`; fails after `ms`. */
function when(doc, check, ms, what) {
  return new Promise((resolve, reject) => {
    const done = () => {
      if (!check()) return false;
      clearTimeout(timer);
      doc.off('update', done);
      resolve(performance.now());
      return true;
    };
    const timer = setTimeout(() => {
      doc.off('update', done);
      reject(new Error(`${what} not there after ${ms} ms`));
    }, ms);
    if (!done()) doc.on('update', done);
  });
}

/** Milliseconds from the first of KEYS one-character updates to the reader holding them all. */
async function burst(url, key, room, ours) {
  const writer = client(url, room, key, ours);
  const reader = client(url, room, key, ours);
  try {
    const [me] = await Promise.all([writer.ready, reader.ready]);
    addMarkNote(writer.doc, me);
    await when(reader.doc, () => markText(reader.doc) !== null, 10_000, 'the note');
    const arrived = when(reader.doc, () => markText(reader.doc).length >= KEYS, 60_000, `${KEYS} characters`);
    const started = performance.now();
    const text = markText(writer.doc);
    // Each insert outside a transaction is an update of its own: 2,000 frames.
    for (let i = 0; i < KEYS; i++) text.insert(i, 'abcdefghij'[i % 10]);
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
        const ms = await burst(servers[name].url, servers[name].key, `burst-${r}`, name === 'ours');
        times[name].push(ms);
        log(`  round ${r + 1} ${name}: ${KEYS} characters in ${Math.round(ms)} ms`);
      }
    }
  } finally {
    await ours.close();
    await relay.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
  return compared(
    `${KEYS} one-character updates applied and relayed, median (#10, #11)`,
    { ours: median(times.ours), relay: median(times.relay) },
    'ms',
    { target: 5000, ratioTarget: 1.2 },
  );
}
