/**
 * The version history API, for a room's facilitators only (the server decides, whatever a page
 * shows):
 *   GET  /api/workshops/:room/versions              → { versions: [{ id, time, trigger, present, bytes }] }, newest first
 *   GET  /api/workshops/:room/versions/:id          → the version's Yjs state (application/octet-stream)
 *   GET  /api/workshops/:room/versions/:id/file     → the version as a .talkoo file (attachment)
 *   POST /api/workshops/:room/versions/:id/restore  → { restored, before, notice }: written over the room in place,
 *                                                    with who restored it (the document's lastRestore, id `notice`)
 *   POST /api/workshops/:room/versions/:id/copy     { title? } → { room, title, facilitatorToken, facilitatorUrl }
 * Errors are JSON `{ error, code, ...fields }` as the rest of the API's (http/api-error.ts), with the
 * API's CORS headers (the desktop app calls from file://).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import * as Y from 'yjs';
import { readMeta } from '../../shared/model/read';
import { forgetRestoreNotice } from '../../shared/model/restore';
import { setWorkshopTitle } from '../../shared/model/write';
import type { Result } from '../../shared/result';
import { encodeWorkshopFile } from '../../shared/workshop-file';
import type { TokenClaims } from '../auth/tokens';
import type { RoomManager } from '../rooms/room-manager';
import { CORS_HEADERS, joinUrl } from './api';
import { ApiError, notStored, sendApiError, sendJson, tokenRefusal } from './api-error';
import { SECURITY_HEADERS } from './static-files';

/** What the history API needs from the server. */
export type HistoryApiContext = {
  /** Checks a bearer token for `room` (signature, expiry and whatever else the server checks). */
  readonly verify: (token: string | null, room: string) => Result<TokenClaims, string>;
  /** A new facilitator token for a new room, made at the request of `by`. */
  readonly facilitatorToken: (room: string, by: TokenClaims) => Promise<string>;
  readonly rooms: RoomManager;
  /** Base URL of join links, read per request (known once the server listens). */
  readonly publicUrl: () => string;
};

const ROUTE = /^\/api\/workshops\/([A-Za-z0-9_.-]{1,128})\/versions(?:\/([^/]*)(?:\/(file|restore|copy))?)?$/;
/** Version ids as the history makes them: 15-digit time, '-', 6 hex digits. */
const VERSION_ID = /^\d{15}-[0-9a-f]{6}$/;
const MAX_TITLE = 200;
/** Longest request body accepted (a copy's title), bytes. */
const MAX_BODY = 4096;

function bearer(req: IncomingMessage): string | null {
  return /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '')?.[1] ?? null;
}

/** The caller's claims, when they are a facilitator of `room`; throws the refusal otherwise. */
function facilitator(ctx: HistoryApiContext, req: IncomingMessage, room: string): TokenClaims {
  const verdict = ctx.verify(bearer(req), room);
  if (!verdict.ok) throw tokenRefusal(verdict.error);
  if (verdict.value.role !== 'facilitator')
    throw new ApiError(
      403,
      'not-facilitator',
      'Only a facilitator of this workshop can use its version history.',
    );
  return verdict.value;
}

async function readTitle(req: IncomingMessage): Promise<string | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY)
      throw new ApiError(413, 'body-too-large', `The request body is larger than ${MAX_BODY} bytes.`, {
        max: MAX_BODY,
      });
    chunks.push(chunk);
  }
  const text = Buffer.concat(chunks).toString('utf8').trim();
  if (!text) return undefined;
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw new ApiError(400, 'body-not-json', 'The request body is not valid JSON.');
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body))
    throw new ApiError(400, 'body-not-object', 'The request body must be a JSON object.');
  const title = (body as Record<string, unknown>).title;
  if (title === undefined) return undefined;
  if (typeof title !== 'string' || !title.trim())
    throw new ApiError(400, 'field-empty', 'title: must be non-empty text.', { field: 'title' });
  if (title.length > MAX_TITLE)
    throw new ApiError(400, 'field-too-long', `title: at most ${MAX_TITLE} characters.`, {
      field: 'title',
      max: MAX_TITLE,
    });
  return title.trim();
}

/** A version's state, or a 404 in words. */
async function versionState(ctx: HistoryApiContext, room: string, id: string): Promise<Uint8Array> {
  const state = await ctx.rooms.history.load(room, id);
  if (!state) throw new ApiError(404, 'version-not-found', 'There is no such version of this workshop.');
  return state;
}

function docOf(state: Uint8Array): Y.Doc {
  const doc = new Y.Doc();
  Y.applyUpdate(doc, state);
  return doc;
}

function sendBytes(res: ServerResponse, bytes: Uint8Array, headers: Record<string, string>): void {
  res.writeHead(200, {
    ...SECURITY_HEADERS,
    'Content-Type': 'application/octet-stream',
    'Content-Length': String(bytes.byteLength),
    'Cache-Control': 'no-store',
    ...headers,
  });
  res.end(bytes);
}

/**
 * The Content-Disposition of a version's file: its title and time, in ASCII for old clients and
 * in UTF-8 (RFC 6266) for the rest, since titles are Finnish, Swedish or Estonian.
 */
function attachment(title: string, time: number): string {
  const base =
    title
      .replace(/[^\p{L}\p{N} _-]+/gu, '')
      .trim()
      .slice(0, 80) || 'workshop';
  const name = `${base} ${new Date(time).toISOString().slice(0, 16).replace(':', '-')}.talkoo`;
  const ascii = name
    .normalize('NFD')
    .replace(/[^\x20-\x7e]/g, '')
    .replace(/"/g, '');
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(name)}`;
}

async function restore(ctx: HistoryApiContext, room: string, id: string, by: TokenClaims): Promise<unknown> {
  const live = await ctx.rooms.acquire(room);
  try {
    let done;
    try {
      // Who asked is whom the token names (and how they show in the room), never the body.
      done = await ctx.rooms.history.restore(live, id, { link: by.id, name: by.name });
    } catch (error) {
      // Its state before is kept first, so the restore can be undone: without it, nothing is done.
      throw notStored(
        'restore-not-stored',
        error,
        (detail) =>
          `The workshop was not restored: the server could not store its current state as a version first (${detail}). Nothing was changed; try again once the server can store changes.`,
      );
    }
    if (!done) throw new ApiError(404, 'version-not-found', 'There is no such version of this workshop.');
    return { restored: id, before: done.before.id, notice: done.notice.id };
  } finally {
    ctx.rooms.release(room);
  }
}

async function copy(
  ctx: HistoryApiContext,
  room: string,
  id: string,
  by: TokenClaims,
  title: string | undefined,
): Promise<unknown> {
  const doc = docOf(await versionState(ctx, room, id));
  // The copy was not restored: whoever opens it is not told of a restore in the original.
  forgetRestoreNotice(doc);
  if (title !== undefined) setWorkshopTitle(doc, title);
  const made = `w-${crypto.randomUUID()}`;
  try {
    await ctx.rooms.create(made, doc);
  } catch (error) {
    throw notStored(
      'copy-not-stored',
      error,
      (detail) =>
        `The new workshop could not be stored (${detail}); try again once the server can store changes.`,
    );
  }
  const token = await ctx.facilitatorToken(made, by);
  return {
    room: made,
    title: readMeta(doc).title,
    facilitatorToken: token,
    facilitatorUrl: joinUrl(ctx.publicUrl(), made, token),
  };
}

/** Answers a version history request; returns false for other paths (and for CORS preflights). */
export function handleHistoryApi(
  ctx: HistoryApiContext,
  req: IncomingMessage,
  res: ServerResponse,
  path: string,
): boolean {
  const match = ROUTE.exec(path);
  if (!match?.[1] || req.method === 'OPTIONS') return false;
  const room = match[1];
  const id = match[2];
  const action = match[3];
  for (const [name, value] of Object.entries(CORS_HEADERS)) res.setHeader(name, value);
  const answer = async (): Promise<void> => {
    const method = action === 'restore' || action === 'copy' ? 'POST' : 'GET';
    if (req.method !== method)
      throw new ApiError(405, 'method-not-allowed', `Use ${method}.`, { allowed: method });
    const claims = facilitator(ctx, req, room);
    if (id === undefined) {
      const versions = await ctx.rooms.history.list(room);
      return sendJson(res, 200, { versions });
    }
    if (!VERSION_ID.test(id)) throw new ApiError(400, 'version-id-invalid', 'That is not a version id.');
    if (action === 'restore') return sendJson(res, 200, await restore(ctx, room, id, claims));
    if (action === 'copy') return sendJson(res, 201, await copy(ctx, room, id, claims, await readTitle(req)));
    const state = await versionState(ctx, room, id);
    if (action === undefined) return sendBytes(res, state, {});
    const meta = readMeta(docOf(state));
    const time = (await ctx.rooms.history.list(room)).find((v) => v.id === id)?.time ?? Date.now();
    const file = encodeWorkshopFile(state, { title: meta.title, schemaVersion: meta.schemaVersion });
    sendBytes(res, file, { 'Content-Disposition': attachment(meta.title, time) });
  };
  answer().catch((error: unknown) => {
    if (res.headersSent) return void res.destroy();
    sendApiError(res, error);
  });
  return true;
}
