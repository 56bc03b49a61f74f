/**
 * The benchmark route `#/bench?notes=N`: a needs board of N generated notes in a local document
 * (no server), rendered by the real components. Once the board is on the screen (its first frame
 * presented, with every note in the page) it sets `window.__bench = { ready: true, count: N,
 * readyAt }`, so any harness can time it the same way. The notes out of view are laid out just
 * after (NoteList); `settledAt` is when that was done.
 */
import { useEffect, useLayoutEffect, useMemo } from 'react';
import { Awareness } from 'y-protocols/awareness';
import * as Y from 'yjs';
import {
  addLane,
  addNotes,
  createUndoManager,
  createWorkshop,
  createWorkshopStore,
  NOTE_COLOURS,
  TEMPLATE_BOARD_IDS,
  type LaneId,
  type NoteId,
  type ParticipantId,
} from '../../../shared';
import { NeedsBoard } from '../boards/needs-board';
import type { WorkshopConnection } from '../connection';
import { LanguageContext } from '../i18n';
import { MeContext } from '../me';
import { WorkshopContext } from '../use-workshop';

declare global {
  // Declaration merging with the DOM's Window needs an interface.
  // eslint-disable-next-line @typescript-eslint/consistent-type-definitions
  interface Window {
    __bench?: {
      ready: boolean;
      count: number;
      readyAt: number;
      settledAt?: number;
      /** The annual wheel's benchmark: from asking for the wheel to its frame on the screen. */
      drawMs?: number;
    };
  }
}

const WORDS = 'kulttuuri yhteistyö tilat nuoret kirjasto kunta tapahtuma verkosto rahoitus osallisuus'.split(
  ' ',
);

function benchConnection(count: number): WorkshopConnection {
  performance.mark('bench:start');
  const doc = new Y.Doc();
  createWorkshop(doc, {
    title: `Benchmark: ${count} notes`,
    language: 'en',
    boardTitles: { needs: 'Needs', themes: 'Themes', actions: 'Actions' },
  });
  const lanes = ['Municipalities', 'Free cultural actors', 'Libraries', 'Youth work', 'Associations'].map(
    (title) => addLane(doc, TEMPLATE_BOARD_IDS.needs, title) as LaneId,
  );
  addNotes(
    doc,
    TEMPLATE_BOARD_IDS.needs,
    Array.from({ length: count }, (_, i) => ({
      // Ids given, as an imported outline gives them: the document stands in for one loaded
      // from elsewhere, so minting a thousand random UUIDs is no part of showing it.
      id: `bench-note-${i + 1}` as NoteId,
      text: `${i + 1}. ${WORDS[i % WORDS.length]} ${WORDS[(i * 7) % WORDS.length]} ${WORDS[(i * 3) % WORDS.length]}`,
      laneId: lanes[i % lanes.length] ?? null,
      colour: NOTE_COLOURS[i % NOTE_COLOURS.length],
      y: i,
    })),
  );
  performance.mark('bench:document');
  return localConnection(doc);
}

/**
 * A connection to `doc` alone, with no server (the benchmark routes': this one and the annual
 * wheel's, plan/wheel-bench.tsx). Marks `bench:read-model` once the read model is built.
 */
export function localConnection(doc: Y.Doc): WorkshopConnection {
  const store = createWorkshopStore(doc);
  performance.mark('bench:read-model');
  return {
    place: { server: 'bench', room: 'bench' },
    doc,
    store,
    undo: createUndoManager(doc),
    awareness: new Awareness(doc),
    synced: () => true,
    status: () => 'online',
    refusal: () => null,
    unsent: () => 0,
    confirmsSaves: () => true,
    syncing: () => false,
    identity: () => null,
    serverNow: () => Date.now(),
    personal: () => null,
    onChange: () => () => undefined,
    onRefused: () => () => undefined,
    onSalvaged: () => () => undefined,
    close: () => doc.destroy(),
  };
}

/**
 * When the browser presented the first frame with content in it: the board's frame, as nothing
 * else is shown before it. Null if that came before `after` (then it was not the board's), or if
 * the browser reports no paint timing within 2 s.
 */
export function firstContentfulPaint(after: number): Promise<number | null> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(null), 2000);
    const observer = new PerformanceObserver((list) => {
      const entry = list.getEntriesByName('first-contentful-paint')[0];
      if (!entry) return;
      observer.disconnect();
      clearTimeout(timer);
      resolve(entry.startTime >= after ? entry.startTime : null);
    });
    observer.observe({ type: 'paint', buffered: true });
  });
}

/**
 * When every note had been laid out: the first frame lays out only the notes on the screen, and
 * the lists lay out the rest once the browser is idle (NoteList). Checked every frame from when
 * the board was on the screen; the time is two frames after no deferred chunk was left, so it
 * errs late by up to about three frames.
 */
function settled(): Promise<number> {
  return new Promise((resolve) => {
    const check = (): void => {
      if (document.querySelector('.note-chunk.deferred')) requestAnimationFrame(check);
      else requestAnimationFrame(() => requestAnimationFrame(() => resolve(performance.now())));
    };
    check();
  });
}

export function BenchScreen({ notes }: { notes: number }) {
  const connection = useMemo(() => benchConnection(notes), [notes]);
  const me = useMemo(
    () => ({ id: 'bench' as ParticipantId, name: 'Bench', colour: '#1D5FD1', role: 'participant' as const }),
    [],
  );
  // The board is in the DOM (React committed it); the browser has not laid it out yet.
  useLayoutEffect(() => {
    performance.mark('bench:dom');
  }, []);
  useEffect(() => {
    const committed = performance.mark('bench:committed').startTime;
    // Two frames after the commit the notes are laid out and painted. The frame with them is
    // usually presented by then, but not always on a busy machine: ready is the later of the two.
    requestAnimationFrame(() =>
      requestAnimationFrame(() => {
        const framed = performance.now();
        const count = document.querySelectorAll('[data-note-id]').length;
        const dom = performance.getEntriesByName('bench:dom')[0]?.startTime ?? committed;
        void firstContentfulPaint(dom).then((shown) => {
          // readyAt: milliseconds since navigation started, for harnesses that want it.
          window.__bench = { ready: count === notes, count, readyAt: Math.max(framed, shown ?? 0) };
          void settled().then((at) => {
            if (window.__bench) window.__bench.settledAt = at;
          });
        });
      }),
    );
  }, [notes]);
  return (
    <WorkshopContext.Provider value={connection}>
      <LanguageContext.Provider value="en">
        <MeContext.Provider value={me}>
          <div className="workshop">
            <main className="board-panel">
              <NeedsBoard />
            </main>
          </div>
        </MeContext.Provider>
      </LanguageContext.Provider>
    </WorkshopContext.Provider>
  );
}
