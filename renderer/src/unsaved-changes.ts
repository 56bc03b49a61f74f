/**
 * The count of this device's changes to one workshop that the server has not yet stored on its
 * disk: it falls only when the server's stored acknowledgement (shared/stored-message.ts) covers
 * the frame that carried them, so "all changes saved" means saved.
 *
 * While a socket is open each local change goes out at once in one update frame. Changes made
 * with no socket (offline, or before the first connection) go out together in the sync step 2
 * frame this device answers the server's sync step 1 with, on the next socket; so does anything a
 * socket that closed sent without an acknowledgement (the server may not have it).
 *
 * A server older than the extension closes a socket that asks (an unknown message type). Then
 * nothing is asked any more, and a change counts as saved once it is sent, as it did before: the
 * status bar can then not say "all changes saved" (see confirmsSaves).
 */
import { isUpdateFrame } from '../../shared/stored-message';

export class UnsavedChanges {
  /** Local changes not yet acknowledged as stored. */
  private pending: number;
  /** Local changes made in the document update being handled now, not yet in a frame. */
  private marked = 0;
  /** For each update frame sent on the current socket, how many local changes it carried. */
  private frames: number[] = [];
  /** How many of those frames the server said are stored. */
  private acked = 0;
  /** False once the server turned out not to acknowledge anything. */
  private acknowledging = true;

  /** `pending`: changes made in an earlier session, still waiting in this device's copy. */
  constructor(pending: number) {
    this.pending = pending;
  }

  /** The count to show. */
  count(): number {
    return this.pending;
  }

  /** True while the server tells when changes are stored: ask it on every socket. */
  confirmsSaves(): boolean {
    return this.acknowledging;
  }

  /** The server does not know the extension: from now on a change sent counts as saved. */
  withoutAcknowledgements(): void {
    this.acknowledging = false;
    this.frames = [];
    this.acked = 0;
  }

  /** A local change was made; the frame about to be sent for it (if any) carries it. */
  changed(): void {
    this.pending++;
    this.marked++;
  }

  /** The document update was handled: a change no frame took waits for the next sync step 2. */
  settled(): void {
    this.marked = 0;
  }

  /** A new socket: the server counts its frames from 1 again. */
  connected(): void {
    this.frames = [];
    this.acked = 0;
    this.marked = 0;
  }

  /** A frame was sent on the current socket. */
  sent(frame: Uint8Array): void {
    if (!isUpdateFrame(frame)) return;
    // Sync step 2 (type 1) holds everything the server lacked: every change no frame carries yet.
    const carried = frame[1] === 1 ? this.pending - this.inFlight() : this.marked;
    this.marked = 0;
    if (this.acknowledging) this.frames.push(Math.max(0, carried));
    else this.pending = Math.max(0, this.pending - carried);
  }

  /** The server stored the first `n` update frames of the current socket; true when the count fell. */
  acknowledged(n: number): boolean {
    const upTo = Math.min(n, this.frames.length);
    if (upTo <= this.acked) return false;
    let stored = 0;
    for (let i = this.acked; i < upTo; i++) stored += this.frames[i] ?? 0;
    this.acked = upTo;
    const before = this.pending;
    this.pending = Math.max(0, this.pending - stored);
    return this.pending !== before;
  }

  /** Changes in frames of the current socket that wait for their acknowledgement. */
  private inFlight(): number {
    let sum = 0;
    for (let i = this.acked; i < this.frames.length; i++) sum += this.frames[i] ?? 0;
    return sum;
  }
}
