import { describe, expect, it } from 'vitest';
import {
  formatLinkCode,
  LINK_CODE_ALPHABET,
  LINK_CODE_LENGTH,
  linkCodeFromBytes,
  linkCodeOfShortLink,
  parseLinkCode,
  shortLinkPath,
} from './link-code';

describe('link codes', () => {
  it('carry at least 40 bits in characters that cannot be mistaken for one another', () => {
    expect(LINK_CODE_LENGTH * Math.log2(LINK_CODE_ALPHABET.length)).toBeGreaterThanOrEqual(40);
    for (const lookalike of ['I', 'L', 'O', 'U']) expect(LINK_CODE_ALPHABET).not.toContain(lookalike);
    expect(new Set(LINK_CODE_ALPHABET).size).toBe(LINK_CODE_ALPHABET.length);
  });

  it('are drawn from random bytes, every character of the alphabet possible', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 256; i += 5) {
      const code = linkCodeFromBytes(Uint8Array.from([i, i + 1, i + 2, i + 3, i + 4]));
      expect(code).toMatch(new RegExp(`^[${LINK_CODE_ALPHABET}]{${LINK_CODE_LENGTH}}$`));
      for (const c of code) seen.add(c);
    }
    expect(seen.size).toBe(LINK_CODE_ALPHABET.length);
    expect(() => linkCodeFromBytes(new Uint8Array(4))).toThrow(RangeError);
  });

  it('are shown in two groups of four and read back however a person types them', () => {
    expect(formatLinkCode('K7MX42QP')).toBe('K7MX-42QP');
    for (const typed of ['K7MX-42QP', 'k7mx42qp', ' k7mx 42qp ', 'K7MX–42QP', 'k7mx.42qp'])
      expect(parseLinkCode(typed)).toBe('K7MX42QP');
    // The letters people write for 0 and 1 are read as those digits.
    expect(parseLinkCode('OILX-42QP')).toBe('011X42QP');
  });

  it('refuse what is not a code: too short, too long, or a letter outside the alphabet', () => {
    for (const typed of ['', 'K7MX-42Q', 'K7MX-42QPA', 'K7MX-42QU', 'K7MX_42QP', 'https://x/j/K7MX42QP'])
      expect(parseLinkCode(typed)).toBeNull();
  });

  it('name the short link of a code, and a short link names its code', () => {
    expect(shortLinkPath('K7MX42QP')).toBe('/j/K7MX-42QP');
    expect(linkCodeOfShortLink('https://talkoo.example.fi/j/K7MX-42QP')).toBe('K7MX42QP');
    expect(linkCodeOfShortLink('http://192.168.1.5:4455/J/k7mx42qp')).toBe('K7MX42QP');
    expect(linkCodeOfShortLink('https://talkoo.example.fi/#/w/room?token=x')).toBeNull();
    expect(linkCodeOfShortLink('K7MX-42QP')).toBeNull();
  });
});
