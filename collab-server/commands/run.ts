/**
 * The `talkoo` command as a function of its arguments, so tests run it in-process: it prints to
 * the given streams and returns the exit code (0 done, 1 failed, 2 called wrongly). Errors are
 * one `talkoo: …` message on stderr, never a stack trace.
 */
import { parseTalkooArgs, UsageError, USAGE } from './args';
import { runExport } from './export-command';
import { runImport } from './import-command';

/** Where the command prints. */
export type CommandIo = {
  readonly stdout: { write(text: string): unknown };
  readonly stderr: { write(text: string): unknown };
  readonly env: Readonly<Record<string, string | undefined>>;
};

/** Runs `talkoo` with `argv` (without node and the script); resolves with the exit code. */
export async function runTalkoo(argv: readonly string[], io: CommandIo): Promise<number> {
  try {
    const command = parseTalkooArgs(argv, io.env);
    if (command.command === 'help') {
      io.stdout.write(USAGE);
      return 0;
    }
    if (command.command === 'import') {
      const result = await runImport(command);
      const counts =
        result.kind === 'csv'
          ? `${result.needs} needs`
          : `${result.needs} needs, ${result.themes} themes, ${result.actions} actions`;
      io.stdout.write(`wrote ${command.out} (${counts})\n`);
      return 0;
    }
    const written = await runExport(command);
    io.stdout.write(`wrote ${written.join(' and ')}\n`);
    return 0;
  } catch (error) {
    if (error instanceof UsageError) {
      io.stderr.write(`talkoo: ${error.message}\n`);
      return 2;
    }
    io.stderr.write(`talkoo: ${(error as Error).message}\n`);
    if (io.env['TALKOO_DEBUG']) io.stderr.write(`${(error as Error).stack ?? ''}\n`);
    return 1;
  }
}
