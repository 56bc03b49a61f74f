import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { migrateWorkshop, type Migration } from './migrate';
import { readWorkshop } from './read';
import { SCHEMA_VERSION } from './schema';
import { createWorkshop } from './write';

function workshopAt(version: number): Y.Doc {
  const doc = new Y.Doc();
  createWorkshop(doc, {
    title: 'Old workshop',
    language: 'sv',
    boardTitles: { needs: 'Behov', themes: 'Teman', actions: 'Åtgärder' },
  });
  doc.getMap('meta').set('schemaVersion', version);
  return doc;
}

describe('schema migration', () => {
  it('leaves a current document and an empty (not yet synced) one alone', () => {
    expect(migrateWorkshop(workshopAt(SCHEMA_VERSION))).toEqual({ kind: 'current' });
    const empty = new Y.Doc();
    expect(migrateWorkshop(empty)).toEqual({ kind: 'empty' });
    expect(empty.getMap('meta').size).toBe(0);
  });

  it('runs each step from an older version up to the current one, in order', () => {
    const doc = workshopAt(1);
    const steps: Record<number, Migration> = {
      1: (d) => d.getMap('meta').set('title', 'Old workshop (v2)'),
      2: (d) => d.getMap('meta').set('currency', 'SEK'),
    };
    expect(migrateWorkshop(doc, steps, 3)).toEqual({ kind: 'migrated', from: 1, to: 3 });
    expect(readWorkshop(doc).meta).toMatchObject({
      schemaVersion: 3,
      title: 'Old workshop (v2)',
      currency: 'SEK',
    });
  });

  it('does not touch a document from a newer schema, which reads as read-only', () => {
    const doc = workshopAt(SCHEMA_VERSION + 1);
    const before = Y.encodeStateAsUpdate(doc);
    expect(migrateWorkshop(doc)).toEqual({ kind: 'newer', version: SCHEMA_VERSION + 1 });
    expect(Y.encodeStateAsUpdate(doc)).toEqual(before);
    expect(readWorkshop(doc).readOnly).toEqual({ kind: 'newer-schema', version: SCHEMA_VERSION + 1 });
  });

  it('fails clearly when a step is missing', () => {
    expect(() => migrateWorkshop(workshopAt(1), {}, 2)).toThrow('No migration from workshop schema 1 to 2');
  });
});
