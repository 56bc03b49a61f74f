/**
 * The one IPC contract between the renderer and the Electron main process: every channel with
 * its request and response types, the `window.talkoo` bridge derived from it, and a parser per
 * request kind, because main treats every IPC argument as untrusted input.
 *
 * To add a channel: add it to {@link IpcContract}, then let the compiler lead you to
 * {@link IPC_CHANNELS}, {@link IPC_REQUEST_PARSERS}, main's handler map and the preload.
 */
import { EXPORT_FORMATS, type ExportFormat } from './report/export';
import { fail, ok, type ParseError, type Result } from './result';
import {
  isServerOrigin,
  MAX_WORKSHOP_STATE_BYTES,
  WORKSHOP_FILE_EXTENSION,
  WORKSHOP_ROOM_NAME,
  type WorkshopFileHeader,
  type WorkshopFileProblem,
} from './workshop-file';

/** The app's version and the operating system it runs on. */
export type AppInfo = {
  /** The app version from package.json, e.g. `0.1.0`. */
  readonly version: string;
  /** Node's `process.platform`: `darwin`, `win32`, `linux`, ... */
  readonly platform: string;
};

/** Ask main to save a workshop to a `.talkoo` file the user picks. */
export type SaveWorkshopFileRequest = {
  /** File name offered in the save dialog, without folder; main makes it safe and adds `.talkoo`. */
  readonly suggestedName: string;
  /** The Yjs state, `Y.encodeStateAsUpdate(doc)`. */
  readonly state: Uint8Array;
  /** The workshop title, written into the file header. */
  readonly title: string;
  /** The workshop's room name, written into the header so the file finds it again; absent: none. */
  readonly workshop?: string | null;
  /** Its server's http(s) origin; null or absent: this laptop's own server. */
  readonly origin?: string | null;
};

/** The outcome of a save: the path written, or why nothing was written. */
export type SaveWorkshopFileResponse =
  | { readonly ok: true; readonly path: string }
  | {
      readonly ok: false;
      /** `cancelled`: the user closed the dialog; `error`: the file could not be written. */
      readonly reason: 'cancelled' | 'error';
      /** A sentence to show to the user; present for `error`. */
      readonly message?: string;
    };

/** The outcome of opening a workshop file the user picks. */
export type OpenWorkshopFileResponse =
  | {
      readonly ok: true;
      readonly path: string;
      /** The file's header: title, versions, and the workshop it is a copy of. */
      readonly header: WorkshopFileHeader;
      /** The Yjs state to apply to a fresh Y.Doc. */
      readonly state: Uint8Array;
    }
  | {
      readonly ok: false;
      /**
       * `cancelled`: the user closed the dialog; `invalid`: the file is not a workshop file this
       * version reads (damaged, truncated, foreign or from a newer Talkoo); `error`: it could not
       * be read at all (permissions, missing, ...).
       */
      readonly reason: 'cancelled' | 'invalid' | 'error';
      /** A sentence to show to the user. */
      readonly message: string;
      /**
       * For `invalid`: what is wrong with the file, for a message in the user's language;
       * `network`: a dropped file on a network share, which only the open dialog opens.
       */
      readonly problem?: WorkshopFileProblem | 'network';
    };

/**
 * A command from the desktop app's native menu (File, Edit and View items that are not standard
 * roles). Wire format between main and the page: never rename one.
 */
export type MenuCommand =
  'new' | 'open' | 'save-copy' | 'export' | 'close' | 'undo' | 'redo' | 'about' | 'documentation';

/**
 * What main tells the page without being asked: a workshop file the operating system gave the
 * app (double-click, a path in argv, a second instance, Open Recent) or a menu command.
 */
export type DesktopEvent =
  | { readonly kind: 'open-file'; readonly file: OpenWorkshopFileResponse }
  | { readonly kind: 'menu'; readonly command: MenuCommand };

/**
 * The one channel main sends {@link DesktopEvent}s on (`webContents.send`, to the app's own page
 * only); the preload's `onDesktopEvent` listens on it. Wire format: never rename.
 */
export const DESKTOP_EVENT_CHANNEL = 'desktop:event';

/** Help > Documentation, and About's link: the README, opened in the system browser. */
export const DOCUMENTATION_URL = 'https://github.com/talkoo-app/talkoo#readme';

/** The collab server the desktop app runs in its own process ("host on this laptop"). */
export type LocalHostResponse =
  | {
      readonly ok: true;
      /** The server as this laptop reaches it, e.g. `http://127.0.0.1:4466`. */
      readonly url: string;
      /**
       * The organiser token the laptop's server keeps (lists and creates its workshops): the same
       * recorded, revocable link on every call, renewed a week before its 30 days end.
       */
      readonly organiserToken: string;
      /** The address others on the local network use while it is open to them, else null. */
      readonly networkUrl: string | null;
      /** Every address of the laptop on its networks while open, best first. */
      readonly networkUrls: readonly string[];
      /**
       * How many other devices have connected since it last opened to the network (0 while
       * closed); the laptop's own connections never count, since they do not pass its firewall.
       */
      readonly networkVisitors: number;
    }
  | {
      readonly ok: false;
      /** Why the laptop cannot host (its data folder cannot be opened, say). */
      readonly message: string;
    };

/** Ask main to open the local host to the network, or close it to this laptop only. */
export type LocalHostNetworkRequest = { readonly open: boolean };

/** The export formats whose files the renderer writes itself (PDF is printed by main instead). */
export type SaveExportFormat = Exclude<ExportFormat, 'pdf'>;

/** One file of an export, as the renderer wrote it (shared/report/export.ts `writeReportFiles`). */
export type SaveExportFile = {
  /** The file's name without folder, e.g. `Plan.csv`; main names the saved file from the dialog. */
  readonly name: string;
  readonly bytes: Uint8Array;
};

/**
 * Ask main to save an export's files where the user picks. The first file goes to the chosen
 * path; a CSV export's second file (the needs) goes beside it, named with `needsCsvName`.
 */
export type SaveExportRequest = {
  /** File name offered in the save dialog, without folder; main makes it safe and adds the extension. */
  readonly suggestedName: string;
  /** Any export format but `pdf`: `csv` carries exactly two files (actions, then needs), the others one. */
  readonly format: SaveExportFormat;
  readonly files: readonly SaveExportFile[];
};

/** Ask main to print a report page (shared/report/html.ts `writeHtml`) to a PDF the user picks. */
export type SavePdfRequest = {
  /** File name offered in the save dialog, without folder; main makes it safe and adds `.pdf`. */
  readonly suggestedName: string;
  /** The whole HTML document to print; main renders it with scripts and network off. */
  readonly html: string;
};

/** The outcome of an export save: every path written, or why nothing was written. */
export type SaveExportResponse =
  | { readonly ok: true; readonly paths: readonly string[] }
  | {
      readonly ok: false;
      /** `cancelled`: the user closed the dialog; `error`: the files could not be written. */
      readonly reason: 'cancelled' | 'error';
      /** A sentence to show to the user; present for `error`. */
      readonly message?: string;
    };

/**
 * Every IPC channel by its wire name, with the bridge method that calls it, the request (the one
 * argument after the channel, or `undefined` for none) and the response.
 *
 * Channel names are wire format between preload and main: never rename one.
 */
export type IpcContract = {
  'app:info': {
    readonly method: 'getAppInfo';
    readonly request: undefined;
    readonly response: AppInfo;
  };
  'workshop-file:save': {
    readonly method: 'saveWorkshopFile';
    readonly request: SaveWorkshopFileRequest;
    readonly response: SaveWorkshopFileResponse;
  };
  'workshop-file:open': {
    readonly method: 'openWorkshopFile';
    readonly request: undefined;
    readonly response: OpenWorkshopFileResponse;
  };
  /** A workshop file dropped on the window, by its path (the preload finds the path of the File). */
  'workshop-file:open-path': {
    readonly method: 'openDroppedFile';
    readonly request: string;
    readonly response: OpenWorkshopFileResponse;
  };
  'host:status': {
    readonly method: 'getLocalHost';
    readonly request: undefined;
    readonly response: LocalHostResponse;
  };
  'host:network': {
    readonly method: 'setLocalHostNetwork';
    readonly request: LocalHostNetworkRequest;
    readonly response: LocalHostResponse;
  };
  'export:save': {
    readonly method: 'saveExportFiles';
    readonly request: SaveExportRequest;
    readonly response: SaveExportResponse;
  };
  'export:pdf': {
    readonly method: 'saveExportPdf';
    readonly request: SavePdfRequest;
    readonly response: SaveExportResponse;
  };
};

/** A channel's wire name. */
export type IpcChannel = keyof IpcContract;

/** What a channel's handler receives once its arguments are parsed. */
export type IpcRequest<C extends IpcChannel> = IpcContract[C]['request'];

/** What a channel's handler resolves to. */
export type IpcResponse<C extends IpcChannel> = IpcContract[C]['response'];

/** The arguments sent after the channel name: none, or the one request. */
export type IpcArgs<C extends IpcChannel> = [IpcRequest<C>] extends [undefined]
  ? []
  : [request: IpcRequest<C>];

/** One bridge method per channel, calling it with the channel's request. */
type InvokeMethods = {
  readonly [C in IpcChannel as IpcContract[C]['method']]: (...args: IpcArgs<C>) => Promise<IpcResponse<C>>;
};

/**
 * What the preload exposes as `window.talkoo`: one method per channel, nothing else.
 * (`getAppInfo()`, `saveWorkshopFile(request)`, `openWorkshopFile()`, `getLocalHost()`,
 * `setLocalHostNetwork(request)`, `saveExportFiles(request)`, `saveExportPdf(request)`), except:
 *
 * - `openDroppedFile(file)` takes the dropped `File` itself, not a path: the preload asks Electron
 *   for its path on disk and calls `workshop-file:open-path` with it. It rejects when the file
 *   has no path on disk (dragged from a web page, say) or its name does not end in `.talkoo`.
 * - `onDesktopEvent(listener)` hears what main sends unasked ({@link DesktopEvent}); the listener
 *   gets only the event, and the returned function stops listening.
 */
export type TalkooBridge = Omit<InvokeMethods, 'openDroppedFile'> & {
  readonly openDroppedFile: (file: unknown) => Promise<OpenWorkshopFileResponse>;
  readonly onDesktopEvent: (listener: (event: DesktopEvent) => void) => () => void;
};

/**
 * Bridge method name → channel wire name, for the preload. The type makes the compiler demand
 * exactly one entry per channel of {@link IpcContract}. Values are wire format: never rename.
 */
export const IPC_CHANNELS: { readonly [C in IpcChannel as IpcContract[C]['method']]: C } = {
  getAppInfo: 'app:info',
  saveWorkshopFile: 'workshop-file:save',
  openWorkshopFile: 'workshop-file:open',
  openDroppedFile: 'workshop-file:open-path',
  getLocalHost: 'host:status',
  setLocalHostNetwork: 'host:network',
  saveExportFiles: 'export:save',
  saveExportPdf: 'export:pdf',
};

/** Longest workshop title accepted over IPC, in UTF-16 code units. */
export const MAX_TITLE_LENGTH = 500;

/** Longest suggested file name accepted over IPC, in UTF-16 code units. */
export const MAX_SUGGESTED_NAME_LENGTH = 255;

/** Largest export file accepted over IPC, in bytes (64 MiB: far above any real action plan). */
export const MAX_EXPORT_FILE_BYTES = 64 * 1024 * 1024;

/** Longest report HTML accepted for printing to PDF, in UTF-16 code units (32 Mi). */
export const MAX_EXPORT_HTML_LENGTH = 32 * 1024 * 1024;

/** Longest export file name accepted over IPC, in UTF-16 code units. */
export const MAX_EXPORT_FILE_NAME_LENGTH = 255;

/** Longest workshop file path accepted over IPC, in UTF-16 code units (Windows' long paths). */
export const MAX_WORKSHOP_PATH_LENGTH = 32_767;

/**
 * Parses the arguments of a channel that takes none.
 *
 * @param args - The raw arguments after the channel name, as `ipcMain.handle` receives them.
 */
export function parseNoArguments(args: readonly unknown[]): Result<undefined, ParseError> {
  return args.length === 0
    ? ok(undefined)
    : fail({ path: '', message: `expected no arguments, got ${args.length}` });
}

/** The arguments of a channel that takes one request object: that object, or why not. */
function oneRequestObject(args: readonly unknown[]): Result<Readonly<Record<string, unknown>>, ParseError> {
  if (args.length !== 1) {
    return fail({ path: '', message: `expected one request object, got ${args.length} arguments` });
  }
  const [raw] = args;
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    return fail({ path: '', message: 'expected a request object' });
  }
  return ok(raw as Readonly<Record<string, unknown>>);
}

/**
 * Parses the arguments of `workshop-file:save`: exactly one object with a bounded
 * `suggestedName` and `title` and a `state` of bytes. Unknown fields are dropped.
 *
 * @param args - The raw arguments after the channel name, as `ipcMain.handle` receives them.
 */
export function parseSaveWorkshopFileRequest(
  args: readonly unknown[],
): Result<SaveWorkshopFileRequest, ParseError> {
  const request = oneRequestObject(args);
  if (!request.ok) return request;
  const raw = request.value;
  const { suggestedName, title, state } = raw;

  if (typeof suggestedName !== 'string') {
    return fail({ path: 'suggestedName', message: 'must be a string' });
  }
  if (suggestedName.length > MAX_SUGGESTED_NAME_LENGTH) {
    return fail({
      path: 'suggestedName',
      message: `must be at most ${MAX_SUGGESTED_NAME_LENGTH} characters`,
    });
  }
  if (typeof title !== 'string') return fail({ path: 'title', message: 'must be a string' });
  if (title.length > MAX_TITLE_LENGTH) {
    return fail({ path: 'title', message: `must be at most ${MAX_TITLE_LENGTH} characters` });
  }
  if (!(state instanceof Uint8Array)) {
    return fail({ path: 'state', message: 'must be bytes (a Uint8Array)' });
  }
  if (state.length > MAX_WORKSHOP_STATE_BYTES) {
    return fail({ path: 'state', message: `must be at most ${MAX_WORKSHOP_STATE_BYTES} bytes` });
  }
  const workshop = raw.workshop ?? null;
  if (workshop !== null && (typeof workshop !== 'string' || !WORKSHOP_ROOM_NAME.test(workshop))) {
    return fail({ path: 'workshop', message: 'must be a workshop room name (w-<uuid>) or null' });
  }
  const origin = raw.origin ?? null;
  if (origin !== null && (typeof origin !== 'string' || !isServerOrigin(origin))) {
    return fail({ path: 'origin', message: 'must be an http(s) origin or null' });
  }
  return ok({ suggestedName, title, state, workshop, origin });
}

/**
 * True when Windows reaches the network or a device to open `filePath` rather than a local disk:
 * a UNC path (`\\server\share\…`, where Windows signs in to the server with the user's
 * credentials), a `\\?\` or `\\.\` device path, with either slash. Such a path given to
 * main by anyone but the OS (its open dialog, a double-click) is refused, and main never checks
 * one on its own (building the Open Recent menu): an unreachable host makes it wait.
 */
export function isNetworkPath(filePath: string): boolean {
  return /^[\\/][\\/]/.test(filePath);
}

/**
 * What dropping the file at `filePath` answers when it is on a network share: main refuses such a
 * path from the page, and the open dialog opens it. Null for a file on this computer. The
 * preload asks this before main, so the user hears why and what to do instead.
 */
export function refuseNetworkDrop(filePath: string): OpenWorkshopFileResponse | null {
  if (!isNetworkPath(filePath)) return null;
  const name = fileNameIn(filePath);
  return {
    ok: false,
    reason: 'error',
    problem: 'network',
    // The renderer says why in the user's language (`problem`) and adds this: where the file is.
    message: `Could not open ${name}. ${filePath} is on a network share.`,
  };
}

/**
 * A plain path to a file on this computer: not a network or device path ({@link isNetworkPath});
 * on Windows (a drive letter) neither a reserved device name such as `NUL.talkoo` nor a
 * `file:stream` alternate data stream.
 */
function isLocalFilePath(filePath: string): boolean {
  if (isNetworkPath(filePath)) return false;
  if (!/^[A-Za-z]:/.test(filePath)) return true;
  return (
    !filePath.includes(':', 2) &&
    !/^(con|conin\$|conout\$|prn|aux|nul|com[0-9¹²³]|lpt[0-9¹²³])(\.|$)/i.test(fileNameIn(filePath))
  );
}

/** The last part of a path, after its last slash of either kind. */
function fileNameIn(filePath: string): string {
  return filePath.slice(filePath.search(/[^\\/]*$/));
}

/**
 * Parses the arguments of `workshop-file:open-path`: exactly one string, a plain absolute path to
 * a file on this computer (`/…` on macOS and Linux, `C:\…` on Windows; never a network or device
 * path, see {@link isNetworkPath}, nor a Windows device name) ending in `.talkoo` in any case, at
 * most {@link MAX_WORKSHOP_PATH_LENGTH} code units, without control characters.
 *
 * @param args - The raw arguments after the channel name, as `ipcMain.handle` receives them.
 */
export function parseWorkshopPathRequest(args: readonly unknown[]): Result<string, ParseError> {
  if (args.length !== 1)
    return fail({ path: '', message: `expected one path, got ${args.length} arguments` });
  const [raw] = args;
  if (typeof raw !== 'string') return fail({ path: '', message: 'the path must be a string' });
  if (raw.length > MAX_WORKSHOP_PATH_LENGTH) {
    return fail({ path: '', message: `the path must be at most ${MAX_WORKSHOP_PATH_LENGTH} characters` });
  }
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(raw)) {
    return fail({ path: '', message: 'the path must not hold control characters' });
  }
  if (!isLocalFilePath(raw)) {
    return fail({
      path: '',
      message: 'the path must be a file on this computer, not a network share or a device',
    });
  }
  if (!/^(\/|[A-Za-z]:[\\/])/.test(raw)) {
    return fail({ path: '', message: 'the path must be absolute' });
  }
  if (!raw.toLowerCase().endsWith(`.${WORKSHOP_FILE_EXTENSION}`)) {
    return fail({ path: '', message: `the path must end in .${WORKSHOP_FILE_EXTENSION}` });
  }
  return ok(raw);
}

/**
 * Parses the arguments of `host:network`: exactly one object with a boolean `open`.
 *
 * @param args - The raw arguments after the channel name, as `ipcMain.handle` receives them.
 */
export function parseLocalHostNetworkRequest(
  args: readonly unknown[],
): Result<LocalHostNetworkRequest, ParseError> {
  const request = oneRequestObject(args);
  if (!request.ok) return request;
  const open = request.value['open'];
  return typeof open === 'boolean' ? ok({ open }) : fail({ path: 'open', message: 'must be true or false' });
}

/** A suggested file name: a bounded string (main makes it safe before offering it). */
function parseSuggestedName(value: unknown): Result<string, ParseError> {
  if (typeof value !== 'string') return fail({ path: 'suggestedName', message: 'must be a string' });
  if (value.length > MAX_SUGGESTED_NAME_LENGTH) {
    return fail({
      path: 'suggestedName',
      message: `must be at most ${MAX_SUGGESTED_NAME_LENGTH} characters`,
    });
  }
  return ok(value);
}

/** One export file: a plain name (no folder, no control characters) and bounded bytes. */
function parseExportFile(value: unknown, at: string): Result<SaveExportFile, ParseError> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return fail({ path: at, message: 'must be an object with a name and bytes' });
  }
  const { name, bytes } = value as Readonly<Record<string, unknown>>;
  if (typeof name !== 'string') return fail({ path: `${at}.name`, message: 'must be a string' });
  if (name.length === 0 || name.length > MAX_EXPORT_FILE_NAME_LENGTH) {
    return fail({ path: `${at}.name`, message: `must be 1 to ${MAX_EXPORT_FILE_NAME_LENGTH} characters` });
  }
  // A name, never a path: main decides the folder from the save dialog alone.
  // eslint-disable-next-line no-control-regex
  if (/[/\\\u0000-\u001f\u007f]/.test(name) || name === '.' || name === '..') {
    return fail({ path: `${at}.name`, message: 'must be a file name without folders or control characters' });
  }
  if (!(bytes instanceof Uint8Array))
    return fail({ path: `${at}.bytes`, message: 'must be bytes (a Uint8Array)' });
  if (bytes.length > MAX_EXPORT_FILE_BYTES) {
    return fail({ path: `${at}.bytes`, message: `must be at most ${MAX_EXPORT_FILE_BYTES} bytes` });
  }
  return ok({ name, bytes });
}

/**
 * Parses the arguments of `export:save`: exactly one object with a bounded `suggestedName`, a
 * `format` of {@link EXPORT_FORMATS} other than `pdf`, and `files`: two for `csv` (actions, then
 * needs), one for every other format, each a plain file name and at most
 * {@link MAX_EXPORT_FILE_BYTES} bytes. Unknown fields are dropped.
 *
 * @param args - The raw arguments after the channel name, as `ipcMain.handle` receives them.
 */
export function parseSaveExportRequest(args: readonly unknown[]): Result<SaveExportRequest, ParseError> {
  const request = oneRequestObject(args);
  if (!request.ok) return request;
  const raw = request.value;
  const suggestedName = parseSuggestedName(raw['suggestedName']);
  if (!suggestedName.ok) return suggestedName;

  const format = raw['format'];
  const formats: readonly unknown[] = EXPORT_FORMATS.filter((known) => known !== 'pdf');
  if (!formats.includes(format)) {
    return fail({
      path: 'format',
      message:
        format === 'pdf' ? 'pdf is printed by main: use export:pdf' : `must be one of ${formats.join(', ')}`,
    });
  }
  const saveFormat = format as SaveExportFormat;

  const files = raw['files'];
  if (!Array.isArray(files)) return fail({ path: 'files', message: 'must be an array' });
  const expected = saveFormat === 'csv' ? 2 : 1;
  if (files.length !== expected) {
    return fail({
      path: 'files',
      message: `must hold ${expected === 1 ? 'one file' : 'two files'} for ${saveFormat}, got ${files.length}`,
    });
  }
  const parsed: SaveExportFile[] = [];
  for (const [index, file] of files.entries()) {
    const one = parseExportFile(file, `files[${index}]`);
    if (!one.ok) return one;
    parsed.push(one.value);
  }
  return ok({ suggestedName: suggestedName.value, format: saveFormat, files: parsed });
}

/**
 * Parses the arguments of `export:pdf`: exactly one object with a bounded `suggestedName` and
 * an `html` string of at most {@link MAX_EXPORT_HTML_LENGTH} code units. Unknown fields are dropped.
 *
 * @param args - The raw arguments after the channel name, as `ipcMain.handle` receives them.
 */
export function parseSavePdfRequest(args: readonly unknown[]): Result<SavePdfRequest, ParseError> {
  const request = oneRequestObject(args);
  if (!request.ok) return request;
  const suggestedName = parseSuggestedName(request.value['suggestedName']);
  if (!suggestedName.ok) return suggestedName;
  const html = request.value['html'];
  if (typeof html !== 'string') return fail({ path: 'html', message: 'must be a string' });
  if (html.length > MAX_EXPORT_HTML_LENGTH) {
    return fail({ path: 'html', message: `must be at most ${MAX_EXPORT_HTML_LENGTH} characters` });
  }
  return ok({ suggestedName: suggestedName.value, html });
}

/**
 * The parser of each channel's raw arguments. The type makes the compiler demand one per
 * channel, so main can never handle a channel whose arguments it does not check.
 */
export const IPC_REQUEST_PARSERS: {
  readonly [C in IpcChannel]: (args: readonly unknown[]) => Result<IpcRequest<C>, ParseError>;
} = {
  'app:info': parseNoArguments,
  'workshop-file:save': parseSaveWorkshopFileRequest,
  'workshop-file:open': parseNoArguments,
  'workshop-file:open-path': parseWorkshopPathRequest,
  'host:status': parseNoArguments,
  'host:network': parseLocalHostNetworkRequest,
  'export:save': parseSaveExportRequest,
  'export:pdf': parseSavePdfRequest,
};

/** Every channel's wire name, e.g. to register or remove all handlers. */
export function ipcChannels(): IpcChannel[] {
  return Object.values(IPC_CHANNELS);
}
