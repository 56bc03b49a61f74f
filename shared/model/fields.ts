/**
 * Defensive readers for values inside Yjs maps. Anything may arrive from the network or an old
 * file, so every read names a default and never trusts a cast. Internal to the model.
 */
import * as Y from 'yjs';

/** A map-of-maps root, e.g. notes: id → fields. */
export type Collection = Y.Map<unknown>;

/** A string field, or `fallback` when absent or of another type. */
export function str(map: Y.Map<unknown>, key: string, fallback = ''): string {
  const value = map.get(key);
  if (typeof value === 'string') return value;
  if (value instanceof Y.Text) return value.toJSON();
  return fallback;
}

/** A finite number field, or `fallback`. */
export function num(map: Y.Map<unknown>, key: string, fallback = 0): number {
  const value = map.get(key);
  return typeof value === 'number' && Number.isFinite(value) ? value : fallback;
}

/** An integer field (rounded toward zero), or `fallback`. */
export function int(map: Y.Map<unknown>, key: string, fallback = 0): number {
  const value = map.get(key);
  return typeof value === 'number' && Number.isFinite(value) ? Math.trunc(value) : fallback;
}

/** A boolean field, or `fallback`. */
export function bool(map: Y.Map<unknown>, key: string, fallback = false): boolean {
  const value = map.get(key);
  return typeof value === 'boolean' ? value : fallback;
}

/** A string that is one of `allowed`, or `fallback`. */
export function oneOf<T extends string>(
  map: Y.Map<unknown>,
  key: string,
  allowed: readonly T[],
  fallback: T,
): T {
  const value = map.get(key);
  return typeof value === 'string' && (allowed as readonly string[]).includes(value)
    ? (value as T)
    : fallback;
}

/** A non-empty string or null. */
export function optionalStr(map: Y.Map<unknown>, key: string): string | null {
  const value = str(map, key);
  return value === '' ? null : value;
}

/** An array of strings (non-strings dropped), or empty. */
export function strList(map: Y.Map<unknown>, key: string): string[] {
  const value = map.get(key);
  const items = value instanceof Y.Array ? value.toArray() : Array.isArray(value) ? value : [];
  return items.filter((item): item is string => typeof item === 'string');
}

/** The nested map stored under `key`, or undefined. */
export function childMap(map: Y.Map<unknown>, key: string): Y.Map<unknown> | undefined {
  const value = map.get(key);
  return value instanceof Y.Map ? (value as Y.Map<unknown>) : undefined;
}

/** The nested text stored under `key`, or undefined. */
export function childText(map: Y.Map<unknown>, key: string): Y.Text | undefined {
  const value = map.get(key);
  return value instanceof Y.Text ? value : undefined;
}

/** Every entry of a collection whose value is a map, in key order (deterministic). */
export function entries(collection: Collection): [string, Y.Map<unknown>][] {
  const out: [string, Y.Map<unknown>][] = [];
  collection.forEach((value, key) => {
    if (value instanceof Y.Map) out.push([key, value as Y.Map<unknown>]);
  });
  return out.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
}

/** Sorts by `order`, then id, so every replica lists items the same way. */
export function byOrder<T extends { order: number; id: string }>(a: T, b: T): number {
  return a.order - b.order || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}

/** The plain object (JSON, not a Yjs type or an array) stored under `key`, or undefined. */
export function plainObject(map: Y.Map<unknown>, key: string): Record<string, unknown> | undefined {
  const value: unknown = map.get(key);
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  if (value instanceof Y.AbstractType) return undefined;
  return value as Record<string, unknown>;
}

/** A finite number, or undefined. */
export function finite(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}
