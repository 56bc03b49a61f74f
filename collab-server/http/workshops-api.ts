/**
 * The organiser's workshops and templates (besides creating and listing, in http/api.ts):
 *   PATCH  /api/workshops/:room            { title?, archived? } → { room, title, archived }
 *   POST   /api/workshops/:room/duplicate  { title? } → like POST /api/workshops
 *   DELETE /api/workshops/:room            → { deleted, title, counts }: its people are closed
 *                                            (4411), its links revoked, everything of it deleted;
 *                                            meanwhile joins are closed (4411) and the calls
 *                                            above on it answer 404
 *   GET    /api/templates                  → { templates: [{ id, name, language, created, counts }] }
 *   POST   /api/templates                  { room, name } → the template saved from that workshop
 *   DELETE /api/templates/:id              → { deleted: id }
 * and POST /api/workshops { template, title? } starts a workshop from a template. Every call
 * needs the organiser's token: a room's facilitator token changes no workshop but through the
 * workshop itself.
 */
import type { IncomingMessage } from 'node:http';
import * as Y from 'yjs';
import { readMeta } from '../../shared/model/read';
import { setWorkshopTitle } from '../../shared/model/write';
import { exportOutline, parseOutline, type Outline } from '../../shared/outline/outline';
import type { LinkBook } from '../auth/link-book';
import { RoomRemovedError, type RoomManager } from '../rooms/room-manager';
import type { DocumentStorage, RoomCounts } from '../storage/level-storage';
import { workshopCounts } from '../storage/room-record';
import {
  MAX_TEMPLATE_BYTES,
  MAX_TEMPLATES,
  TemplateRefusedError,
  type TemplateStore,
} from '../storage/template-store';
import { CLOSE } from '../wire/protocol';
import { ApiError, notStored } from './api-error';
import { readJson, text } from './request';

export type WorkshopsContext = {
  readonly links: LinkBook;
  readonly rooms: RoomManager;
  readonly storage: DocumentStorage;
  readonly templates: TemplateStore;
};

/** What a route needs of the API around it: the organiser's check, and opening a new room. */
export type WorkshopsRouting = {
  /** Throws unless the request carries the organiser's token. */
  readonly organiser: () => void;
  /** Stores a new room holding `doc`; answers like POST /api/workshops. */
  readonly open: (doc: Y.Doc) => Promise<{ readonly room: string }>;
};

/** Longest workshop title, as when one is created. */
const MAX_TITLE = 200;
/** Longest template name. */
const MAX_TEMPLATE_NAME = 120;

const WORKSHOP = /^\/api\/workshops\/([A-Za-z0-9_.-]{1,128})(\/duplicate)?$/;
const TEMPLATE = /^\/api\/templates(?:\/([^/]{1,128}))?$/;

function notFound(): ApiError {
  return new ApiError(404, 'workshop-not-found', 'There is no such workshop.');
}

function methods(allowed: string): ApiError {
  return new ApiError(405, 'method-not-allowed', `Use ${allowed.replace(', ', ' or ')}.`, { allowed });
}

/**
 * Answers the routes above, or returns null when `path` is none of them (POST /api/workshops
 * and GET /api/workshops stay with http/api.ts).
 */
export function routeWorkshops(
  ctx: WorkshopsContext,
  req: IncomingMessage,
  path: string,
  routing: WorkshopsRouting,
): Promise<unknown> | null {
  const workshop = WORKSHOP.exec(path);
  if (workshop?.[1] && workshop[1] !== 'import') {
    const [, room, duplicate] = workshop;
    const allowed = duplicate ? 'POST' : 'PATCH, DELETE';
    if (!allowed.split(', ').includes(req.method ?? '')) return Promise.reject(methods(allowed));
    routing.organiser();
    if (duplicate) return readJson(req).then((body) => duplicateWorkshop(ctx, room, body, routing));
    if (req.method === 'DELETE') return deleteWorkshop(ctx, room);
    return readJson(req).then((body) => changeWorkshop(ctx, room, body));
  }
  const template = TEMPLATE.exec(path);
  if (template) {
    const id = template[1];
    const allowed = id ? 'DELETE' : 'GET, POST';
    if (!allowed.split(', ').includes(req.method ?? '')) return Promise.reject(methods(allowed));
    routing.organiser();
    if (id) return deleteTemplate(ctx, id);
    if (req.method === 'GET') return ctx.templates.list().then((templates) => ({ templates }));
    return readJson(req).then((body) => saveTemplate(ctx, body));
  }
  return null;
}

/** A stored room, loaded for `use` and released after. */
async function withRoom<T>(
  ctx: WorkshopsContext,
  room: string,
  use: (doc: Y.Doc) => T | Promise<T>,
): Promise<T> {
  if (!(await ctx.storage.exists(room))) throw notFound();
  // A workshop being deleted is as good as gone.
  const live = await ctx.rooms.acquire(room).catch((error: unknown) => {
    throw error instanceof RoomRemovedError ? notFound() : error;
  });
  try {
    return await use(live.doc);
  } finally {
    ctx.rooms.release(room);
  }
}

/** Renames a workshop (in its document: whoever has it open sees the new title) or (un)archives it. */
async function changeWorkshop(
  ctx: WorkshopsContext,
  room: string,
  body: Record<string, unknown>,
): Promise<unknown> {
  if (body.title === undefined && body.archived === undefined)
    throw new ApiError(400, 'field-invalid', 'title: give a new title, or archived: true or false.', {
      field: 'title',
    });
  const title = body.title === undefined ? undefined : text(body, 'title', MAX_TITLE);
  const archived = body.archived;
  if (archived !== undefined && typeof archived !== 'boolean')
    throw new ApiError(400, 'field-invalid', 'archived: must be true or false.', { field: 'archived' });
  if (!(await ctx.storage.exists(room))) throw notFound();
  const mark = archived === undefined ? {} : { archived: archived ? new Date().toISOString() : undefined };
  try {
    if (title !== undefined)
      await withRoom(ctx, room, async (doc) => {
        setWorkshopTitle(doc, title);
        // Stored now, so the answer means it was saved, as a person's own changes are.
        await ctx.rooms.storeNow(room);
      });
    await ctx.storage.describe(room, { ...(title === undefined ? {} : { title }), ...mark });
  } catch (error) {
    if (error instanceof ApiError) throw error;
    throw notStored(
      'workshop-not-stored',
      error,
      (detail) => `The change could not be stored (${detail}); try again once the server can store changes.`,
    );
  }
  const record = (await ctx.storage.list()).find((info) => info.room === room);
  return { room, title: title ?? record?.title ?? '', archived: record?.archived !== undefined };
}

/** A new workshop holding a copy of a workshop's document, under `title` when one is given, dated today. */
async function duplicateWorkshop(
  ctx: WorkshopsContext,
  room: string,
  body: Record<string, unknown>,
  routing: WorkshopsRouting,
): Promise<unknown> {
  const title = body.title === undefined ? undefined : text(body, 'title', MAX_TITLE);
  const state = await withRoom(ctx, room, (doc) => Y.encodeStateAsUpdate(doc));
  const copy = new Y.Doc();
  Y.applyUpdate(copy, state);
  if (title !== undefined) setWorkshopTitle(copy, title);
  const made = await routing.open(copy).catch((error: unknown) => {
    throw notStored(
      'copy-not-stored',
      error,
      (detail) => `The copy could not be stored (${detail}); try again once the server can store changes.`,
    );
  });
  // The list dates it by its record: the day it was made, not the day its original was.
  await ctx.storage.describe(made.room, { created: new Date().toISOString() });
  return made;
}

/**
 * Deletes a workshop for good. Its people are closed first (CLOSE.workshopDeleted) and what they
 * sent stored, then its links are revoked (they open nothing, not even an empty room) and every
 * key of it deleted in one write. When either could not be stored, the 503 says which did not.
 */
async function deleteWorkshop(ctx: WorkshopsContext, room: string): Promise<unknown> {
  const record = (await ctx.storage.list()).find((info) => info.room === room);
  if (!record) throw notFound();
  const live = ctx.rooms.peek(room);
  const counts: RoomCounts = live
    ? workshopCounts(live.doc)
    : (record.counts ?? (await withRoom(ctx, room, workshopCounts)));
  const title = live ? readMeta(live.doc).title : record.title;
  const removal = ctx.rooms.remove(room, CLOSE.workshopDeleted, 'workshop deleted');
  // Answered once recorded: in a cluster, once every node can read it in PostgreSQL.
  const revoking = ctx.links.revokeAll(room, 'organiser');
  const [removing, revoked] = await Promise.allSettled([removal, revoking]);
  if (removing.status === 'fulfilled' && !removing.value) throw notFound();
  // The answer says what became of each: links whose revocation was not recorded still open the room.
  if (revoked.status === 'rejected') {
    if (removing.status === 'rejected')
      throw notStored(
        'delete-not-stored-links-open',
        removing.reason,
        (detail) =>
          `The workshop could not be deleted (${detail}), and its links still open it: withdrawing them could not be recorded either. Try again once the server can store changes.`,
      );
    throw notStored(
      'delete-links-not-revoked',
      revoked.reason,
      (detail) =>
        `The workshop was deleted, but its links could not be withdrawn (${detail}): they still open its address until they expire.`,
    );
  }
  if (removing.status === 'rejected')
    throw notStored(
      'delete-not-stored',
      removing.reason,
      (detail) =>
        `The workshop could not be deleted (${detail}); its links are revoked. Try again once the server can store changes.`,
    );
  return { deleted: room, title, counts };
}

/**
 * A workshop's structure as a template outline: its lanes, municipalities and notes (as
 * examples, without votes), and whatever else of the plan the outline carries, but no themes and
 * no actions, which are a workshop's results.
 */
function structureOf(doc: Y.Doc, name: string): Outline {
  const outline = exportOutline(doc);
  return {
    ...outline,
    title: outline.title.trim() || name,
    needs: outline.needs.filter((need) => need.text.trim() !== '').map(({ votes: _votes, ...need }) => need),
    themes: [],
    actions: [],
  };
}

function templateCap(): ApiError {
  return new ApiError(
    429,
    'template-cap',
    `The server keeps at most ${MAX_TEMPLATES} templates: delete one you no longer use.`,
    { max: MAX_TEMPLATES },
  );
}

async function saveTemplate(ctx: WorkshopsContext, body: Record<string, unknown>): Promise<unknown> {
  const name = text(body, 'name', MAX_TEMPLATE_NAME);
  const room = typeof body.room === 'string' ? body.room : '';
  if (room === '') throw new ApiError(400, 'field-empty', 'room: must be non-empty text.', { field: 'room' });
  // Checked here first, before the workshop is read, and again as it is added.
  if ((await ctx.templates.list()).length >= MAX_TEMPLATES) throw templateCap();
  const structure = await withRoom(ctx, room, (doc) => structureOf(doc, name));
  const checked = parseOutline(structure);
  if (!checked.ok)
    throw new ApiError(
      422,
      'template-invalid',
      'This workshop cannot be made a template: its outline is not valid.',
      {
        detail: checked.error.map((e) => `${e.path}: ${e.message}`).join('; '),
      },
    );
  try {
    return await ctx.templates.add(name, checked.value);
  } catch (error) {
    if (error instanceof TemplateRefusedError && error.reason === 'cap') throw templateCap();
    if (error instanceof TemplateRefusedError)
      throw new ApiError(
        413,
        'template-too-large',
        `This workshop's structure is larger than a template holds (${MAX_TEMPLATE_BYTES} bytes): fewer or shorter example notes would fit.`,
        { max: MAX_TEMPLATE_BYTES },
      );
    throw notStored(
      'template-not-stored',
      error,
      (detail) => `The template could not be stored (${detail}).`,
    );
  }
}

async function deleteTemplate(ctx: WorkshopsContext, id: string): Promise<unknown> {
  if (!(await ctx.templates.remove(id)))
    throw new ApiError(404, 'template-not-found', 'There is no such template.');
  return { deleted: id };
}

/** The outline a new workshop starts from when POST /api/workshops names a template, titled as asked. */
export async function templateOutline(
  ctx: WorkshopsContext,
  body: Record<string, unknown>,
): Promise<Outline> {
  if (body.example !== undefined)
    throw new ApiError(400, 'field-invalid', 'template: give a template or an example, not both.', {
      field: 'template',
    });
  const id = typeof body.template === 'string' ? body.template : '';
  const template = await ctx.templates.get(id);
  if (!template) throw new ApiError(404, 'template-not-found', 'There is no such template.');
  const title = body.title === undefined ? template.outline.title : text(body, 'title', MAX_TITLE);
  return { ...template.outline, title };
}
