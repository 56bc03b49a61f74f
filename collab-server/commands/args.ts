/**
 * The `talkoo` command line's arguments: `import`, `export` and help. Parsing only; a bad flag or
 * value is a {@link UsageError} (exit code 2), with a message that says what to type instead.
 */
import { extname } from 'node:path';
import { EXPORT_FORMATS, type ExportFormat } from '../../shared/report/export';
import { REPORT_SECTIONS, type ReportSection } from '../../shared/report/model';
import { LANGUAGES, type Language } from '../../shared/model/schema';

/** A mistake in how the command was called (exit code 2). */
export class UsageError extends Error {}

/** `talkoo --help`, `talkoo help [import|export]`, or no arguments at all. */
export type HelpCommand = { readonly command: 'help' };

/** `talkoo import FILE --out W.talkoo [--lang en] [--title T]`. */
export type ImportCommand = {
  readonly command: 'import';
  readonly file: string;
  readonly out: string;
  /** Language of a CSV import's workshop (an outline names its own); null when not given. */
  readonly language: Language | null;
  /** Title of a CSV import's workshop; null: from the file name. */
  readonly title: string | null;
};

/** Where `export` reads the workshop from. */
export type ExportSource =
  | { readonly kind: 'file'; readonly path: string }
  | {
      readonly kind: 'room';
      readonly server: string;
      readonly room: string;
      readonly token: string;
      readonly timeoutMs: number;
    };

/** `talkoo export (W.talkoo | --server URL --room ROOM --token TOKEN) --format F --out PATH …`. */
export type ExportCommand = {
  readonly command: 'export';
  readonly source: ExportSource;
  readonly format: ExportFormat;
  readonly out: string;
  /** null: the workshop's own language. */
  readonly language: Language | null;
  /** null: every section. */
  readonly sections: readonly ReportSection[] | null;
  readonly showVotes: boolean;
  readonly showAuthors: boolean;
  /**
   * What the document covers: one work package (named by its id or title, resolved against the
   * workshop when it is read) or one owner's actions; null for the whole plan.
   */
  readonly scope: ExportScopeArg;
};

/** `--package WP` or `--owner NAME` as given. */
export type ExportScopeArg =
  | { readonly kind: 'package'; readonly package: string }
  | { readonly kind: 'owner'; readonly owner: string }
  | null;

export type TalkooCommand = HelpCommand | ImportCommand | ExportCommand;

/** How long `export --server` waits for the room by default, seconds. */
export const DEFAULT_ROOM_TIMEOUT_SECONDS = 30;

export const USAGE = `Usage:
  talkoo import FILE --out W.talkoo [--lang fi|sv|et|en] [--title TITLE]
      FILE is a workshop outline (JSON) or a notes CSV (text, stakeholder group, municipality).
      --lang and --title name a CSV import's workshop (default: English, the file's name).

  talkoo export W.talkoo --format FORMAT --out PATH [options]
  talkoo export --server URL --room ROOM --token TOKEN --format FORMAT --out PATH [options]
      FORMAT: ${EXPORT_FORMATS.join(', ')} (default: from the extension of PATH)
      --lang fi|sv|et|en     language of the document (default: the workshop's)
      --sections LIST        comma-separated, of ${REPORT_SECTIONS.join(', ')} (default: all)
      --no-votes             leave out dot-vote counts
      --authors              name the author of each need (default: anonymous)
      --package WP           only one work package's actions (its title or id)
      --owner NAME           only the actions NAME owns
      --timeout SECONDS      how long to wait for a live room (default: ${DEFAULT_ROOM_TIMEOUT_SECONDS})
      The token may also come from the TALKOO_TOKEN environment variable.
      csv writes PATH (the actions) and PATH with -needs before the extension (the needs).
      pdf needs Chromium or Chrome: set CHROME_PATH to its executable if it is not found.

  talkoo --help
`;

/** Output extension → format, for `--out plan.docx` without `--format`. */
const FORMAT_OF_EXTENSION: Readonly<Record<string, ExportFormat>> = {
  '.docx': 'docx',
  '.pdf': 'pdf',
  '.xlsx': 'xlsx',
  '.md': 'md',
  '.csv': 'csv',
  '.json': 'outline',
};

const COMMAND_FLAGS = {
  import: { values: ['--out', '--lang', '--title'], booleans: [] },
  export: {
    values: [
      '--format',
      '--out',
      '--lang',
      '--sections',
      '--server',
      '--room',
      '--token',
      '--timeout',
      '--package',
      '--owner',
    ],
    booleans: ['--no-votes', '--authors'],
  },
} as const;

type Parsed = { positionals: string[]; values: Map<string, string>; booleans: Set<string> };

function splitArgs(command: keyof typeof COMMAND_FLAGS, args: readonly string[]): Parsed {
  const known = COMMAND_FLAGS[command];
  const values = new Map<string, string>();
  const booleans = new Set<string>();
  const positionals: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] ?? '';
    if (arg === '--') {
      positionals.push(...args.slice(i + 1));
      break;
    }
    if (!arg.startsWith('-') || arg === '-') {
      positionals.push(arg);
      continue;
    }
    const eq = arg.indexOf('=');
    const flag = eq > 0 ? arg.slice(0, eq) : arg;
    if ((known.booleans as readonly string[]).includes(flag)) {
      if (eq > 0) throw new UsageError(`${flag} takes no value`);
      booleans.add(flag);
    } else if ((known.values as readonly string[]).includes(flag)) {
      const value = eq > 0 ? arg.slice(eq + 1) : args[++i];
      if (value === undefined || value === '') throw new UsageError(`${flag} needs a value`);
      if (values.has(flag)) throw new UsageError(`${flag} is given twice`);
      values.set(flag, value);
    } else {
      throw new UsageError(`unknown option ${flag} for ${command} (see talkoo --help)`);
    }
  }
  return { positionals, values, booleans };
}

function parseLanguage(value: string | undefined): Language | null {
  if (value === undefined) return null;
  if (!(LANGUAGES as readonly string[]).includes(value))
    throw new UsageError(`--lang must be one of ${LANGUAGES.join(', ')}, not "${value}"`);
  return value as Language;
}

function onePositional(parsed: Parsed, what: string, command: string): string | undefined {
  if (parsed.positionals.length > 1)
    throw new UsageError(`${command} takes one ${what}, not ${parsed.positionals.length}`);
  return parsed.positionals[0];
}

function parseImport(args: readonly string[]): ImportCommand {
  const parsed = splitArgs('import', args);
  const file = onePositional(parsed, 'file', 'import');
  if (file === undefined) throw new UsageError('import needs a FILE (an outline JSON or a notes CSV)');
  const out = parsed.values.get('--out');
  if (out === undefined) throw new UsageError('import needs --out W.talkoo');
  return {
    command: 'import',
    file,
    out,
    language: parseLanguage(parsed.values.get('--lang')),
    title: parsed.values.get('--title') ?? null,
  };
}

function parseSections(value: string | undefined): ReportSection[] | null {
  if (value === undefined) return null;
  const sections = value
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  const unknown = sections.find((s) => !(REPORT_SECTIONS as readonly string[]).includes(s));
  if (unknown !== undefined || sections.length === 0)
    throw new UsageError(
      `--sections lists sections of ${REPORT_SECTIONS.join(', ')}` +
        (unknown === undefined ? '' : `; "${unknown}" is not one`),
    );
  return sections as ReportSection[];
}

function parseExport(
  args: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
): ExportCommand {
  const parsed = splitArgs('export', args);
  const { values } = parsed;
  const file = onePositional(parsed, 'workshop file', 'export');
  const out = values.get('--out');
  if (out === undefined) throw new UsageError('export needs --out PATH');

  const formatText = values.get('--format');
  let format: ExportFormat | undefined;
  if (formatText !== undefined) {
    if (!(EXPORT_FORMATS as readonly string[]).includes(formatText))
      throw new UsageError(`--format must be one of ${EXPORT_FORMATS.join(', ')}, not "${formatText}"`);
    format = formatText as ExportFormat;
  } else {
    format = FORMAT_OF_EXTENSION[extname(out).toLowerCase()];
    if (format === undefined)
      throw new UsageError(`export needs --format (${EXPORT_FORMATS.join(', ')}): ${out} does not say`);
  }

  const server = values.get('--server');
  const roomFlags = ['--room', '--token', '--timeout'].filter((f) => values.has(f));
  let source: ExportSource;
  if (server === undefined) {
    if (roomFlags.length) throw new UsageError(`${roomFlags[0]} goes with --server`);
    if (file === undefined)
      throw new UsageError(
        'export needs a workshop file (W.talkoo) or --server URL --room ROOM --token TOKEN',
      );
    source = { kind: 'file', path: file };
  } else {
    if (file !== undefined) throw new UsageError(`export reads ${file} or --server, not both`);
    if (!/^(https?|wss?):\/\/[^/]/i.test(server))
      throw new UsageError(`--server must be a URL such as http://127.0.0.1:4455, not "${server}"`);
    const room = values.get('--room');
    if (room === undefined) throw new UsageError('export --server needs --room ROOM');
    const token = values.get('--token') ?? env['TALKOO_TOKEN'];
    if (token === undefined || token === '')
      throw new UsageError('export --server needs --token TOKEN (or TALKOO_TOKEN in the environment)');
    const timeoutText = values.get('--timeout') ?? String(DEFAULT_ROOM_TIMEOUT_SECONDS);
    const timeout = Number(timeoutText);
    if (!/^\d+(\.\d+)?$/.test(timeoutText) || timeout <= 0)
      throw new UsageError(`--timeout must be a number of seconds, not "${timeoutText}"`);
    source = { kind: 'room', server, room, token, timeoutMs: timeout * 1000 };
  }

  const pkg = values.get('--package');
  const owner = values.get('--owner');
  if (pkg !== undefined && owner !== undefined)
    throw new UsageError('export takes --package or --owner, not both');
  const scope: ExportScopeArg =
    pkg !== undefined
      ? { kind: 'package', package: pkg }
      : owner !== undefined
        ? { kind: 'owner', owner }
        : null;

  return {
    command: 'export',
    source,
    format,
    out,
    language: parseLanguage(values.get('--lang')),
    sections: parseSections(values.get('--sections')),
    showVotes: !parsed.booleans.has('--no-votes'),
    showAuthors: parsed.booleans.has('--authors'),
    scope,
  };
}

/**
 * Parses argv (without node and the script). `env` supplies TALKOO_TOKEN.
 * @throws UsageError on an unknown command or flag, a missing or bad value.
 */
export function parseTalkooArgs(
  argv: readonly string[],
  env: Readonly<Record<string, string | undefined>> = {},
): TalkooCommand {
  const [command, ...rest] = argv;
  if (command === undefined || command === 'help' || command === '--help' || command === '-h')
    return { command: 'help' };
  if (rest.includes('--help') || rest.includes('-h')) return { command: 'help' };
  if (command === 'import') return parseImport(rest);
  if (command === 'export') return parseExport(rest, env);
  if (command.startsWith('-')) throw new UsageError(`unknown option ${command} (see talkoo --help)`);
  throw new UsageError(`unknown command "${command}": use import or export (see talkoo --help)`);
}
