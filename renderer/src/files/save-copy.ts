/**
 * Saving a copy of an open workshop to a `.talkoo` file: through main's save dialog in the
 * desktop app, as a download in a browser. The file names the workshop and its server, so that
 * opening it on a device that has the workshop merges it in (open-file.ts).
 */
import * as Y from 'yjs';
import { readMeta } from '../../../shared';
import type { WorkshopConnection } from '../connection';
import { fileIdentity, workshopFiles } from '../platform';
import { downloadWorkshopFile } from './read-file';

/**
 * Saves the workshop of `connection` under `title`: resolves to where it went (the path, or the
 * download's file name), or null when the user cancelled; rejects with a sentence when it failed.
 */
export async function saveWorkshopCopy(
  connection: WorkshopConnection,
  title: string,
): Promise<string | null> {
  const state = Y.encodeStateAsUpdate(connection.doc);
  const identity = fileIdentity(connection.place);
  const files = workshopFiles();
  if (!files) {
    return downloadWorkshopFile(state, {
      title,
      schemaVersion: readMeta(connection.doc).schemaVersion,
      ...identity,
    });
  }
  const saved = await files.save({ title, state, ...identity });
  if (saved.ok) return saved.path;
  if (saved.reason === 'cancelled') return null;
  throw new Error(saved.message ?? '');
}
