/**
 * Reads through a Yjs update (v1 encoding) without building it: the cheap way to know, before
 * `Y.applyUpdate`, that the update is whole. Applying reads every struct before it integrates any
 * (a malformed struct changes nothing), but applies the delete set while reading it: an update cut
 * off or garbled there would be applied in part. So this follows the struct section as Yjs reads
 * it (yjs `readClientsStructRefs`, 13.6) only to find where the delete set starts, skipping texts
 * and values instead of decoding them, and then reads the delete set whole.
 *
 * Used for updates nobody else reads (a facilitator's): `Y.decodeUpdate` of a 1 MiB update takes
 * about 25 ms and makes most of a 1 MiB apply's garbage again; this takes a few milliseconds and
 * allocates nothing.
 */

/** Thrown for an update that is not whole. */
export class MalformedUpdateError extends Error {}

/** Bounds-checked reading of one byte array (lib0's decoding, without building values). */
class Reader {
  private pos = 0;
  constructor(private readonly bytes: Uint8Array) {}

  byte(): number {
    if (this.pos >= this.bytes.length) throw new MalformedUpdateError('update ends early');
    return this.bytes[this.pos++] as number;
  }

  /** lib0 `readVarUint`: 7 bits a byte, at most 53 bits. */
  uint(): number {
    let value = 0;
    let multiplier = 1;
    for (;;) {
      const byte = this.byte();
      value += (byte & 0x7f) * multiplier;
      if (byte < 0x80) return value;
      multiplier *= 128;
      if (value > Number.MAX_SAFE_INTEGER) throw new MalformedUpdateError('integer out of range');
    }
  }

  /** lib0 `readVarInt`: sign in the first byte's sixth bit, then 7 bits a byte. */
  int(): void {
    let byte = this.byte();
    while (byte & 0x80) byte = this.byte();
  }

  /** An item's id: its client, then its clock. */
  id(): void {
    this.uint();
    this.uint();
  }

  skip(length: number): void {
    if (length > this.bytes.length - this.pos) throw new MalformedUpdateError('update ends early');
    this.pos += length;
  }

  /** A string or byte array: its length, then that many bytes. */
  bytesOfLength(): void {
    this.skip(this.uint());
  }

  /** lib0 `readAny`: a tagged value, objects and arrays nested. */
  any(): void {
    const tag = this.byte();
    switch (tag) {
      case 127: // undefined
      case 126: // null
      case 121: // false
      case 120: // true
        return;
      case 125:
        return this.int();
      case 124:
        return this.skip(4);
      case 123: // float64
      case 122: // bigint64
        return this.skip(8);
      case 119: // string
      case 116: // Uint8Array
        return this.bytesOfLength();
      case 118: {
        const length = this.uint();
        for (let i = 0; i < length; i++) {
          this.bytesOfLength();
          this.any();
        }
        return;
      }
      case 117: {
        const length = this.uint();
        for (let i = 0; i < length; i++) this.any();
        return;
      }
      default:
        throw new MalformedUpdateError(`unknown value tag ${tag}`);
    }
  }
}

/** Yjs's content kinds (an item's info & 31) and the type kinds of type content. */
const CONTENT = { deleted: 1, json: 2, binary: 3, string: 4, embed: 5, format: 6, type: 7, any: 8, doc: 9 };
const KEYED_TYPES = new Set([3 /* XmlElement */, 5 /* XmlHook */]);
const TYPE_KINDS = 7;

function skipContent(reader: Reader, kind: number): void {
  switch (kind) {
    case CONTENT.deleted:
      reader.uint();
      return;
    case CONTENT.json: {
      const length = reader.uint();
      for (let i = 0; i < length; i++) reader.bytesOfLength();
      return;
    }
    case CONTENT.binary:
    case CONTENT.string:
    case CONTENT.embed:
      reader.bytesOfLength();
      return;
    case CONTENT.format:
      reader.bytesOfLength();
      reader.bytesOfLength();
      return;
    case CONTENT.type: {
      const type = reader.uint();
      if (type >= TYPE_KINDS) throw new MalformedUpdateError(`unknown type ${type}`);
      if (KEYED_TYPES.has(type)) reader.bytesOfLength();
      return;
    }
    case CONTENT.any: {
      const length = reader.uint();
      for (let i = 0; i < length; i++) reader.any();
      return;
    }
    case CONTENT.doc:
      reader.bytesOfLength();
      reader.any();
      return;
    default:
      throw new MalformedUpdateError(`unknown content ${kind}`);
  }
}

/**
 * Reads `update` (a v1 Yjs update) to its end without building it; returns how many structs it
 * carries (as `Y.decodeUpdate(update).structs.length`). Throws MalformedUpdateError when it is
 * not whole: cut off, or with a kind of content or value Yjs does not know.
 */
export function readUpdateShape(update: Uint8Array): number {
  const reader = new Reader(update);
  let structs = 0;
  const clients = reader.uint();
  for (let c = 0; c < clients; c++) {
    const count = reader.uint();
    reader.uint(); // client
    reader.uint(); // first clock
    for (let s = 0; s < count; s++) {
      const info = reader.byte();
      const kind = info & 0x1f;
      if (kind === 0 || kind === 10) {
        // A garbage-collected range or a skipped one: its length.
        reader.uint();
      } else {
        const hasOrigin = (info & 0x80) !== 0;
        const hasRightOrigin = (info & 0x40) !== 0;
        if (hasOrigin) reader.id();
        if (hasRightOrigin) reader.id();
        if (!hasOrigin && !hasRightOrigin) {
          // The parent: a root's name (1), else an item's id; then the key in a map, if any.
          if (reader.uint() === 1) reader.bytesOfLength();
          else reader.id();
          if (info & 0x20) reader.bytesOfLength();
        }
        skipContent(reader, kind);
      }
      structs++;
    }
  }
  // The delete set, read whole: it is what Yjs applies as it reads.
  const deleted = reader.uint();
  for (let c = 0; c < deleted; c++) {
    reader.uint(); // client
    const ranges = reader.uint();
    for (let r = 0; r < ranges; r++) {
      reader.uint(); // clock
      reader.uint(); // length
    }
  }
  return structs;
}
