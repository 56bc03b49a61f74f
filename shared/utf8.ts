/** UTF-8 encoding and strict decoding for shared/, which has no TextEncoder (see below). */

/**
 * UTF-8 by hand: shared/ compiles against the ES2022 lib alone, which has no TextEncoder.
 * Lone surrogates (not representable in UTF-8) become U+FFFD, as TextEncoder does.
 */
export function utf8Encode(text: string): Uint8Array {
  // At most three bytes per UTF-16 code unit.
  const out = new Uint8Array(text.length * 3);
  let n = 0;
  const push = (...bytes: number[]): void => {
    for (const byte of bytes) out[n++] = byte;
  };
  for (const char of text) {
    let code = char.codePointAt(0) ?? 0xfffd;
    if (code >= 0xd800 && code <= 0xdfff) code = 0xfffd;
    if (code < 0x80) {
      push(code);
    } else if (code < 0x800) {
      push(0xc0 | (code >> 6), 0x80 | (code & 0x3f));
    } else if (code < 0x10000) {
      push(0xe0 | (code >> 12), 0x80 | ((code >> 6) & 0x3f), 0x80 | (code & 0x3f));
    } else {
      push(
        0xf0 | (code >> 18),
        0x80 | ((code >> 12) & 0x3f),
        0x80 | ((code >> 6) & 0x3f),
        0x80 | (code & 0x3f),
      );
    }
  }
  return out.slice(0, n);
}

/** Strict UTF-8 decoding: null on any malformed, overlong, surrogate or truncated sequence. */
export function utf8Decode(bytes: Uint8Array): string | null {
  const parts: string[] = [];
  let i = 0;
  while (i < bytes.length) {
    const first = bytes[i] ?? 0;
    let code: number;
    let continuation: number;
    let min: number;
    if (first < 0x80) {
      [code, continuation, min] = [first, 0, 0];
    } else if (first >= 0xc2 && first <= 0xdf) {
      [code, continuation, min] = [first & 0x1f, 1, 0x80];
    } else if (first >= 0xe0 && first <= 0xef) {
      [code, continuation, min] = [first & 0x0f, 2, 0x800];
    } else if (first >= 0xf0 && first <= 0xf4) {
      [code, continuation, min] = [first & 0x07, 3, 0x10000];
    } else {
      return null;
    }
    if (i + continuation >= bytes.length) return null;
    for (let k = 1; k <= continuation; k++) {
      const next = bytes[i + k] ?? 0;
      if ((next & 0xc0) !== 0x80) return null;
      code = (code << 6) | (next & 0x3f);
    }
    if (code < min || code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff)) return null;
    parts.push(String.fromCodePoint(code));
    i += continuation + 1;
  }
  return parts.join('');
}
