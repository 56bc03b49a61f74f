/**
 * Starts `npm run web` (build + server with the example workshops) on a free port with its own
 * data directory, and reads the organiser login link it prints.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const ROOT = join(import.meta.dirname, '..');

/** A running `npm run web`. */
export type WebServer = {
  readonly url: string;
  /** The organiser login link it printed. */
  readonly organiserLink: string;
  readonly organiserToken: string;
  /** Its data folder (removed by stop). */
  readonly dataDir: string;
  /** Join link (as the API gives it) of a workshop, by room, for role facilitator. */
  facilitatorLink(room: string): Promise<string>;
  stop(): Promise<void>;
};

/** Runs build/web.mjs (what `npm run web` runs) with `--port 0` and waits for its links. */
export async function startWeb(): Promise<WebServer> {
  const dataDir = mkdtempSync(join(tmpdir(), 'talkoo-e2e-'));
  const child: ChildProcess = spawn(
    process.execPath,
    [join(ROOT, 'build', 'web.mjs'), '--port', '0', '--data-dir', dataDir],
    { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  const { url, organiserLink } = await new Promise<{ url: string; organiserLink: string }>(
    (resolve, reject) => {
      const onData = (chunk: Buffer): void => {
        output += chunk.toString();
        const listening = /listening on (http:\/\/\S+)/.exec(output);
        const link = /(http:\/\/\S+#\/\?organiser=\S+)/.exec(output);
        if (listening?.[1] && link?.[1]) resolve({ url: listening[1], organiserLink: link[1] });
      };
      child.stdout?.on('data', onData);
      child.stderr?.on('data', onData);
      child.once('exit', (code) => reject(new Error(`npm run web exited with ${code}:\n${output}`)));
    },
  );
  const organiserToken = decodeURIComponent(organiserLink.split('organiser=')[1] ?? '');
  return {
    url,
    organiserLink,
    organiserToken,
    dataDir,
    async facilitatorLink(room) {
      const res = await fetch(`${url}/api/workshops`, {
        headers: { Authorization: `Bearer ${organiserToken}` },
      });
      const body = (await res.json()) as { workshops: { room: string; facilitatorUrl: string }[] };
      const found = body.workshops.find((w) => w.room === room);
      if (!found) throw new Error(`no workshop ${room} on the server`);
      return found.facilitatorUrl;
    },
    stop: () =>
      new Promise<void>((resolve) => {
        const done = (): void => {
          rmSync(dataDir, { recursive: true, force: true });
          resolve();
        };
        if (child.exitCode !== null) return done();
        child.once('exit', done);
        child.kill('SIGTERM');
      }),
  };
}

/** The token inside a join link. */
export function tokenOf(link: string): string {
  return decodeURIComponent(new URLSearchParams(link.split('?')[1] ?? '').get('token') ?? '');
}
