/**
 * Short link codes: the server gives each participant and viewer link a code such as `K7MX-42QP`
 * that a person can read off a projector and type, and a short link (`https://host/j/K7MX-42QP`)
 * that makes a sparse QR code. A code stands for its link: whoever holds it joins, so it is drawn
 * at random (40 bits) and the server limits how many wrong codes one address may try.
 *
 * The alphabet is Crockford's base 32: digits and capital letters without I, L, O and U, so no
 * two characters look alike; what a person types is read forgivingly (lower case, spaces and
 * dashes, O for 0, I and L for 1). Codes are stored without the dash (wire format, never change).
 */

/** The characters of a code (Crockford's base 32). */
export const LINK_CODE_ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/** Characters in a code: 8 × 5 bits = 40 bits. */
export const LINK_CODE_LENGTH = 8;

/** Random bytes a code is made of (5, for 40 bits). */
export const LINK_CODE_BYTES = (LINK_CODE_LENGTH * 5) / 8;

/** A code as stored and sent: eight characters of {@link LINK_CODE_ALPHABET}, no dash. */
const CODE = new RegExp(`^[${LINK_CODE_ALPHABET}]{${LINK_CODE_LENGTH}}$`);

/** True when `value` is a code in its stored form. */
export function isLinkCode(value: unknown): value is string {
  return typeof value === 'string' && CODE.test(value);
}

/** The code of {@link LINK_CODE_BYTES} random bytes (the caller draws them). */
export function linkCodeFromBytes(bytes: Uint8Array): string {
  if (bytes.length !== LINK_CODE_BYTES) throw new RangeError(`a link code takes ${LINK_CODE_BYTES} bytes`);
  let bits = 0n;
  for (const byte of bytes) bits = (bits << 8n) | BigInt(byte);
  let code = '';
  for (let i = LINK_CODE_LENGTH - 1; i >= 0; i--)
    code += LINK_CODE_ALPHABET[Number((bits >> BigInt(i * 5)) & 31n)];
  return code;
}

/** A code as people read it: two groups of four, `K7MX-42QP`. */
export function formatLinkCode(code: string): string {
  return `${code.slice(0, 4)}-${code.slice(4)}`;
}

/**
 * What a person typed as a code, in its stored form, or null when it is not one. Case, spaces,
 * dashes and dots are ignored; O is read as 0, I and L as 1.
 */
export function parseLinkCode(typed: string): string | null {
  const code = typed
    .toUpperCase()
    .replace(/[\s\-‐‑‒–—.]/g, '')
    .replace(/O/g, '0')
    .replace(/[IL]/g, '1');
  return CODE.test(code) ? code : null;
}

/** The path of a code's short link on its server (the server redirects it to the web client). */
export function shortLinkPath(code: string): string {
  return `/j/${formatLinkCode(code)}`;
}

/** The path of a short link as the server routes it (`/j/…`, any case); group 1 is the code as typed. */
export const SHORT_LINK_PATH = /^\/[jJ]\/([^/?#]{1,32})$/;

/** The code of a short link (`https://host/j/K7MX-42QP`), or null when `link` is not one. */
export function linkCodeOfShortLink(link: string): string | null {
  const match = /^https?:\/\/[^/?#]+(\/[^?#]*)$/i.exec(link.trim());
  const path = match?.[1] ? SHORT_LINK_PATH.exec(match[1]) : null;
  return path?.[1] ? parseLinkCode(path[1]) : null;
}
