/**
 * The names of people's own documents in a workshop (`<room>~me~<id>`): stored, loaded and, in a
 * cluster, leased with their workshop's room. Kept apart from rooms/facilitation.ts, which judges
 * what goes into them, so the room manager and the cluster can name them without importing it.
 */

/** Separates a room's name from a person's id in the name of their own document; never in a room name. */
const PERSONAL_SEPARATOR = '~me~';

/** The name of person `id`'s own document in `room`. */
export function personalRoomName(room: string, id: string): string {
  return `${room}${PERSONAL_SEPARATOR}${id}`;
}

/** The room and person of a personal document's name, or null for a workshop room. */
export function parsePersonalRoomName(name: string): { room: string; id: string } | null {
  const at = name.indexOf(PERSONAL_SEPARATOR);
  return at < 0 ? null : { room: name.slice(0, at), id: name.slice(at + PERSONAL_SEPARATOR.length) };
}

/** The workshop room a document belongs to: itself, or the workshop of a person's own document. */
export function workshopRoomOf(name: string): string {
  return parsePersonalRoomName(name)?.room ?? name;
}
