/**
 * The server's command line (cli.ts) built once for a test file, with a real Redis and PostgreSQL
 * (services.ts) when the file asks for them: built and started in beforeAll, stopped and removed
 * in afterAll. Call it at the top of the file, before hooks that use it.
 */
import { execFile, type ExecFileOptions } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll } from 'vitest';
import { buildServerCli, removeDir } from '../test-support';
import { startPostgres, startRedis, type TestService } from './services';

/** What a test file uses, readable once its beforeAll ran. */
export type BuiltCli = {
  /** The path of the built cli.mjs, for `node cli.mjs ...`. */
  readonly cli: string;
  readonly redis: TestService;
  readonly postgres: TestService;
};

export function useBuiltCli(prefix: string, wanted: { redis?: boolean; postgres?: boolean } = {}): BuiltCli {
  let cli = '';
  let dir = '';
  let redis: TestService | undefined;
  let postgres: TestService | undefined;
  beforeAll(async () => {
    [{ cli, dir }, redis, postgres] = await Promise.all([
      buildServerCli(prefix),
      wanted.redis ? startRedis() : undefined,
      wanted.postgres ? startPostgres() : undefined,
    ]);
  }, 60_000);
  afterAll(async () => {
    await Promise.all([redis?.stop(), postgres?.stop()]);
    if (dir) removeDir(dir);
  });
  const started = (service: TestService | undefined, name: string): TestService => {
    if (!service) throw new Error(`${name} was not asked for (useBuiltCli(prefix, { ${name}: true }))`);
    return service;
  };
  return {
    get cli() {
      return cli;
    },
    get redis() {
      return started(redis, 'redis');
    },
    get postgres() {
      return started(postgres, 'postgres');
    },
  };
}

/** What a run of the built command line printed, and how it ended. */
export type CliRun = {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
  /** Its last line on stdout, read as JSON (the commands print their answer there); null if none. */
  readonly json: Record<string, unknown> | null;
};

const execFileAsync = promisify(execFile);

/** Runs `node cli.mjs ARGS` to its end, whatever its exit code. */
export async function runCli(
  cli: string,
  args: readonly string[],
  options: ExecFileOptions = {},
): Promise<CliRun> {
  const { code, stdout, stderr } = await execFileAsync(process.execPath, [cli, ...args], {
    ...options,
    encoding: 'utf8',
  }).then(
    (done) => ({ code: 0, stdout: String(done.stdout), stderr: String(done.stderr) }),
    (error: { code: number; stdout: string; stderr: string }) => error,
  );
  const last = stdout.split('\n').filter(Boolean).pop();
  return { code, stdout, stderr, json: last ? (JSON.parse(last) as Record<string, unknown>) : null };
}
