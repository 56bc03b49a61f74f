/** The right panel: who is here (and what they edit), and the dot-voting round. */
import { useState } from 'react';
import { openVoteRound, setRoundState, type VoteTarget } from '../../../shared';
import { useT, useTn } from '../i18n';
import { useMe } from '../me';
import { usePeers } from '../presence';
import { useConnection, useWorkshop } from '../use-workshop';

function People() {
  const t = useT();
  const me = useMe();
  const { awareness } = useConnection();
  const peers = usePeers(awareness);
  const notes = useWorkshop((w) => w.notes);
  // One line per person, even with two devices.
  const people = [...new Map(peers.map((p) => [p.id, p])).values()].filter((p) => p.id !== me.id);
  return (
    <section aria-labelledby="people-title" className="panel-section">
      <h2 id="people-title">{t('people.title', { count: people.length + 1 })}</h2>
      <ul className="people">
        <li>
          <span className="avatar" style={{ background: me.colour }} aria-hidden="true" />
          {t('people.you', { name: me.name })}
        </li>
        {people.map((p) => {
          const editing = p.editing ? notes.find((n) => n.id === p.editing) : undefined;
          return (
            <li key={p.id}>
              <span className="avatar" style={{ background: p.colour }} aria-hidden="true" />
              {p.name}
              {editing && (
                <span className="muted">
                  {' '}
                  · {t('people.editing')} “{editing.text.slice(0, 24)}”
                </span>
              )}
            </li>
          );
        })}
      </ul>
    </section>
  );
}

function Voting() {
  const t = useT();
  const tn = useTn();
  const me = useMe();
  const { doc } = useConnection();
  const round = useWorkshop((w) => w.rounds.find((r) => r.id === w.facilitation.activeRoundId) ?? null);
  const tally = useWorkshop((w) => (round ? (w.tallies.find((x) => x.round.id === round.id) ?? null) : null));
  const titles = useWorkshop((w) => {
    const map = new Map<string, string>();
    for (const n of w.notes) map.set(n.id, n.text);
    for (const th of w.themes) map.set(th.id, th.title);
    return map;
  });
  const [target, setTarget] = useState<VoteTarget>('notes');
  const [dots, setDots] = useState(5);
  const facilitator = me.role === 'facilitator';
  const used = tally?.entries.filter((e) => e.participant === me.id).reduce((s, e) => s + e.count, 0) ?? 0;

  return (
    <section aria-labelledby="voting-title" className="panel-section">
      <h2 id="voting-title">{t('vote.title')}</h2>
      {round?.state === 'open' ? (
        <>
          <p role="status">
            {round.dotsPerPerson
              ? tn('vote.open', round.dotsPerPerson, {
                  left: Math.max(0, round.dotsPerPerson - used),
                  total: round.dotsPerPerson,
                })
              : t('vote.openUnlimited')}
          </p>
          <p className="muted">{t('vote.hidden')}</p>
          {facilitator && (
            <div className="panel-buttons">
              <button
                type="button"
                className="primary-button"
                onClick={() => setRoundState(doc, round.id, 'revealed')}
              >
                {t('vote.reveal')}
              </button>
            </div>
          )}
        </>
      ) : round?.state === 'revealed' && tally ? (
        <>
          <h3>{t('vote.results')}</h3>
          <ol className="ranking" aria-label={t('vote.results')}>
            {tally.ranking.map((r) => (
              <li key={r.target}>
                {t('vote.rankedItem', { title: titles.get(r.target) ?? '', count: r.count })}
              </li>
            ))}
          </ol>
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
            openVoteRound(doc, { target, dotsPerPerson: dots });
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
            <input
              type="number"
              min={1}
              max={50}
              value={dots}
              onChange={(e) => setDots(Math.max(1, Math.min(50, Number(e.target.value) || 1)))}
            />
          </label>
          <button type="submit" className="primary-button">
            {t('vote.start')}
          </button>
        </form>
      )}
    </section>
  );
}

export function SidePanel() {
  const t = useT();
  return (
    <aside className="side-panel" aria-label={t('panel.label')}>
      <People />
      <Voting />
    </aside>
  );
}
