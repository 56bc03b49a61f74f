/**
 * JSON-lines logging. Callers pass plain fields; nothing here ever receives a token (connections
 * are logged by room, role and a connection number), and `redact` strips any field named like one.
 */

export type LogLevel = 'info' | 'warn' | 'error';
export type Logger = (level: LogLevel, message: string, fields?: Record<string, unknown>) => void;

const SECRET_FIELD = /token|key|secret|authorization/i;

/** Drops fields whose names suggest a secret and token-shaped query strings inside values. */
export function redact(fields: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(fields)) {
    if (SECRET_FIELD.test(name)) continue;
    out[name] = typeof value === 'string' ? value.replace(/([?&#]token=)[^&\s]*/g, '$1[redacted]') : value;
  }
  return out;
}

/** A logger writing one JSON object per line to `write` (stdout by default). */
export function jsonLogger(write: (line: string) => void = (line) => process.stdout.write(line)): Logger {
  return (level, message, fields = {}) => {
    write(`${JSON.stringify({ time: new Date().toISOString(), level, message, ...redact(fields) })}\n`);
  };
}

/** A logger that drops everything (tests, benchmarks). */
export const silentLogger: Logger = () => undefined;
