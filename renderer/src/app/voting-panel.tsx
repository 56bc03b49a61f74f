/**
 * The side panel's private writing and dot-voting sections. Both are secrets the server keeps:
 * while a private writing round runs, participants' new notes stay in their own documents; while
 * a voting round is open, everyone's dots stay in theirs. Facilitators see only how many each
 * person has written or placed (the server counts them), and reveal; the server then publishes.
 * After a reveal the round's result is a ranked chart (ties share a rank); once closed, every
 * revealed round stays listed with its chart open, below the open round or the form that starts the
 * next (what the facilitator acts on first, in sight).
 */
import { useEffect, useRef, useState } from 'react';
import {
  openVoteRound,
  rankTally,
  setPrivateWriting,
  setRoundState,
  type Progress,
  type Tally,
  type VoteTarget,
  type Workshop,
} from '../../../shared';
import { announce } from '../controls/announcer';
import { useT, useTn } from '../i18n';
import { useMe } from '../me';
import { useMyBallots } from '../personal';
import { useConnection, useWorkshop } from '../use-workshop';

/**
 * Says `message` when `key` changes from a value `was` accepts to one `is` accepts, here (not
 * when the page opens on it).
 */
function useAnnounceChange(
  key: string,
  was: (key: string) => boolean,
  is: (key: string) => boolean,
  message: string,
): void {
  const previous = useRef(key);
  useEffect(() => {
    if (previous.current !== key && was(previous.current) && is(key)) announce(message);
    previous.current = key;
  });
}

/** How many one person has written or placed, under their name. */
type PersonCount = { readonly id: string; readonly name: string; readonly count: number };

/**
 * Who has written or placed how many (as `count` reads it from the server's progress), by name
 * from the roster (the progress is by identity id, `someone` when not there), those with none
 * left out, in name order.
 */
function countsByPerson(
  progress: Workshop['facilitation']['progress'],
  roster: Workshop['participants'],
  count: (p: Progress) => number,
  someone: string,
): PersonCount[] {
  return Object.entries(progress)
    .map(([id, p]) => ({ id, name: roster.find((r) => r.id === id)?.name ?? someone, count: count(p) }))
    .filter((p) => p.count > 0)
    .sort((a, b) => a.name.localeCompare(b.name));
}

/**
 * What the facilitator sees of a secret round: how many each person has (`line` says it), or
 * `empty` when nobody has any yet, and the button that reveals.
 */
function SecretProgress({
  counts,
  label,
  line,
  empty,
  reveal,
  onReveal,
}: {
  counts: readonly PersonCount[];
  label: string;
  line: (p: PersonCount) => string;
  empty?: string;
  reveal: string;
  onReveal: () => void;
}) {
  return (
    <>
      {counts.length > 0 ? (
        <ul className="people" aria-label={label}>
          {counts.map((p) => (
            <li key={p.id}>{line(p)}</li>
          ))}
        </ul>
      ) : (
        empty && <p className="muted">{empty}</p>
      )}
      <div className="panel-buttons">
        <button type="button" className="primary-button" onClick={onReveal}>
          {reveal}
        </button>
      </div>
    </>
  );
}

/** The private writing round: the facilitator starts and reveals it and sees who wrote how much. */
export function PrivateWritingPanel() {
  const t = useT();
  const tn = useTn();
  const me = useMe();
  const { doc } = useConnection();
  const on = useWorkshop((w) => w.facilitation.privateWriting);
  const progress = useWorkshop((w) => w.facilitation.progress);
  const roster = useWorkshop((w) => w.participants);
  useAnnounceChange(
    String(on),
    (was) => was === 'true',
    (is) => is === 'false',
    t('private.revealed'),
  );
  const facilitator = me.role === 'facilitator';
  if (!facilitator && !on) return null;
  const writers = countsByPerson(progress, roster, (p) => p.drafts, t('private.someone'));
  const total = writers.reduce((sum, w) => sum + w.count, 0);
  return (
    <section aria-labelledby="private-title" className="panel-section">
      <h2 id="private-title">{t('private.title')}</h2>
      {on ? (
        <>
          <p role="status">{t('private.on')}</p>
          <p className="muted">{t('private.meaning')}</p>
          {facilitator && (
            <>
              <p>{tn('private.total', total)}</p>
              <SecretProgress
                counts={writers}
                label={t('private.progress')}
                line={(w) => tn('private.byPerson', w.count, { name: w.name })}
                reveal={t('private.reveal')}
                onReveal={() => setPrivateWriting(doc, false)}
              />
            </>
          )}
        </>
      ) : (
        <>
          <p className="muted">{t('private.explain')}</p>
          <button type="button" className="secondary-button" onClick={() => setPrivateWriting(doc, true)}>
            {t('private.start')}
          </button>
        </>
      )}
    </section>
  );
}

/** Titles of notes and themes by id, for naming what a round's dots went on. */
function useTitles(): ReadonlyMap<string, string> {
  const notes = useWorkshop((w) => w.notes);
  const themes = useWorkshop((w) => w.themes);
  const map = new Map<string, string>();
  for (const n of notes) map.set(n.id, n.text);
  for (const th of themes) map.set(th.id, th.title);
  return map;
}

/**
 * A round's result as a ranked chart: a table of rank, item and dots, each row with a bar as long
 * as its share of the most dots. Tied items share a rank (1, 1, 3).
 */
export function RankedChart({
  tally,
  titles,
  caption,
  captionShown = true,
}: {
  tally: Tally;
  titles: ReadonlyMap<string, string>;
  caption: string;
  /** False where something beside it already shows the caption (it still names the table). */
  captionShown?: boolean;
}) {
  const t = useT();
  const ranked = rankTally(tally);
  const most = ranked[0]?.count ?? 0;
  if (ranked.length === 0) return <p className="muted">{t('vote.noDots')}</p>;
  return (
    <table className="ranked-chart">
      <caption className={captionShown ? undefined : 'visually-hidden'}>{caption}</caption>
      <thead>
        <tr>
          <th scope="col">{t('vote.rank')}</th>
          <th scope="col">{t('vote.item')}</th>
          <th scope="col">{t('vote.count')}</th>
        </tr>
      </thead>
      <tbody>
        {ranked.map((r) => (
          <tr key={r.target}>
            <td className="rank">{r.rank}</td>
            <th scope="row" className="item">
              {titles.get(r.target) ?? t('vote.deletedItem')}
              <span className="bar" aria-hidden="true">
                <span style={{ width: `${most ? (100 * r.count) / most : 0}%` }} />
              </span>
            </th>
            <td className="count">{r.count}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** The round's name in lists: its number and what was voted on. */
function roundName(t: ReturnType<typeof useT>, tally: Tally, index: number): string {
  return t('vote.roundName', {
    number: index + 1,
    target: t(tally.round.target === 'notes' ? 'vote.targetNotes' : 'vote.targetThemes'),
  });
}

/** The most dots a round's limits take (per person, per item). */
const MOST_DOTS = 50;

/** A round's limit in dots, kept from `min` to MOST_DOTS (`min` when left empty). */
function CountInput({
  min,
  value,
  onChange,
  describedBy,
}: {
  min: number;
  value: number;
  onChange: (value: number) => void;
  describedBy?: string;
}) {
  return (
    <input
      type="number"
      min={min}
      max={MOST_DOTS}
      value={value}
      aria-describedby={describedBy}
      onChange={(e) => onChange(Math.max(min, Math.min(MOST_DOTS, Number(e.target.value) || min)))}
    />
  );
}

/** Dot voting: my dots left while a round is open; the facilitator's round controls; results. */
export function VotingPanel() {
  const t = useT();
  const tn = useTn();
  const me = useMe();
  const { doc, serverNow } = useConnection();
  const round = useWorkshop((w) => w.rounds.find((r) => r.id === w.facilitation.activeRoundId) ?? null);
  const tallies = useWorkshop((w) => w.tallies);
  const progress = useWorkshop((w) => w.facilitation.progress);
  const participants = useWorkshop((w) => w.participants);
  const tally = round ? (tallies.find((x) => x.round.id === round.id) ?? null) : null;
  const titles = useTitles();
  const ballots = useMyBallots(round?.state === 'open' ? round.id : null);
  const [target, setTarget] = useState<VoteTarget>('notes');
  const [dots, setDots] = useState(5);
  const [maxPerItem, setMaxPerItem] = useState(0);
  const facilitator = me.role === 'facilitator';
  // A round of the same id went from open to revealed.
  const roundKey = round ? `${round.id}:${round.state}` : '';
  useAnnounceChange(
    roundKey,
    (was) => round !== null && was === `${round.id}:open`,
    (is) => is.endsWith(':revealed'),
    t('vote.revealedNotice'),
  );
  const used = ballots?.total ?? 0;
  const placed = round
    ? countsByPerson(progress, participants, (p) => p.dots[round.id] ?? 0, t('private.someone'))
    : [];
  const history = tallies
    .map((x, i) => ({ tally: x, name: roundName(t, x, i) }))
    // Revealed rounds; the one revealed now is shown above.
    .filter(
      (x) =>
        x.tally.round.state !== 'open' &&
        x.tally.round.revealedAt !== null &&
        !(x.tally.round.id === round?.id && round.state === 'revealed'),
    )
    .reverse();

  return (
    <section aria-labelledby="voting-title" className="panel-section">
      <h2 id="voting-title">{t('vote.title')}</h2>
      {round?.state === 'open' ? (
        <>
          {me.role !== 'viewer' && (
            <p role="status">
              {round.dotsPerPerson
                ? tn('vote.open', round.dotsPerPerson, {
                    left: Math.max(0, round.dotsPerPerson - used),
                    total: round.dotsPerPerson,
                  })
                : t('vote.openUnlimited')}
            </p>
          )}
          {round.maxPerItem > 0 && <p>{tn('vote.maxPerItemNote', round.maxPerItem)}</p>}
          <p className="muted">{t('vote.hidden')}</p>
          {facilitator && (
            <>
              <h3>{t('vote.placed')}</h3>
              <SecretProgress
                counts={placed}
                label={t('vote.placed')}
                line={(p) => tn('vote.byPerson', p.count, { name: p.name })}
                empty={t('vote.noneYet')}
                reveal={t('vote.reveal')}
                onReveal={() => setRoundState(doc, round.id, 'revealed', serverNow())}
              />
            </>
          )}
        </>
      ) : round?.state === 'revealed' && tally ? (
        <>
          <RankedChart tally={tally} titles={titles} caption={t('vote.results')} />
          {facilitator && (
            <button
              type="button"
              className="button-link"
              onClick={() => setRoundState(doc, round.id, 'closed')}
            >
              {t('vote.close')}
            </button>
          )}
        </>
      ) : (
        <p className="muted">{t('vote.waiting')}</p>
      )}
      {facilitator && round?.state !== 'open' && (
        <form
          className="vote-form"
          onSubmit={(e) => {
            e.preventDefault();
            openVoteRound(doc, { target, dotsPerPerson: dots, maxPerItem });
          }}
        >
          <label>
            {t('vote.target')}
            <select value={target} onChange={(e) => setTarget(e.target.value as VoteTarget)}>
              <option value="notes">{t('vote.targetNotes')}</option>
              <option value="themes">{t('vote.targetThemes')}</option>
            </select>
          </label>
          <label>
            {t('vote.dots')}
            <CountInput min={1} value={dots} onChange={setDots} />
          </label>
          <label>
            {t('vote.maxPerItem')}
            <CountInput min={0} value={maxPerItem} onChange={setMaxPerItem} describedBy="max-per-item-help" />
            <span id="max-per-item-help" className="muted">
              {t('vote.maxPerItemHelp')}
            </span>
          </label>
          <button type="submit" className="primary-button">
            {t('vote.start')}
          </button>
        </form>
      )}
      {history.length > 0 && (
        <>
          <h3>{t('vote.history')}</h3>
          <ul className="round-history" aria-label={t('vote.history')}>
            {history.map(({ tally: past, name }) => (
              <li key={past.round.id}>
                {/* Open at first, every one: a closed round's result stays in sight. */}
                <details open>
                  <summary>{name}</summary>
                  <RankedChart tally={past} titles={titles} caption={name} captionShown={false} />
                </details>
              </li>
            ))}
          </ul>
        </>
      )}
    </section>
  );
}
