// What `npm start` decides about the Electron it runs: its exit status, the sandbox fix it prints
// on Linux, and which signals it passes on (start.mjs only wires these to the process).
import { spawn } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';

type SandboxState = {
  readonly path: string;
  readonly owner: { readonly uid: number; readonly mode: number } | null;
  readonly restrictsUserNamespaces: boolean;
};

/** The start script's decisions (plain JavaScript, so typed here by hand). */
const start = (await import(new URL('./start-electron.mjs', import.meta.url).href)) as {
  exitStatus: (code: number | null, signal: NodeJS.Signals | null) => number;
  /** `userNamespaceSetting`: kernel.apparmor_restrict_unprivileged_userns, null where absent; read from /proc when not given. */
  readSandboxState: (electronPath: string, userNamespaceSetting?: string | null) => SandboxState;
  sandboxProblem: (platform: NodeJS.Platform, state: SandboxState) => boolean;
  isSandboxAbort: (signal: NodeJS.Signals | null, stderr: string) => boolean;
  sandboxFix: (sandboxPath: string) => string;
  exitReport: (exit: {
    code: number | null;
    signal: NodeJS.Signals | null;
    stderr: string;
    sandboxPath: string;
  }) => string | null;
  QUIT_SIGNALS: readonly NodeJS.Signals[];
  signalAction: (
    signal: NodeJS.Signals,
    fromTerminal: boolean,
    lastInterruptAt: number | null,
    now: number,
  ) => string;
  FORCE_WINDOW_MS: number;
  ECHO_WINDOW_MS: number;
};

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** How a real child process ended. */
function run(script: string): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  return new Promise((resolve) => {
    spawn('sh', ['-c', script], { stdio: 'ignore' }).on('exit', (code, signal) => resolve({ code, signal }));
  });
}

// Chromium's own words when it aborts for want of a sandbox (Ubuntu 23.10+, electron in node_modules).
const SUID_ABORT =
  "[12345:1206/101500.123456:FATAL:sandbox/linux/suid/client/setuid_sandbox_host.cc(166)] The SUID sandbox helper binary was found, but is not configured correctly. Rather than run without sandboxing I'm aborting now. You need to make sure that /work/main/node_modules/electron/dist/chrome-sandbox is owned by root and has mode 4755.";
const USERNS_ABORT =
  '[5:1206/101500.1:FATAL:content/browser/zygote_host/zygote_host_impl_linux.cc(128)] No usable sandbox! If you are running on Ubuntu 23.10+ or another Linux distro that has disabled unprivileged user namespaces with AppArmor, see https://chromium.googlesource.com/chromium/src/+/main/docs/security/apparmor-userns-restrictions.md.';

describe('the exit status of npm start', () => {
  it('is Electron’s own when it exits', async () => {
    const ended = await run('exit 3');
    expect(start.exitStatus(ended.code, ended.signal)).toBe(3);
    expect(start.exitStatus(0, null)).toBe(0);
  });

  it('is 128 + the signal’s number when Electron dies by a signal, as shells report it (never 0)', async () => {
    const trapped = await run('kill -TRAP $$');
    expect(trapped.signal).toBe('SIGTRAP');
    expect(start.exitStatus(trapped.code, trapped.signal)).toBe(133);
    const killed = await run('kill -KILL $$');
    expect(start.exitStatus(killed.code, killed.signal)).toBe(137);
    expect(start.exitStatus(null, 'SIGABRT')).toBe(134);
  });
});

describe('the Linux sandbox (Ubuntu 23.10+ restricts unprivileged user namespaces with AppArmor)', () => {
  const electronPath = '/work/main/node_modules/electron/dist/electron';

  function sandboxFile(mode: number): string {
    const dir = mkdtempSync(join(tmpdir(), 'talkoo-electron-'));
    dirs.push(dir);
    writeFileSync(join(dir, 'chrome-sandbox'), '');
    chmodSync(join(dir, 'chrome-sandbox'), mode);
    return join(dir, 'electron');
  }

  it('is a problem when namespaces are restricted and chrome-sandbox is not root-owned with mode 4755', () => {
    const state = start.readSandboxState(sandboxFile(0o755), '1\n');
    expect(state.restrictsUserNamespaces).toBe(true);
    expect(state.path).toMatch(/chrome-sandbox$/);
    expect(start.sandboxProblem('linux', state)).toBe(true);
    expect(start.sandboxProblem('linux', { ...state, owner: { uid: 0, mode: 0o100755 } })).toBe(true);
    expect(start.sandboxProblem('linux', { ...state, owner: { uid: 1000, mode: 0o104755 } })).toBe(true);
  });

  it('is no problem when chrome-sandbox is set up, namespaces are free, or on another system', () => {
    const state = start.readSandboxState(sandboxFile(0o755), '1');
    expect(start.sandboxProblem('linux', { ...state, owner: { uid: 0, mode: 0o104755 } })).toBe(false);
    expect(start.sandboxProblem('linux', start.readSandboxState(sandboxFile(0o755), '0'))).toBe(false);
    // Kernels without the setting (older Ubuntu, other distributions) do not restrict them.
    expect(start.readSandboxState(sandboxFile(0o755), null).restrictsUserNamespaces).toBe(false);
    expect(start.sandboxProblem('darwin', state)).toBe(false);
    expect(start.sandboxProblem('win32', state)).toBe(false);
  });

  it('knows Chromium’s sandbox abort by its signal and its FATAL line, and nothing else', () => {
    expect(start.isSandboxAbort('SIGTRAP', `some warning\n${SUID_ABORT}\n`)).toBe(true);
    expect(start.isSandboxAbort('SIGABRT', USERNS_ABORT)).toBe(true);
    expect(start.isSandboxAbort('SIGSEGV', SUID_ABORT)).toBe(false);
    expect(start.isSandboxAbort('SIGTRAP', 'FATAL: something else')).toBe(false);
    expect(start.isSandboxAbort(null, SUID_ABORT)).toBe(false);
  });

  it('gives the fix in plain words: the two commands with the real path, quoted when it has spaces', () => {
    const fix = start.sandboxFix('/home/aino/My Projects/talkoo/node_modules/electron/dist/chrome-sandbox');
    expect(fix).toContain(
      "sudo chown root:root '/home/aino/My Projects/talkoo/node_modules/electron/dist/chrome-sandbox' && sudo chmod 4755 '/home/aino/My Projects/talkoo/node_modules/electron/dist/chrome-sandbox'",
    );
    expect(fix).toMatch(/npm run web/);
    expect(
      start.sandboxFix(`${electronPath.replace('electron/dist/electron', 'electron/dist/chrome-sandbox')}`),
    ).toContain(
      'sudo chown root:root /work/main/node_modules/electron/dist/chrome-sandbox && sudo chmod 4755 /work/main/node_modules/electron/dist/chrome-sandbox',
    );
  });

  it('reports a sandbox abort with the fix, any other death by a signal by its name, and a normal exit not at all', () => {
    const sandboxPath = '/work/main/node_modules/electron/dist/chrome-sandbox';
    const aborted = start.exitReport({ code: null, signal: 'SIGTRAP', stderr: SUID_ABORT, sandboxPath });
    expect(aborted).toContain(`sudo chmod 4755 ${sandboxPath}`);
    const crashed = start.exitReport({ code: null, signal: 'SIGSEGV', stderr: '', sandboxPath });
    expect(crashed).toMatch(/SIGSEGV/);
    expect(crashed).not.toMatch(/chmod/);
    expect(start.exitReport({ code: 0, signal: null, stderr: SUID_ABORT, sandboxPath })).toBeNull();
  });
});

describe('Ctrl+C and other signals', () => {
  const now = 1_000_000;

  it('lets Electron quit by itself on the Ctrl+C it got from the terminal too (no second SIGINT)', () => {
    expect(start.signalAction('SIGINT', true, null, now)).toBe('wait');
  });

  it('forces on a second Ctrl+C soon after, but not on one long after', () => {
    expect(start.signalAction('SIGINT', true, now - 1000, now)).toBe('force');
    expect(start.signalAction('SIGINT', true, now - start.FORCE_WINDOW_MS - 1, now)).toBe('wait');
  });

  it('takes the SIGINT npm passes on a moment after the terminal’s as the same Ctrl+C, not a second one', () => {
    // npm start: the terminal signals npm and start.mjs, and npm sends start.mjs the signal again.
    expect(start.signalAction('SIGINT', true, now - 5, now)).toBe('ignore');
    expect(start.signalAction('SIGINT', true, now - start.ECHO_WINDOW_MS + 1, now)).toBe('ignore');
    expect(start.signalAction('SIGINT', false, now - 5, now)).toBe('ignore');
  });

  it('passes on a signal only start.mjs received: SIGTERM, or SIGINT with no terminal', () => {
    expect(start.signalAction('SIGTERM', true, null, now)).toBe('forward');
    expect(start.signalAction('SIGINT', false, null, now)).toBe('forward');
  });
});

describe('the terminal closed (SIGHUP)', () => {
  it('is passed on as SIGTERM is: Electron quits and stores, and npm start waits for it', async () => {
    expect(start.QUIT_SIGNALS).toContain('SIGHUP');
    expect(start.signalAction('SIGHUP', true, null, 1_000_000)).toBe('forward');

    // start.mjs's wiring, around a stand-in for Electron that quits as main.ts does on the signal.
    const dir = mkdtempSync(join(tmpdir(), 'talkoo-start-'));
    dirs.push(dir);
    const app = join(dir, 'app.mjs');
    writeFileSync(
      app,
      [
        "process.on('SIGHUP', () => { console.log('stored and quit on SIGHUP'); process.exit(0); });",
        "process.stdin.on('end', () => process.exit(1)).resume();", // gone with its parent
        "console.log('ready');",
      ].join('\n'),
    );
    const wrapper = join(dir, 'start.mjs');
    writeFileSync(
      wrapper,
      [
        "import { spawn } from 'node:child_process';",
        `import { passSignals } from ${JSON.stringify(new URL('./start-electron.mjs', import.meta.url).href)};`,
        `const app = spawn(process.execPath, [${JSON.stringify(app)}], { stdio: ['pipe', 'inherit', 'inherit'] });`,
        'passSignals(app, false);',
        "app.on('exit', (code) => process.exit(code ?? 1));",
      ].join('\n'),
    );
    const npmStart = spawn(process.execPath, [wrapper], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    npmStart.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    await new Promise<void>((resolve) => {
      const heard = (): void => {
        if (out.includes('ready')) resolve();
      };
      npmStart.stdout.on('data', heard);
    });
    const exited = new Promise((resolve) => npmStart.on('exit', (code, signal) => resolve({ code, signal })));
    npmStart.kill('SIGHUP');
    expect(await exited).toEqual({ code: 0, signal: null });
    expect(out).toContain('stored and quit on SIGHUP');
  });
});
