/** The right panel: who is here (and what they edit), private writing, and the dot-voting round. */
import { useT } from '../i18n';
import { useMe } from '../me';
import { usePeers } from '../presence';
import { useConnection, useWorkshop } from '../use-workshop';
import { NoteDetails } from './note-details';
import { PrivateWritingPanel, VotingPanel } from './voting-panel';

function People() {
  const t = useT();
  const me = useMe();
  const { awareness } = useConnection();
  const peers = usePeers(awareness);
  const notes = useWorkshop((w) => w.notes);
  // In an anonymous workshop, who is writing which note would say who wrote it.
  const anonymous = useWorkshop((w) => w.facilitation.anonymous);
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
          const editing = p.editing && !anonymous ? notes.find((n) => n.id === p.editing) : undefined;
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

export function SidePanel() {
  const t = useT();
  return (
    <aside className="side-panel" aria-label={t('panel.label')}>
      <NoteDetails />
      <People />
      <PrivateWritingPanel />
      <VotingPanel />
    </aside>
  );
}
