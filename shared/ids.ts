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

type RandomSource = {
  randomUUID?: () => string;
  getRandomValues<A extends Uint8Array>(array: A): A;
};

/**
 * A random version-4 UUID. `crypto.randomUUID` exists only in secure contexts, and a participant
 * who opens a laptop's link on the venue Wi-Fi (`http://192.168.…`) is not in one; the
 * `getRandomValues` it is built from is available everywhere.
 */
export function randomUuid(): string {
  // The global is typed by neither lib here (shared/ has no DOM and no Node types).
  const source = (globalThis as unknown as { crypto: RandomSource }).crypto;
  if (typeof source.randomUUID === 'function') return source.randomUUID();
  const bytes = source.getRandomValues(new Uint8Array(16));
  bytes[6] = (bytes[6]! & 0x0f) | 0x40; // version 4
  bytes[8] = (bytes[8]! & 0x3f) | 0x80; // RFC 4122 variant
  const hex = Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** A fresh random id. */
export function newId<T extends string>(): Brand<string, T> {
  return randomUuid() as Brand<string, T>;
}

/** Ids from outside (outline files, the network) must look like this: no separators, bounded. */
export const ID_PATTERN = /^[A-Za-z0-9_.:-]{1,64}$/;

/** True when `value` is usable as an id read from untrusted input. */
export function isValidId(value: unknown): value is string {
  return typeof value === 'string' && ID_PATTERN.test(value);
}
