/**
 * The HTTP API: workshops are created by an organiser, join links by a room's facilitator.
 *   GET  /api/workshops                  (organiser)   → { workshops: [...] }
 *   POST /api/workshops                  (organiser)   { title, language, example? } → { room, facilitatorUrl, ... }
 *   POST /api/workshops/import           (organiser)   raw Yjs state (a .talkoo file's) → like POST /api/workshops
 *        ?room=w-<uuid>                                   under the room the file names (409 when it exists)
 *   renaming, duplicating, archiving and deleting workshops, and templates: http/workshops-api.ts
 *   POST /api/workshops/:room/links      (facilitator) { role, name?, ttl? } → { id, token, url, role, expires, code, shortUrl }
 *   GET  /api/workshops/:room/links      (facilitator) → { links: [{ id, role, name, made, expires, madeBy, current, code? }] }
 *   DELETE /api/workshops/:room/links/:id (facilitator) → { revoked: id }: refused from now on, its connections closed
 *   (a link's short code, resolved by anyone who holds it, and its short link: http/link-codes.ts)
 * Tokens travel as `Authorization: Bearer TOKEN`. Errors are JSON `{ error, code, ...fields }`: an English
 * sentence, a stable code (shared/api-errors.ts) and the values the sentence mentions (http/api-error.ts).
 * Any origin may call it (CORS `*`): the desktop app runs from file://, and a bearer token, never a
 * cookie, is what authorises a call, so another page gains nothing it does not already hold.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import * as Y from 'yjs';
import { EXAMPLE_NAMES, EXAMPLE_OUTLINES, type ExampleName } from '../../shared/examples';
import { LOCALES } from '../../shared/i18n';
import { LANGUAGES, type Language } from '../../shared/model/schema';
import { readMeta } from '../../shared/model/read';
import { createWorkshop } from '../../shared/model/write';
import { importOutline, parseOutline } from '../../shared/outline/outline';
import { MAX_WORKSHOP_STATE_BYTES, WORKSHOP_ROOM_NAME } from '../../shared/workshop-file';
import type { RoomManager } from '../rooms/room-manager';
import { SECURITY_HEADERS } from './static-files';
import { ApiError, sendApiError, sendJson, tokenRefusal } from './api-error';
import { bearer, readBody, readJson, text } from './request';
import { routeWorkshops, templateOutline } from './workshops-api';
import { workshopCounts } from '../storage/room-record';
import type { TemplateStore } from '../storage/template-store';
import type { DocumentStorage } from '../storage/level-storage';
import type { LinkBook, MadeLink } from '../auth/link-book';
import { parseDuration, type TokenClaims } from '../auth/tokens';
import { formatLinkCode, shortLinkPath } from '../../shared/link-code';

/** Largest workshop state an import accepts, bytes: any a `.talkoo` file may hold (shared/limits.ts). */
export const MAX_IMPORT_BYTES = MAX_WORKSHOP_STATE_BYTES;
/**
 * How long links made by the API last unless asked otherwise: a week, the span of a short
 * workshop series (a facilitator may choose up to 90 days, and revoke a link at any time).
 */
export const DEFAULT_LINK_TTL = 7 * 86400;
const FACILITATOR_TTL = 7 * 86400;
/**
 * Links a workshop may have made within the longest life of a link (90 days): each is a line of
 * the link book that every start reads and keeps in memory, and one link serves many people.
 */
export const MAX_LINKS_PER_ROOM = 1000;
/** The workshop list hands out the facilitator link it made before until this little of it is left. */
const FACILITATOR_RENEW = 86400;

export type ApiContext = {
  /** Signs, records, checks and revokes links. */
  readonly links: LinkBook;
  readonly rooms: RoomManager;
  readonly storage: DocumentStorage;
  /** The organiser's workshop templates. */
  readonly templates: TemplateStore;
  /** Base URL of the web client, e.g. http://127.0.0.1:4455 */
  readonly publicUrl: string;
};

/** A browser join link for a room and token. */
export function joinUrl(publicUrl: string, room: string, token: string): string {
  return `${publicUrl}/#/w/${encodeURIComponent(room)}?token=${encodeURIComponent(token)}`;
}

/** Lets pages of other origins (the desktop app's file:// page) call the API with a bearer token. */
export const CORS_HEADERS: Readonly<Record<string, string>> = {
  'Access-Control-Allow-Origin': '*',
  'Access-Control-Allow-Methods': 'GET, POST, PATCH, DELETE',
  'Access-Control-Allow-Headers': 'Authorization, Content-Type',
  'Access-Control-Max-Age': '600',
};

function authorise(
  ctx: ApiContext,
  req: IncomingMessage,
  expect: { room: string } | { organiser: true },
): TokenClaims {
  const result = ctx.links.verify(bearer(req), expect);
  if (!result.ok) throw tokenRefusal(result.error);
  return result.value;
}

async function createWorkshopRoom(ctx: ApiContext, body: Record<string, unknown>): Promise<unknown> {
  const doc = new Y.Doc();
  const example = body.example;
  if (body.template !== undefined) {
    importOutline(doc, await templateOutline(ctx, body));
  } else if (example !== undefined) {
    const raw = (EXAMPLE_NAMES as readonly unknown[]).includes(example)
      ? EXAMPLE_OUTLINES[example as ExampleName]
      : undefined;
    if (!raw) {
      const choices = EXAMPLE_NAMES.join(', ');
      throw new ApiError(400, 'example-unknown', `example: must be one of ${choices}.`, { choices });
    }
    const parsed = parseOutline(raw);
    if (!parsed.ok) throw new ApiError(500, 'example-damaged', 'The example workshop is damaged.');
    const title = body.title === undefined ? parsed.value.title : text(body, 'title', 200);
    importOutline(doc, { ...parsed.value, title });
  } else {
    const language = body.language;
    if (!(LANGUAGES as readonly unknown[]).includes(language)) {
      const choices = LANGUAGES.join(', ');
      throw new ApiError(400, 'language-unknown', `language: must be one of ${choices}.`, { choices });
    }
    const messages = LOCALES[language as Language];
    createWorkshop(doc, {
      title: text(body, 'title', 200),
      language: language as Language,
      boardTitles: {
        needs: messages['board.needs'],
        themes: messages['board.themes'],
        actions: messages['board.actions'],
      },
    });
  }
  return openRoom(ctx, doc);
}

/** The facilitator link of `room` that the organiser's workshop list hands out (the same one until it nears its end). */
async function organisersFacilitatorLink(ctx: ApiContext, room: string): Promise<string> {
  const link = await ctx.links.keep({
    room,
    role: 'facilitator',
    ttlSeconds: FACILITATOR_TTL,
    by: 'organiser',
    renewWithinSeconds: FACILITATOR_RENEW,
  });
  return link.token;
}

/**
 * Stores `doc` as a new room, named at random unless `name` is given; answers with its
 * facilitator link. A `name` that exists is refused (409), its room left as it was.
 */
async function openRoom(
  ctx: ApiContext,
  doc: Y.Doc,
  name: string | null = null,
): Promise<{ room: string } & Record<string, unknown>> {
  const room = name ?? `w-${crypto.randomUUID()}`;
  if (!(await ctx.rooms.create(room, doc)) && name !== null) throw workshopExists(room);
  const token = await organisersFacilitatorLink(ctx, room);
  const title = doc.getMap('meta').get('title');
  return { room, title, facilitatorToken: token, facilitatorUrl: joinUrl(ctx.publicUrl, room, token) };
}

function workshopExists(room: string): ApiError {
  return new ApiError(
    409,
    'workshop-exists',
    `This server already has the workshop ${room}: open it instead.`,
    {
      room,
    },
  );
}

/**
 * The room an import asks for (`?room=`, the workshop a `.talkoo` file names), or null for a new
 * one. Only a name a server makes (`w-<uuid>`): never an API path, nor a person's own document.
 */
function requestedRoom(req: IncomingMessage): string | null {
  const asked = new URL(req.url ?? '/', 'http://localhost').searchParams.get('room');
  if (asked === null) return null;
  if (!WORKSHOP_ROOM_NAME.test(asked))
    throw new ApiError(400, 'field-invalid', 'room: must be a workshop name such as w-<uuid>.', {
      field: 'room',
    });
  return asked;
}

/**
 * A new room from a workshop's Yjs state (a `.talkoo` file opened in the app): under `room` when
 * the file's workshop is added with its identity, else under a new name (a new copy).
 */
async function importWorkshopRoom(ctx: ApiContext, state: Uint8Array, room: string | null): Promise<unknown> {
  const doc = new Y.Doc();
  try {
    Y.applyUpdate(doc, state);
  } catch {
    throw new ApiError(400, 'import-unreadable', 'This is not a Talkoo workshop: its data cannot be read.');
  }
  // Bytes that decode but hold no workshop (or only parts whose dependencies are missing) leave
  // the document without a schema version and without boards.
  if (readMeta(doc).schemaVersion === 0 || doc.getMap('boards').size === 0) {
    throw new ApiError(400, 'import-no-boards', 'This is not a Talkoo workshop: it has no boards.');
  }
  return openRoom(ctx, doc, room);
}

async function listWorkshops(ctx: ApiContext): Promise<unknown> {
  const stored = await ctx.storage.list();
  return {
    workshops: await Promise.all(
      stored
        .sort((a, b) => (a.created < b.created ? 1 : a.created > b.created ? -1 : a.room < b.room ? -1 : 1))
        .map(async ({ archived, ...info }) => {
          const token = await organisersFacilitatorLink(ctx, info.room);
          // A room in memory may have changed since its record was written.
          const live = ctx.rooms.peek(info.room);
          const now = live && readMeta(live.doc).schemaVersion > 0 ? readMeta(live.doc) : null;
          return {
            ...info,
            ...(now ? { title: now.title, language: now.language } : {}),
            ...(live && now ? { counts: workshopCounts(live.doc) } : {}),
            archived: archived !== undefined,
            facilitatorUrl: joinUrl(ctx.publicUrl, info.room, token),
          };
        }),
    ),
  };
}

async function createLink(
  ctx: ApiContext,
  room: string,
  maker: TokenClaims,
  body: Record<string, unknown>,
): Promise<unknown> {
  const role = body.role;
  if (role !== 'participant' && role !== 'viewer')
    throw new ApiError(400, 'role-unknown', 'role: must be participant or viewer.');
  const name = body.name === undefined ? '' : text(body, 'name', 80);
  let ttl = DEFAULT_LINK_TTL;
  if (body.ttl !== undefined) {
    const parsed = typeof body.ttl === 'string' ? parseDuration(body.ttl) : null;
    if (parsed === null)
      throw new ApiError(400, 'ttl-invalid', 'ttl: must be a duration such as 90m, 8h or 7d, at most 90d.');
    ttl = parsed;
  }
  if (!(await ctx.storage.exists(room)) && !ctx.rooms.peek(room))
    throw new ApiError(404, 'workshop-not-found', 'There is no such workshop.');
  if (ctx.links.madeRecently(room) >= MAX_LINKS_PER_ROOM)
    throw new ApiError(
      429,
      'link-cap',
      `This workshop has had ${MAX_LINKS_PER_ROOM} links made in the last 90 days, the most it may have: share a link you made (one link serves many people).`,
      { max: MAX_LINKS_PER_ROOM },
    );
  const by = `link:${maker.id}` as const;
  const { token, claims } = await ctx.links.make({ room, role, name, ttlSeconds: ttl, by, withCode: true });
  const code = ctx.links.find(claims.id)?.code ?? null;
  return {
    id: claims.id,
    role,
    token,
    url: joinUrl(ctx.publicUrl, room, token),
    expires: new Date(claims.exp * 1000).toISOString(),
    ...(code ? { code: formatLinkCode(code), shortUrl: `${ctx.publicUrl}${shortLinkPath(code)}` } : {}),
  };
}

/** Who made a link, as the facilitator asking sees it. */
function madeBy(link: MadeLink, asking: TokenClaims): string {
  if (link.by === `link:${asking.id}`) return 'you';
  return link.by.startsWith('link:') ? 'facilitator' : link.by;
}

/** The live links of `room`, newest first. */
function listLinks(ctx: ApiContext, room: string, asking: TokenClaims): unknown {
  return {
    links: ctx.links.live(room).map((link) => ({
      id: link.claims.id,
      role: link.claims.role,
      name: link.claims.name,
      made: new Date(link.claims.iat * 1000).toISOString(),
      expires: new Date(link.claims.exp * 1000).toISOString(),
      madeBy: madeBy(link, asking),
      current: link.claims.id === asking.id,
      ...(link.code ? { code: formatLinkCode(link.code) } : {}),
    })),
  };
}

/** Revokes a link of `room`; a facilitator cannot revoke the link it is using (it would lock itself out). */
async function revokeLink(ctx: ApiContext, room: string, id: string, asking: TokenClaims): Promise<unknown> {
  const link = ctx.links.find(id);
  if (!link || link.claims.room !== room)
    throw new ApiError(404, 'link-not-found', 'This workshop has no such link.');
  if (id === asking.id)
    throw new ApiError(
      409,
      'link-in-use',
      'This is the link you are using: another facilitator can revoke it.',
    );
  await ctx.links.revoke(id, `link:${asking.id}`);
  return { revoked: id };
}

/** Answers an /api/ request; returns false for paths that are not the API's. */
export function handleApi(ctx: ApiContext, req: IncomingMessage, res: ServerResponse, path: string): boolean {
  if (!path.startsWith('/api/')) return false;
  if (req.method === 'OPTIONS') {
    res.writeHead(204, { ...SECURITY_HEADERS, ...CORS_HEADERS });
    res.end();
    return true;
  }
  const route = async (): Promise<unknown> => {
    // A node of a cluster first reads what the others recorded: a link revoked through any of them.
    if (ctx.links.shared) await ctx.links.catchUp();
    if (path === '/api/workshops') {
      if (req.method === 'GET') {
        authorise(ctx, req, { organiser: true });
        return listWorkshops(ctx);
      }
      if (req.method === 'POST') {
        authorise(ctx, req, { organiser: true });
        return createWorkshopRoom(ctx, await readJson(req));
      }
      throw new ApiError(405, 'method-not-allowed', 'Use GET or POST.', { allowed: 'GET, POST' });
    }
    if (path === '/api/workshops/import') {
      if (req.method !== 'POST')
        throw new ApiError(405, 'method-not-allowed', 'Use POST.', { allowed: 'POST' });
      authorise(ctx, req, { organiser: true });
      const room = requestedRoom(req);
      return importWorkshopRoom(ctx, await readBody(req, MAX_IMPORT_BYTES), room);
    }
    const links = /^\/api\/workshops\/([A-Za-z0-9_.-]{1,128})\/links(?:\/([A-Za-z0-9_-]{1,64}))?$/.exec(path);
    if (links?.[1]) {
      const [, room, id] = links;
      const allowed = id ? 'DELETE' : ['GET', 'POST'].includes(req.method ?? '') ? req.method : null;
      if (req.method !== allowed) {
        const methods = id ? 'DELETE' : 'GET, POST';
        throw new ApiError(405, 'method-not-allowed', `Use ${methods.replace(', ', ' or ')}.`, {
          allowed: methods,
        });
      }
      const claims = authorise(ctx, req, { room });
      if (claims.role !== 'facilitator')
        throw new ApiError(
          403,
          'not-facilitator',
          `Only a facilitator can ${req.method === 'POST' ? 'make' : 'see or revoke'} links.`,
        );
      if (id) return revokeLink(ctx, room, id, claims);
      if (req.method === 'GET') return listLinks(ctx, room, claims);
      return createLink(ctx, room, claims, await readJson(req));
    }
    const workshops = routeWorkshops(ctx, req, path, {
      organiser: () => authorise(ctx, req, { organiser: true }),
      open: (doc) => openRoom(ctx, doc),
    });
    if (workshops) return workshops;
    throw new ApiError(404, 'not-found', 'No such API.');
  };
  for (const [name, value] of Object.entries(CORS_HEADERS)) res.setHeader(name, value);
  route().then(
    (body) => sendJson(res, req.method === 'POST' ? 201 : 200, body),
    (error: unknown) => sendApiError(res, error),
  );
  return true;
}
