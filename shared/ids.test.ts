import { afterEach, describe, expect, it, vi } from 'vitest';
import { newId, randomUuid } from './ids';

const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

afterEach(() => vi.unstubAllGlobals());

describe('random ids', () => {
  it('are version-4 UUIDs, different each time', () => {
    const ids = new Set(Array.from({ length: 1000 }, () => newId()));
    expect(ids.size).toBe(1000);
    for (const id of ids) expect(id).toMatch(UUID_V4);
  });

  it('are made from getRandomValues where randomUUID is missing (a page over plain http on a LAN)', () => {
    // What a browser offers outside a secure context: getRandomValues, no randomUUID.
    const real = globalThis.crypto;
    const insecure = { getRandomValues: (a: Uint8Array<ArrayBuffer>) => real.getRandomValues(a) };
    vi.stubGlobal('crypto', insecure);
    const ids = new Set(Array.from({ length: 1000 }, () => randomUuid()));
    expect(ids.size).toBe(1000);
    for (const id of ids) expect(id).toMatch(UUID_V4);
  });
});
