/**
 * Branded identifiers of the workshop document. Ids are random UUIDs for anything a person
 * creates, and deterministic strings for template content (so applying a template twice
 * writes the same keys instead of duplicating boards).
 */

declare const brand: unique symbol;
/** A string that the compiler keeps apart from other kinds of id. */
export type Brand<T, B extends string> = T & { readonly [brand]: B };

export type BoardId = Brand<string, 'BoardId'>;
export type LaneId = Brand<string, 'LaneId'>;
export type NoteId = Brand<string, 'NoteId'>;
export type ThemeId = Brand<string, 'ThemeId'>;
export type ActionId = Brand<string, 'ActionId'>;
export type ParticipantId = Brand<string, 'ParticipantId'>;
export type RoundId = Brand<string, 'RoundId'>;

type RandomSource = { randomUUID(): string };

/** A fresh random id (crypto.randomUUID, available in browsers, Electron and Node 20+). */
export function newId<T extends string>(): Brand<string, T> {
  // The global is typed by neither lib here (shared/ has no DOM and no Node types).
  const source = (globalThis as unknown as { crypto: RandomSource }).crypto;
  return source.randomUUID() as Brand<string, T>;
}

/** Ids from outside (outline files, the network) must look like this: no separators, bounded. */
export const ID_PATTERN = /^[A-Za-z0-9_.:-]{1,64}$/;

/** True when `value` is usable as an id read from untrusted input. */
export function isValidId(value: unknown): value is string {
  return typeof value === 'string' && ID_PATTERN.test(value);
}
