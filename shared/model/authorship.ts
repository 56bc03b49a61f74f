/**
 * Anonymous authorship. In an anonymous workshop the server writes, instead of a participant id,
 * a tag that is stable per item and unlinkable across items without the server's key:
 * 'anon:' + the first 22 characters of base64url(HMAC-SHA256(key, item id)). The format is
 * wire format (stored as `author` and as the voter in vote keys): never change it.
 * Synchronous and pure, so it runs the same in the browser and in Node.
 */
import { digest } from 'lib0/hash/sha256';
import { utf8Encode } from '../utf8';

/** Prefix of every anonymous tag. Wire format: never change. */
export const ANONYMOUS_PREFIX = 'anon:';

/** Characters of base64url kept: 132 bits, plenty against collisions in one workshop. */
const TAG_LENGTH = 22;

const BLOCK_SIZE = 64;

/** HMAC-SHA256 (RFC 2104) over lib0's synchronous SHA-256. */
export function hmacSha256(key: Uint8Array, message: Uint8Array): Uint8Array {
  const block = new Uint8Array(BLOCK_SIZE);
  block.set(key.length > BLOCK_SIZE ? digest(key) : key);
  const inner = new Uint8Array(BLOCK_SIZE + message.length);
  const outer = new Uint8Array(BLOCK_SIZE + 32);
  for (let i = 0; i < BLOCK_SIZE; i++) {
    inner[i] = block[i]! ^ 0x36;
    outer[i] = block[i]! ^ 0x5c;
  }
  inner.set(message, BLOCK_SIZE);
  outer.set(digest(inner), BLOCK_SIZE);
  return digest(outer);
}

const BASE64URL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

/** Base64url without padding. */
function base64url(bytes: Uint8Array): string {
  let out = '';
  for (let i = 0; i < bytes.length; i += 3) {
    const a = bytes[i]!;
    const b = bytes[i + 1];
    const c = bytes[i + 2];
    const n = (a << 16) | ((b ?? 0) << 8) | (c ?? 0);
    out += BASE64URL[(n >> 18) & 63]! + BASE64URL[(n >> 12) & 63]!;
    if (b !== undefined) out += BASE64URL[(n >> 6) & 63]!;
    if (c !== undefined) out += BASE64URL[n & 63]!;
  }
  return out;
}

/** The anonymous tag that stands for `authorKey`'s author of `itemId`. */
export function anonymousTag(authorKey: string, itemId: string): string {
  const mac = hmacSha256(utf8Encode(authorKey), utf8Encode(itemId));
  return ANONYMOUS_PREFIX + base64url(mac).slice(0, TAG_LENGTH);
}

const TAG_PATTERN = new RegExp(`^${ANONYMOUS_PREFIX}[A-Za-z0-9_-]{${TAG_LENGTH}}$`);

/** True when `value` is an anonymous tag rather than a participant id. */
export function isAnonymousTag(value: string): boolean {
  return TAG_PATTERN.test(value);
}
