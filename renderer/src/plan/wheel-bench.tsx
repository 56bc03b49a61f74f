/**
 * The annual wheel's benchmark route `#/bench/wheel?actions=N`: a plan of N actions in one year
 * (and four recurring items) in a local document, no server. Once its first frame is on the
 * screen the page asks for the wheel (the real AnnualWheel, as the actions board shows it) and
 * times it to the frame that shows it: `window.__bench = { ready, count, readyAt, drawMs }`,
 * `count` the actions drawn. bench/scenarios/wheel-500.mjs reads it.
 */
import { useEffect, useLayoutEffect, useMemo, useState } from 'react';
import * as Y from 'yjs';
import {
  ACTION_STATUSES,
  addAction,
  createWorkshop,
  type ActionId,
  type ParticipantId,
} from '../../../shared';
import { addRecurring } from '../../../shared/model/plan';
import { firstContentfulPaint, localConnection } from '../app/bench-screen';
import { LanguageContext } from '../i18n';
import { MeContext } from '../me';
import { useWorkshop, WorkshopContext } from '../use-workshop';
import { AnnualWheel } from './wheel';

const YEAR = 2026;
const WORDS = 'kulttuuri yhteistyö tilat nuoret kirjasto kunta tapahtuma verkosto rahoitus osallisuus'.split(
  ' ',
);

function wheelDocument(count: number): Y.Doc {
  performance.mark('bench:start');
  const doc = new Y.Doc();
  createWorkshop(doc, {
    title: `Benchmark: ${count} actions`,
    language: 'en',
    boardTitles: { needs: 'Needs', themes: 'Themes', actions: 'Actions' },
  });
  const month = (m: number): string => `${YEAR}-${String(m).padStart(2, '0')}`;
  doc.transact(() => {
    for (let i = 0; i < count; i++) {
      // Starts spread over the year, one to six months long, all inside it.
      const start = 1 + ((i * 7) % 12);
      const end = Math.min(12, start + (i % 6));
      addAction(doc, {
        id: `bench-action-${i + 1}` as ActionId,
        title: `${i + 1}. ${WORDS[i % WORDS.length]} ${WORDS[(i * 3) % WORDS.length]}`,
        start: month(start),
        end: month(end),
        status: ACTION_STATUSES[i % ACTION_STATUSES.length],
      });
    }
    addRecurring(doc, { title: 'Network meeting', months: [1, 4, 7, 10] });
    addRecurring(doc, { title: 'Culture festival', months: [10] });
    addRecurring(doc, { title: 'Budget round', months: [9, 10, 11] });
    addRecurring(doc, { title: 'Summer camp', months: [6, 7] });
  });
  performance.mark('bench:document');
  return doc;
}

/** The wheel, and the report once its frame is on the screen. */
function TimedWheel({ count, askedAt }: { count: number; askedAt: number }) {
  const actions = useWorkshop((w) => w.actions);
  useLayoutEffect(() => {
    performance.mark('bench:dom');
  }, []);
  useEffect(() => {
    performance.mark('bench:committed');
    // Two frames after the commit the wheel is laid out and painted (as the notes benchmark).
    requestAnimationFrame(() =>
      requestAnimationFrame(() => {
        const framed = performance.now();
        const drawn = document.querySelectorAll('[data-kind="action"]').length;
        void firstContentfulPaint(0).then((shown) => {
          window.__bench = {
            ready: drawn === count,
            count: drawn,
            readyAt: Math.max(framed, shown ?? 0),
            drawMs: framed - askedAt,
          };
        });
      }),
    );
  }, [count, askedAt]);
  return <AnnualWheel actions={actions} onOpenAction={() => undefined} />;
}

export function WheelBenchScreen({ actions }: { actions: number }) {
  const connection = useMemo(() => localConnection(wheelDocument(actions)), [actions]);
  const me = useMemo(
    () => ({ id: 'bench' as ParticipantId, name: 'Bench', colour: '#1D5FD1', role: 'facilitator' as const }),
    [],
  );
  // The page's first frame shows the board without the wheel; then the wheel is asked for.
  const [askedAt, setAskedAt] = useState<number | null>(null);
  useEffect(() => {
    requestAnimationFrame(() =>
      requestAnimationFrame(() => setAskedAt(performance.mark('wheel:asked').startTime)),
    );
  }, []);
  return (
    <WorkshopContext.Provider value={connection}>
      <LanguageContext.Provider value="en">
        <MeContext.Provider value={me}>
          <div className="workshop">
            <main className="board-panel">
              {askedAt === null ? <p>…</p> : <TimedWheel count={actions} askedAt={askedAt} />}
            </main>
          </div>
        </MeContext.Provider>
      </LanguageContext.Provider>
    </WorkshopContext.Provider>
  );
}
