/**
 * The server's part in facilitation (collab-server/README.md, "Who may change what"):
 *
 * - it judges every peer's update by the role policy before the room applies it (shared/policy);
 * - it keeps each person's own document in a room (`<room>~me~<id>`: drafts of a private writing
 *   round and ballots of open rounds), which only that person's connections sync, so no other
 *   client ever receives them;
 * - it counts what each person has written and how many dots they have placed (facilitation
 *   `progress`, for the facilitator), and
 * - at a reveal (the facilitator ends a private writing round, or moves a round on from open) it
 *   publishes the drafts as notes and writes the round's ballots into the workshop's votes.
 */
import * as Y from 'yjs';
import type { NoteId, ParticipantId, RoundId } from '../../shared/ids';
import { anonymousTag, isAnonymousTag } from '../../shared/model/authorship';
import { CLIENTS_ROOT } from '../../shared/model/collisions';
import { childMap } from '../../shared/model/fields';
import { publishDrafts, readBallots, readDrafts, revealBallots } from '../../shared/model/personal';
import { parseVoteKey, roots, voteKey } from '../../shared/model/roots';
import { readFacilitation } from '../../shared/model/read';
import { readRounds } from '../../shared/model/votes';
import { writeProgress } from '../../shared/model/write';
import { describeUpdate, type DecodedUpdate } from '../../shared/policy/changes';
import { judgePersonal, type BallotBox } from '../../shared/policy/personal';
import { clientRecordsToWrite, judgeUpdate } from '../../shared/policy/policy';
import { workshopView } from '../../shared/policy/view';
import type { Logger } from '../log';
import { parsePersonalRoomName, personalRoomName } from './personal-rooms';
import type { Peer, Room, Verdict } from './room';
import type { RoomManager } from './room-manager';

/** Largest personal document (drafts and ballots), bytes: a private round's notes, many times over. */
export const MAX_PERSONAL_BYTES = 256 * 1024;

/**
 * Most people with a personal document holding something, per room. Identities cost a client
 * nothing (one per connection without `me`), so this and MAX_PERSONAL_BYTES bound what one link
 * can make the server store this way (at most 128 MiB a room), as MAX_DOCUMENT_BYTES bounds the
 * workshop itself.
 */
export const MAX_PEOPLE_WITH_DOCUMENTS = 500;

/** What a workshop's rounds and targets say to a ballot. */
function ballotBox(main: Y.Doc): BallotBox {
  const rounds = new Map(readRounds(main).map((round) => [round.id as string, round]));
  return {
    round: (id) => rounds.get(id),
    targetExists: (target, id) => roots(main)[target].get(id) instanceof Y.Map,
  };
}

/** The root type that holds `type`. */
function withinRoot(type: object): object {
  let at = type as { readonly _item: { readonly parent: unknown } | null };
  while (at._item?.parent) at = at._item.parent as typeof at;
  return at;
}

/**
 * Private writing on, the rounds open now, and anonymity: a reveal is a change of either of the
 * first two; a workshop turning anonymous has its authors replaced by tags.
 */
type Watched = { privateWriting: boolean; open: Set<string>; anonymous: boolean };

function watched(doc: Y.Doc): Watched {
  return {
    privateWriting: roots(doc).facilitation.get('privateWriting') === true,
    anonymous: roots(doc).facilitation.get('anonymous') === true,
    open: new Set(
      readRounds(doc)
        .filter((r) => r.state === 'open')
        .map((r) => r.id as string),
    ),
  };
}

export class Facilitation {
  /** Rooms' last watched state, to tell a reveal from any other change. */
  private readonly state = new WeakMap<Room, Watched>();
  /**
   * Per room, the Yjs client ids each person (by identity id) started: their first change came
   * from them, so theirs is the record of who writes with it, though it may come later.
   */
  private readonly started = new WeakMap<Room, Map<string, Set<number>>>();
  private rooms: RoomManager | null = null;

  constructor(
    private readonly authorKey: (room: string, id: string) => string,
    private readonly log: Logger,
  ) {}

  /** Starts serving `rooms` (they are made after this, with its check and hooks). */
  serve(rooms: RoomManager): void {
    this.rooms = rooms;
  }

  /** The role policy, or for a personal document the ballot box's limits. */
  readonly check = (room: Room, peer: Peer, update: Uint8Array, decoded: DecodedUpdate): Verdict => {
    const personal = parsePersonalRoomName(room.name);
    if (personal) {
      const main = this.rooms?.peek(personal.room);
      if (!main) return { code: 'unknown-change', path: '' };
      // A person's document is small; what it holds is published into the workshop at a reveal.
      if (Y.encodeStateAsUpdate(room.doc).byteLength + update.byteLength > MAX_PERSONAL_BYTES)
        return { code: 'personal-full', path: '' };
      const counted = childMap(roots(main.doc).facilitation, 'progress');
      if (counted && !counted.has(personal.id) && counted.size >= MAX_PEOPLE_WITH_DOCUMENTS)
        return { code: 'personal-full', path: '' };
      return judgePersonal(room.doc, ballotBox(main.doc), describeUpdate(room.doc, update, decoded));
    }
    // Trusted: a facilitator's update is not even read.
    if (peer.role === 'facilitator') return null;
    const id = peer.identity?.id ?? null;
    const started = id === null ? undefined : this.startedBy(room, id);
    const subject = { role: peer.role, id, authorKey: peer.identity?.authorKey ?? null, started };
    const view = workshopView(room.doc);
    const changes = describeUpdate(room.doc, update, decoded);
    const refused = judgeUpdate(subject, view, changes);
    if (refused) return refused;
    for (const client of changes.newClients) started?.add(client);
    // A record its client wrote offline, under an identity or a setting that changed meanwhile, is
    // written as it must read rather than refused: nobody's offline edits are lost over it.
    const records = clientRecordsToWrite(subject, view, changes);
    if (records.size === 0) return null;
    return {
      amend: () => {
        const map = room.doc.getMap<unknown>(CLIENTS_ROOT);
        for (const [client, writer] of records) map.set(client, writer);
      },
    };
  };

  /** The client ids person `id` started in `room` (see {@link Facilitation.started}). */
  private startedBy(room: Room, id: string): Set<number> {
    let people = this.started.get(room);
    if (!people) this.started.set(room, (people = new Map<string, Set<number>>()));
    let clients = people.get(id);
    if (!clients) people.set(id, (clients = new Set<number>()));
    return clients;
  }

  /** A room was loaded: follow its changes. */
  readonly loaded = (room: Room): void => {
    const personal = parsePersonalRoomName(room.name);
    if (personal) {
      room.doc.on('update', () => this.personalChanged(personal.room, personal.id, room));
      return;
    }
    this.state.set(room, watched(room.doc));
    this.catchUp(room);
    const { facilitation } = roots(room.doc);
    room.doc.on('afterTransaction', (transaction: Y.Transaction) => {
      // Most changes are to notes: only one inside `facilitation` can be a reveal.
      for (const type of transaction.changed.keys()) {
        if (withinRoot(type) === facilitation) return this.mainChanged(room);
      }
    });
  };

  /**
   * A reveal the server did not finish (it stopped between storing the facilitator's reveal and
   * writing what it reveals) is finished when the room loads again: the progress it wrote says
   * who still holds drafts or dots of rounds that are no longer open.
   */
  private catchUp(room: Room): void {
    const { progress } = readFacilitation(room.doc);
    const { privateWriting, open } = watched(room.doc);
    const keys = [...roots(room.doc).votes.keys()];
    const voted = (round: string, id: string): boolean => {
      const prefix = `${round}|${this.voter(room, id, round as RoundId)}|`;
      return keys.some((key) => key.startsWith(prefix));
    };
    const pending = new Set<string>();
    let drafts = false;
    for (const [id, entry] of Object.entries(progress)) {
      if (entry.drafts > 0 && !privateWriting) drafts = true;
      for (const [round, dots] of Object.entries(entry.dots))
        if (dots > 0 && !open.has(round) && !voted(round, id)) pending.add(round);
    }
    if (drafts) void this.revealDrafts(room);
    for (const round of pending) void this.revealRound(room, round as RoundId);
  }

  private mainChanged(room: Room): void {
    const before = this.state.get(room);
    const now = watched(room.doc);
    this.state.set(room, now);
    if (!before) return;
    const ended = [...before.open].filter((id) => !now.open.has(id));
    if (before.privateWriting && !now.privateWriting) void this.revealDrafts(room);
    for (const round of ended) void this.revealRound(room, round as RoundId);
    if (!before.anonymous && now.anonymous)
      queueMicrotask(() => this.guarded(room, 'authors could not be hidden', () => this.anonymise(room)));
  }

  /**
   * A workshop turned anonymous keeps no one's id as the author of an item or a vote: each is
   * replaced by the tag only its writer and the server can tell (shared/model/authorship.ts), in
   * one transaction. The server keeps no history of a replaced value (its documents collect
   * deleted content), so whoever joins from then on never receives the ids.
   */
  private anonymise(main: Room): void {
    const tagOf = (author: string, item: string): string =>
      anonymousTag(this.authorKey(main.name, author), item);
    const r = roots(main.doc);
    main.doc.transact(() => {
      for (const root of [r.notes, r.themes, r.actions]) {
        root.forEach((item, id) => {
          if (!(item instanceof Y.Map)) return;
          const fields = item as Y.Map<unknown>;
          const author = fields.get('author');
          if (typeof author === 'string' && author !== '' && !isAnonymousTag(author))
            fields.set('author', tagOf(author, id));
        });
      }
      for (const [key, count] of [...r.votes.entries()]) {
        const parsed = parseVoteKey(key);
        if (!parsed || isAnonymousTag(parsed.participant)) continue;
        r.votes.delete(key);
        r.votes.set(voteKey(parsed.round, tagOf(parsed.participant, parsed.round), parsed.target), count);
      }
      // Which client wrote which change is in every item: a record naming the person would name them.
      const records = main.doc.getMap<unknown>(CLIENTS_ROOT);
      for (const [client, who] of [...records.entries()]) {
        if (typeof who === 'string' && who !== '' && !isAnonymousTag(who))
          records.set(client, tagOf(who, client));
      }
    });
  }

  /** The ids of people with progress recorded in `room` (who may have drafts or ballots). */
  private people(main: Y.Doc): string[] {
    const progress = childMap(roots(main).facilitation, 'progress');
    return progress ? [...progress.keys()] : [];
  }

  /** Runs `fn` with person `id`'s own document in `room`, loaded for the while. */
  private async withPersonal(room: string, id: string, fn: (personal: Room) => void): Promise<void> {
    const rooms = this.rooms;
    if (!rooms) return;
    const name = personalRoomName(room, id);
    const personal = await rooms.acquire(name);
    try {
      fn(personal);
    } finally {
      rooms.release(name);
    }
  }

  private anonymous(main: Y.Doc): boolean {
    return roots(main).facilitation.get('anonymous') === true;
  }

  /** Who a person's published note is by: their id, or in an anonymous workshop their tag for it. */
  private authorFor(main: Room, id: string): (noteId: NoteId) => string {
    if (!this.anonymous(main.doc)) return () => id;
    const key = this.authorKey(main.name, id);
    return (noteId) => anonymousTag(key, noteId);
  }

  private async revealDrafts(main: Room): Promise<void> {
    for (const id of this.people(main.doc)) {
      try {
        await this.withPersonal(main.name, id, (personal) => this.publish(main, id, personal));
      } catch (error) {
        this.log('error', 'drafts could not be published', {
          room: main.name,
          error: (error as Error).message,
        });
      }
    }
  }

  private publish(main: Room, id: string, personal: Room): void {
    if (readDrafts(personal.doc).length === 0) return;
    publishDrafts(main.doc, personal.doc, this.authorFor(main, id));
  }

  /** Who person `id` votes as in a round: their id, or in an anonymous workshop a tag that differs from round to round. */
  private voter(main: Room, id: string, roundId: RoundId): string {
    return this.anonymous(main.doc) ? anonymousTag(this.authorKey(main.name, id), roundId) : id;
  }

  private async revealRound(main: Room, roundId: RoundId): Promise<void> {
    const byVoter = new Map<string, Map<string, number>>();
    for (const id of this.people(main.doc)) {
      try {
        await this.withPersonal(main.name, id, (personal) => {
          const ballots = readBallots(personal.doc, roundId);
          if (ballots.size === 0) return;
          byVoter.set(this.voter(main, id, roundId), ballots);
        });
      } catch (error) {
        this.log('error', 'ballots could not be read', { room: main.name, error: (error as Error).message });
      }
    }
    this.guarded(main, 'ballots could not be revealed', () => revealBallots(main.doc, roundId, byVoter));
  }

  /** A person's own document changed: count their progress; drafts outside a private round are published. */
  private personalChanged(roomName: string, id: string, personal: Room): void {
    const main = this.rooms?.peek(roomName);
    if (!main) return;
    const drafts = readDrafts(personal.doc).length;
    const dots: Record<string, number> = {};
    for (const round of readRounds(main.doc)) {
      let n = 0;
      for (const count of readBallots(personal.doc, round.id).values()) n += count;
      if (n > 0) dots[round.id] = n;
    }
    // The server's own writes: a workshop it cannot write (a newer schema's) is logged, never a
    // reason to drop the person's connection or the process.
    this.guarded(main, 'progress could not be written', () =>
      writeProgress(main.doc, id as ParticipantId, { drafts, dots }),
    );
    // Written offline while no round ran (or after it ended): nothing to keep private.
    if (drafts > 0 && roots(main.doc).facilitation.get('privateWriting') !== true)
      queueMicrotask(() =>
        this.guarded(main, 'drafts could not be published', () => this.publish(main, id, personal)),
      );
  }

  private guarded(main: Room, what: string, write: () => void): void {
    try {
      write();
    } catch (error) {
      this.log('error', what, { room: main.name, error: (error as Error).message });
    }
  }
}
