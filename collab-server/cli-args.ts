/** Command-line flags of the server. */

/** Parsed command line. */
export type CliOptions = {
  host: string;
  port: number;
  staticDir?: string;
  examples: boolean;
  /** Rooms to create from outline files (`--import ROOM=FILE`). */
  imports: { room: string; path: string }[];
};

/** Parses argv (without node and script); throws with a clear message on a bad flag. */
export function parseCli(argv: readonly string[]): CliOptions {
  const options: CliOptions = { host: '127.0.0.1', port: 4455, examples: false, imports: [] };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    const value = (): string => {
      const next = argv[++i];
      if (next === undefined) throw new Error(`${flag} needs a value`);
      return next;
    };
    switch (flag) {
      case '--host':
        options.host = value();
        break;
      case '--port': {
        const port = Number(value());
        if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`--port must be 0–65535`);
        options.port = port;
        break;
      }
      case '--static':
        options.staticDir = value();
        break;
      case '--examples':
        options.examples = true;
        break;
      case '--import': {
        const spec = value();
        const eq = spec.indexOf('=');
        if (eq <= 0 || eq === spec.length - 1) throw new Error(`--import takes ROOM=FILE, not "${spec}"`);
        options.imports.push({ room: spec.slice(0, eq), path: spec.slice(eq + 1) });
        break;
      }
      default:
        throw new Error(`unknown option ${flag}`);
    }
  }
  return options;
}
