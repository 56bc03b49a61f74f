/**
 * Schema versions. A document from an older schema is migrated step by step when opened; one from
 * a newer schema is left untouched and opens read-only (see readOnlyReason).
 */
import type * as Y from 'yjs';
import { int } from './fields';
import { roots } from './roots';
import { SCHEMA_VERSION } from './schema';

/** One step: turns a document of version `from` into version `from + 1`. */
export type Migration = (doc: Y.Doc) => void;

/**
 * The steps, by the version they start from. Version 1 is the first published schema, so there
 * are none yet; add `1: (doc) => ...` when version 2 changes the shape.
 */
export const MIGRATIONS: Readonly<Record<number, Migration>> = {};

/** What migrating a document did. */
export type MigrationOutcome =
  | { readonly kind: 'current' }
  | { readonly kind: 'migrated'; readonly from: number; readonly to: number }
  | { readonly kind: 'newer'; readonly version: number }
  | { readonly kind: 'empty' };

/**
 * Brings `doc` up to `target` (the current schema by default) in one transaction per step. An
 * empty document (no schema version yet, e.g. before its first sync) is left alone.
 */
export function migrateWorkshop(
  doc: Y.Doc,
  migrations: Readonly<Record<number, Migration>> = MIGRATIONS,
  target: number = SCHEMA_VERSION,
): MigrationOutcome {
  const meta = roots(doc).meta;
  const start = int(meta, 'schemaVersion', 0);
  if (start === 0) return { kind: 'empty' };
  if (start > target) return { kind: 'newer', version: start };
  if (start === target) return { kind: 'current' };
  for (let version = start; version < target; version++) {
    const step = migrations[version];
    if (!step) throw new Error(`No migration from workshop schema ${version} to ${version + 1}`);
    doc.transact(() => {
      step(doc);
      meta.set('schemaVersion', version + 1);
    }, 'migration');
  }
  return { kind: 'migrated', from: start, to: target };
}
