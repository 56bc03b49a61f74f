// What `npm start` decides about the Electron it runs, as plain functions (start.mjs wires them to
// the process; start-electron.test.ts tests them): the exit status when Electron ends, the Linux
// sandbox check and its fix, and which signals to pass on (passSignals wires those itself).
import { readFileSync, statSync } from 'node:fs';
import { constants } from 'node:os';
import { dirname, join } from 'node:path';

/** A second Ctrl+C within this long of the first forces Electron to stop. */
export const FORCE_WINDOW_MS = 5000;

/**
 * SIGINTs this close to the first are the same Ctrl+C: under `npm start` the terminal signals
 * start.mjs and npm, and npm passes its SIGINT on to start.mjs at once.
 */
export const ECHO_WINDOW_MS = 500;

/** Ubuntu 23.10+ sets this to 1: unprivileged user namespaces only for AppArmor-profiled programs. */
const USERNS_SETTING = '/proc/sys/kernel/apparmor_restrict_unprivileged_userns';

// Chromium's FATAL lines when it finds no sandbox it may use (setuid_sandbox_host.cc, zygote_host_impl_linux.cc).
const SANDBOX_ABORT =
  /The SUID sandbox helper binary was found, but is not configured correctly|No usable sandbox!/;

/**
 * The status `npm start` exits with: Electron's own exit code, or 128 + the signal's number when
 * a signal ended it (as shells report it), so a crash is never a success.
 * @param {number | null} code
 * @param {NodeJS.Signals | null} signal
 * @returns {number}
 */
export function exitStatus(code, signal) {
  if (code !== null) return code;
  const number = signal === null ? undefined : constants.signals[signal];
  return number === undefined ? 1 : 128 + number;
}

/**
 * What the Linux sandbox needs, as found on this machine: Electron's chrome-sandbox helper (its
 * owner and mode; null when missing) and whether the kernel restricts user namespaces.
 * @param {string} electronPath the Electron binary
 * @param {string | null} [userNamespaceSetting] the setting's text, null where the kernel has none
 */
export function readSandboxState(electronPath, userNamespaceSetting = readSetting(USERNS_SETTING)) {
  const path = join(dirname(electronPath), 'chrome-sandbox');
  let owner = null;
  try {
    const stat = statSync(path);
    owner = { uid: stat.uid, mode: stat.mode };
  } catch {
    // No helper (macOS, Windows, or a partial install): nothing to check.
  }
  return { path, owner, restrictsUserNamespaces: userNamespaceSetting?.trim() === '1' };
}

/** @param {string} path */
function readSetting(path) {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return null;
  }
}

/**
 * True when Electron will abort at start for want of a sandbox: on Linux, with user namespaces
 * restricted, the setuid helper is the only sandbox left, and it works only owned by root with
 * mode 4755 (npm installs it owned by the user, 0755).
 * @param {NodeJS.Platform} platform
 * @param {ReturnType<typeof readSandboxState>} state
 */
export function sandboxProblem(platform, state) {
  if (platform !== 'linux' || !state.restrictsUserNamespaces || state.owner === null) return false;
  const setuidRootExecutable = state.owner.uid === 0 && (state.owner.mode & 0o4755) === 0o4755;
  return !setuidRootExecutable;
}

/**
 * True when Electron died as Chromium does when it finds no usable sandbox: a SIGTRAP or SIGABRT
 * after one of its sandbox FATAL lines.
 * @param {NodeJS.Signals | null} signal
 * @param {string} stderr what Electron wrote to stderr (its end is enough)
 */
export function isSandboxAbort(signal, stderr) {
  return (signal === 'SIGTRAP' || signal === 'SIGABRT') && SANDBOX_ABORT.test(stderr);
}

/** @param {string} path */
function shellQuoted(path) {
  return /^[\w./@:+-]+$/.test(path) ? path : `'${path.replaceAll("'", `'\\''`)}'`;
}

/**
 * The fix for the sandbox, in plain words, with the commands to copy.
 * @param {string} sandboxPath
 */
export function sandboxFix(sandboxPath) {
  const path = shellQuoted(sandboxPath);
  return [
    'The desktop app cannot start: Electron needs its sandbox helper set up on this Linux',
    '(Ubuntu 23.10 and later allow no other sandbox to programs run from a project folder).',
    'Make the helper owned by root and setuid, once (it asks for your password):',
    '',
    `  sudo chown root:root ${path} && sudo chmod 4755 ${path}`,
    '',
    'then run npm start again. Reinstalling Electron (npm install) undoes this.',
    'Or run the same app in your browser:  npm run web   (then open http://127.0.0.1:4455)',
  ].join('\n');
}

/**
 * What to tell the user when Electron has ended, or null when it exited by itself.
 * @param {{ code: number | null, signal: NodeJS.Signals | null, stderr: string, sandboxPath: string }} exit
 */
export function exitReport({ code, signal, stderr, sandboxPath }) {
  if (signal === null) return null;
  if (isSandboxAbort(signal, stderr)) return sandboxFix(sandboxPath);
  return `Electron stopped by ${signal} (exit status ${exitStatus(code, signal)}).`;
}

/**
 * What start.mjs does with a signal it receives while Electron runs:
 * - `wait`: Electron got it too (Ctrl+C in a terminal signals the whole foreground process
 *   group) and quits by itself, storing first; a second SIGINT would kill it before it stores.
 * - `forward`: only start.mjs got it (SIGTERM from a process manager, SIGINT with no terminal),
 *   or it is SIGHUP (the terminal closed), which main.ts takes as often as it comes.
 * - `force`: a second Ctrl+C soon after the first: the user wants it gone now.
 * - `ignore`: the same Ctrl+C again, passed on by npm a moment later.
 * @param {NodeJS.Signals} signal
 * @param {boolean} fromTerminal start.mjs runs in a terminal, in Electron's process group
 * @param {number | null} lastInterruptAt when the previous Ctrl+C came (ms), null if none
 * @param {number} now
 * @returns {'wait' | 'forward' | 'force' | 'ignore'}
 */
export function signalAction(signal, fromTerminal, lastInterruptAt, now) {
  if (signal !== 'SIGINT') return 'forward';
  const since = lastInterruptAt === null ? Infinity : now - lastInterruptAt;
  if (since < ECHO_WINDOW_MS) return 'ignore';
  if (since <= FORCE_WINDOW_MS) return 'force';
  return fromTerminal ? 'wait' : 'forward';
}

/**
 * The signals start.mjs handles while Electron runs (see {@link signalAction}): Ctrl+C, SIGTERM,
 * and SIGHUP when the terminal window closes, which would otherwise end start.mjs at once.
 */
export const QUIT_SIGNALS = /** @type {const} */ (['SIGINT', 'SIGTERM', 'SIGHUP']);

/**
 * Wires {@link signalAction} to this process while Electron (`app`) runs: Ctrl+C reaches
 * Electron from the terminal too, and passing it on again would kill Electron while it stores
 * (its handler quits cleanly on the first signal only). A second Ctrl+C forces; the SIGINT npm
 * passes on a moment later is the same Ctrl+C.
 * @param {import('node:child_process').ChildProcess} app
 * @param {boolean} fromTerminal start.mjs runs in a terminal, in Electron's process group
 * @param {(line: string) => void} [say] writes a line to the terminal
 */
export function passSignals(app, fromTerminal, say = (line) => console.error(line)) {
  /** @type {number | null} */
  let lastInterruptAt = null;
  for (const signal of QUIT_SIGNALS) {
    process.on(signal, () => {
      const now = Date.now();
      const action = signalAction(signal, fromTerminal, lastInterruptAt, now);
      if (action === 'ignore') return;
      if (signal === 'SIGINT') lastInterruptAt = now;
      if (action === 'forward') app.kill(signal);
      else if (action === 'wait')
        say('\nTalkoo is storing its workshops and quitting (Ctrl+C again to stop it at once).');
      else {
        say('\nStopping Electron at once: changes not yet stored may be lost.');
        app.kill('SIGKILL');
      }
    });
  }
}
