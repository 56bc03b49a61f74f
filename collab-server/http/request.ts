/**
 * Reading an API request: its bearer token, its body within a size limit, a JSON object body and
 * its text fields, each refused with a precise {@link ApiError} (http/api-error.ts).
 */
import type { IncomingMessage } from 'node:http';
import { ApiError } from './api-error';

/** Longest JSON request body accepted, bytes. */
export const MAX_BODY = 64 * 1024;

/** The token of `Authorization: Bearer TOKEN`, or null. */
export function bearer(req: IncomingMessage): string | null {
  const header = req.headers.authorization ?? '';
  const match = /^Bearer\s+(\S+)$/i.exec(header);
  return match?.[1] ?? null;
}

/** The request body; refused (413) past `max` bytes. */
export async function readBody(req: IncomingMessage, max: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > max)
      throw new ApiError(413, 'body-too-large', `The request body is larger than ${max} bytes.`, { max });
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

/** The request body as a JSON object (an empty body is `{}`). */
export async function readJson(req: IncomingMessage): Promise<Record<string, unknown>> {
  const body = await readBody(req, MAX_BODY);
  let value: unknown;
  try {
    value = JSON.parse(body.toString('utf8') || '{}');
  } catch {
    throw new ApiError(400, 'body-not-json', 'The request body is not valid JSON.');
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new ApiError(400, 'body-not-object', 'The request body must be a JSON object.');
  }
  return value as Record<string, unknown>;
}

/** A non-empty text field of at most `max` characters, trimmed. */
export function text(body: Record<string, unknown>, field: string, max: number, fallback?: string): string {
  const value = body[field] ?? fallback;
  if (typeof value !== 'string' || value.trim() === '')
    throw new ApiError(400, 'field-empty', `${field}: must be non-empty text.`, { field });
  if (value.length > max)
    throw new ApiError(400, 'field-too-long', `${field}: at most ${max} characters.`, { field, max });
  return value.trim();
}
