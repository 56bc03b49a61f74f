/**
 * What opening a workshop file does, however it came (Home's Open button, the menu's Open…, a
 * file the operating system gave the app, a drop): a file of a workshop this device has merges
 * into it; a file of one it has not is offered to be added under its own identity or opened as a
 * new copy. Merging into a shared room is a facilitator's act: to a participant or viewer of the
 * workshop, the file opens only as a new copy of its own (the participant policy would refuse
 * most of what it holds, and a refused update reloads the room).
 */
import * as Y from 'yjs';
import { readOnlyReason, SCHEMA_VERSION } from '../../../shared';
import {
  mergeRemoves,
  mergeUndoManager,
  mergeWorkshopState,
  previewMerge,
  type MergePreview,
  type MergeSummary,
} from '../../../shared/model/merge-file';
import type { WorkshopFileHeader } from '../../../shared/workshop-file';
import { api, parseWorkshops, type Organiser } from '../app/home-api';
import { ApiRefusal } from '../app/failure-reason';
import { withSettledConnection, type WorkshopConnection } from '../connection';
import { keepTypedText } from '../desktop-events';
import { organiserServer, placeKey, placeOf, type Place } from '../platform';
import { organiserToken, recentWorkshops, roomToken, tokenKey, workshopHref } from '../routes';
import { roleIn } from '../session';
import { remember } from '../storage';

/** A workshop file that decoded: its name, header and Yjs state. */
export type OpenedFile = {
  readonly name: string;
  readonly header: WorkshopFileHeader;
  readonly state: Uint8Array;
};

/** What to do with an opened file. */
export type FileDecision =
  /** A newer Talkoo's workshop: never merged, never added. */
  | { readonly kind: 'newer'; readonly file: OpenedFile }
  /** This device has the workshop, as facilitator: merge. */
  | { readonly kind: 'merge'; readonly file: OpenedFile; readonly place: Place }
  /** This device takes part in the workshop, not as its facilitator: a copy only. */
  | {
      readonly kind: 'not-facilitator';
      readonly file: OpenedFile;
      readonly organiser: Organiser | null;
    }
  /**
   * Not on this device: add it (when the file names it) or open a new copy, with the organiser's
   * server (null: nobody here may create workshops).
   */
  | { readonly kind: 'unknown'; readonly file: OpenedFile; readonly organiser: Organiser | null };

/**
 * Where this device has the workshop `room`, preferring the place on the server the file came
 * from: its recent workshops first, then the organiser's server's list (whose facilitator link
 * it then keeps, as opening the workshop from Home would).
 */
async function findWorkshop(room: string, origin: string | null): Promise<Place | null> {
  const preferred = placeKey(placeOf(room, origin));
  const recent = recentWorkshops().filter((w) => w.room === room);
  const place = recent.find((w) => placeKey(w) === preferred) ?? recent[0];
  if (place) return { server: place.server, room };
  const organiser = organiserServer(organiserToken());
  if (!organiser) return null;
  const listed = parseWorkshops(await api(organiser, '/api/workshops')).find((w) => w.room === room);
  if (!listed) return null;
  const found = placeOf(room, organiser.server);
  if (roomToken(found) === null) remember(tokenKey(found), listed.token);
  return found;
}

/** Decides what opening `file` does; throws when the organiser's server cannot be asked. */
export async function decide(file: OpenedFile): Promise<FileDecision> {
  if (file.header.schemaVersion > SCHEMA_VERSION || stateIsNewer(file.state)) return { kind: 'newer', file };
  const room = file.header.workshop;
  const place = room === null ? null : await findWorkshop(room, file.header.origin);
  if (place) {
    if (roleIn(place) === 'facilitator') return { kind: 'merge', file, place };
    return { kind: 'not-facilitator', file, organiser: organiserServer(organiserToken()) };
  }
  return { kind: 'unknown', file, organiser: organiserServer(organiserToken()) };
}

/** How a merge ended: what it added (and how to take it back), or why it changed nothing. */
export type MergeOutcome =
  | { readonly kind: 'merged'; readonly summary: MergeSummary; readonly undo: () => void }
  | { readonly kind: 'cancelled' }
  | { readonly kind: 'refused' }
  | { readonly kind: 'read-only' };

/**
 * Opens the workshop at `place` and merges the file into it once it has synced: Yjs merges, so
 * nothing is duplicated or replaced, and the merge goes to the room as a change made here. A file
 * that would remove notes, themes or actions, or rename the workshop, is merged only when
 * `confirm` (told what it would do) says yes. The workshop open before (if another) keeps its
 * unsent changes: they are in its local copy.
 */
export async function mergeFile(
  file: OpenedFile,
  place: Place,
  confirm: (preview: MergePreview) => Promise<boolean>,
): Promise<MergeOutcome> {
  keepTypedText();
  window.location.hash = workshopHref(place);
  const preview = await withSettledConnection(
    place,
    (connection) => unmergeable(connection) ?? previewMerge(connection.doc, file.state),
  );
  if ('kind' in preview) return preview;
  if (mergeRemoves(preview) && !(await confirm(preview))) return { kind: 'cancelled' };
  return withSettledConnection(place, (connection) => unmergeable(connection) ?? mergeInto(connection, file));
}

/** Why nothing can be merged into `connection`'s workshop, or null when it can. */
function unmergeable(connection: WorkshopConnection): MergeOutcome | null {
  // A link refused for good: what merged here would never reach the room.
  if (connection.refusal() !== null) return { kind: 'refused' };
  if (readOnlyReason(connection.doc)) return { kind: 'read-only' };
  return null;
}

/**
 * Merges the file with an origin of its own (sent on to the server as a change made here), one
 * step of the workshop's undo, so Ctrl+Z right after takes it back; the outcome's undo takes
 * back this merge alone, whatever was done after it.
 */
function mergeInto(connection: WorkshopConnection, file: OpenedFile): MergeOutcome {
  const origin = Symbol('talkoo-file-merge');
  const history = mergeUndoManager(connection.doc, origin);
  const { undo } = connection;
  undo.stopCapturing();
  undo.addTrackedOrigin(origin);
  try {
    const summary = mergeWorkshopState(connection.doc, file.state, origin);
    return {
      kind: 'merged',
      summary,
      undo: () => {
        history.undo();
        history.destroy();
      },
    };
  } finally {
    undo.stopCapturing();
    undo.removeTrackedOrigin(origin);
  }
}

/**
 * Makes the file a workshop on the organiser's server and opens it: `keepIdentity` adds it under
 * the room the file names (so later copies merge into it), else it is a new copy with a new one.
 * Resolves to 'exists' when the server already has the file's room (someone added it meanwhile).
 */
export async function addFile(
  file: OpenedFile,
  organiser: Organiser,
  keepIdentity: boolean,
): Promise<'added' | 'exists'> {
  const room = keepIdentity ? file.header.workshop : null;
  const path =
    room === null ? '/api/workshops/import' : `/api/workshops/import?room=${encodeURIComponent(room)}`;
  let created: unknown;
  try {
    created = await api(
      organiser,
      path,
      { method: 'POST', body: new Uint8Array(file.state) },
      'application/octet-stream',
    );
  } catch (error) {
    if (error instanceof ApiRefusal && error.answer.code === 'workshop-exists') return 'exists';
    throw error;
  }
  const [entry] = parseWorkshops({ workshops: [created] });
  if (!entry) throw new Error('The server answered with something that is not a workshop.');
  keepTypedText();
  window.location.hash = workshopHref(placeOf(entry.room, organiser.server), entry.token);
  return 'added';
}

/**
 * True when `state` holds a workshop of a newer schema than this Talkoo knows, whatever its
 * header says (a header is written beside the state, not read from it): never merged, since an
 * older Talkoo cannot tell what its merge would do to it.
 */
function stateIsNewer(state: Uint8Array): boolean {
  const doc = new Y.Doc();
  try {
    Y.applyUpdate(doc, state);
    return readOnlyReason(doc) !== null;
  } catch {
    // Not a Yjs update: the merge says so.
    return false;
  } finally {
    doc.destroy();
  }
}
