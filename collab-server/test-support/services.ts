/**
 * Real Redis and PostgreSQL servers for tests and benchmarks, from Debian's packages
 * (`redis-server`, `postgresql`): each started on 127.0.0.1 on a free port, in a temporary folder
 * of its own, and removed with it when stopped. Nothing is shared with a system service.
 *
 * PostgreSQL refuses to run as root; when the tests run as root (a CI container), its folder is
 * given to the `postgres` user that Debian's package creates, and it runs as that user.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A service process of a test: where to reach it, and how to stop it. */
export type TestService = {
  /** redis://127.0.0.1:PORT or postgres://talkoo@127.0.0.1:PORT/talkoo */
  readonly url: string;
  readonly port: number;
  /** The running process (tests pause it with SIGSTOP, say). */
  readonly process: ChildProcess;
  /** Stops the process and removes its folder. */
  stop(): Promise<void>;
};

/** A port nothing listens on now (the service binds it next; a race with another test retries). */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

function exited(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => child.once('exit', () => resolve()));
}

/**
 * Starts `command` and resolves once `ready` matches what it printed, or rejects with its output
 * when it exits or takes longer than `timeoutMs`.
 */
function startUntil(
  command: string,
  args: readonly string[],
  ready: RegExp,
  timeoutMs = 20_000,
): Promise<ChildProcess> {
  const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${command} did not start within ${timeoutMs} ms:\n${output}`));
    }, timeoutMs);
    const read = (chunk: Buffer): void => {
      output += chunk.toString();
      if (ready.test(output)) {
        clearTimeout(timer);
        resolve(child);
      }
    };
    child.stdout?.on('data', read);
    child.stderr?.on('data', read);
    child.once('error', (error) => {
      clearTimeout(timer);
      reject(new Error(`${command} could not start (${error.message}); is its package installed?`));
    });
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`${command} exited (${signal ?? code}) before it was ready:\n${output}`));
    });
  });
}

/** Stops a service process (SIGTERM, then SIGKILL after 10 s) and removes its folder. */
async function stopService(child: ChildProcess, dir: string): Promise<void> {
  // A paused process (a test's SIGSTOP) hears nothing until it is let go on.
  if (child.exitCode === null && child.signalCode === null) {
    child.kill('SIGCONT');
    child.kill('SIGTERM');
  }
  const killer = setTimeout(() => child.kill('SIGKILL'), 10_000);
  await exited(child);
  clearTimeout(killer);
  rmSync(dir, { recursive: true, force: true });
}

/** A Redis server of its own, without persistence (leases live for seconds). */
export async function startRedis(): Promise<TestService> {
  const dir = mkdtempSync(join(tmpdir(), 'talkoo-redis-'));
  for (let attempt = 1; ; attempt++) {
    const port = await freePort();
    try {
      const child = await startUntil(
        'redis-server',
        ['--bind', '127.0.0.1', '--port', String(port), '--dir', dir, '--save', '', '--appendonly', 'no'],
        /Ready to accept connections/,
      );
      return { url: `redis://127.0.0.1:${port}`, port, process: child, stop: () => stopService(child, dir) };
    } catch (error) {
      if (attempt >= 3) {
        rmSync(dir, { recursive: true, force: true });
        throw error;
      }
    }
  }
}

/** The folder of PostgreSQL's server programs (initdb, postgres): Debian's newest, else PATH. */
function postgresBin(): string {
  const root = '/usr/lib/postgresql';
  if (existsSync(root)) {
    const versions = readdirSync(root)
      .filter((name) => /^\d+$/.test(name))
      .sort((a, b) => Number(b) - Number(a));
    for (const version of versions) {
      const bin = join(root, version, 'bin');
      if (existsSync(join(bin, 'initdb'))) return bin;
    }
  }
  return '';
}

/** Runs as the `postgres` user when this process is root (PostgreSQL refuses root). */
function asPostgres(program: string, args: readonly string[]): [string, string[]] {
  if (process.getuid?.() !== 0) return [program, [...args]];
  // setpriv runs the program itself (no parent in between), so signals reach it directly.
  return ['setpriv', ['--reuid=postgres', '--regid=postgres', '--init-groups', program, ...args]];
}

/** A PostgreSQL server of its own: user `talkoo` (trusted on loopback), database `talkoo`. */
export async function startPostgres(): Promise<TestService> {
  const bin = postgresBin();
  const program = (name: string): string => (bin ? join(bin, name) : name);
  const dir = mkdtempSync(join(tmpdir(), 'talkoo-postgres-'));
  const data = join(dir, 'data');
  if (process.getuid?.() === 0) {
    const id = spawnSync('id', ['-u', 'postgres'], { encoding: 'utf8' });
    const gid = spawnSync('id', ['-g', 'postgres'], { encoding: 'utf8' });
    if (id.status !== 0) {
      rmSync(dir, { recursive: true, force: true });
      throw new Error(
        'PostgreSQL refuses to run as root and there is no postgres user: apt-get install postgresql',
      );
    }
    chownSync(dir, Number(id.stdout.trim()), Number(gid.stdout.trim()));
  }
  const [initdb, initArgs] = asPostgres(program('initdb'), [
    '-D',
    data,
    '-U',
    'talkoo',
    '-A',
    'trust',
    '-E',
    'UTF8',
    '--no-sync',
  ]);
  const init = spawnSync(initdb, initArgs, { encoding: 'utf8' });
  if (init.status !== 0) {
    rmSync(dir, { recursive: true, force: true });
    throw new Error(
      `initdb failed (${init.error?.message ?? init.status}); is postgresql installed?\n${init.stderr}`,
    );
  }
  for (let attempt = 1; ; attempt++) {
    const port = await freePort();
    const [postgres, args] = asPostgres(program('postgres'), [
      '-D',
      data,
      '-p',
      String(port),
      '-k',
      dir,
      '-c',
      'listen_addresses=127.0.0.1',
    ]);
    try {
      const child = await startUntil(postgres, args, /ready to accept connections/);
      const createdb = spawnSync(
        program('createdb'),
        ['-h', '127.0.0.1', '-p', String(port), '-U', 'talkoo', 'talkoo'],
        { encoding: 'utf8' },
      );
      if (createdb.status !== 0) {
        await stopService(child, dir);
        throw new Error(`createdb failed: ${createdb.stderr}`);
      }
      return {
        url: `postgres://talkoo@127.0.0.1:${port}/talkoo`,
        port,
        process: child,
        stop: () => stopService(child, dir),
      };
    } catch (error) {
      if (attempt >= 3) {
        rmSync(dir, { recursive: true, force: true });
        throw error;
      }
    }
  }
}
