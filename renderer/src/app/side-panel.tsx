/**
 * The right panel: who is here (and what they edit), private writing, and the dot-voting round.
 * It folds away to a narrow strip (the canvas then has the room), and this device remembers it.
 */
import { create } from 'zustand';
import { useT } from '../i18n';
import { useMe } from '../me';
import { usePeers } from '../presence';
import { recall, remember } from '../storage';
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

/** Where this device keeps whether the panel is folded away. */
const FOLDED_KEY = 'talkoo.sidePanel';

/** Whether the side panel is open: one small UI slice, remembered on this device. */
const useSidePanel = create<{ open: boolean; toggle: () => void }>((set) => ({
  open: recall(FOLDED_KEY) !== 'folded',
  toggle: () =>
    set(({ open }) => {
      remember(FOLDED_KEY, open ? 'folded' : 'open');
      return { open: !open };
    }),
}));

export function SidePanel() {
  const t = useT();
  const open = useSidePanel((s) => s.open);
  const toggle = useSidePanel((s) => s.toggle);
  const button = (
    <button
      type="button"
      className="icon-button panel-toggle"
      aria-label={t(open ? 'panel.hide' : 'panel.show')}
      title={t(open ? 'panel.hide' : 'panel.show')}
      aria-expanded={open}
      aria-controls={open ? 'side-panel' : undefined}
      onClick={toggle}
    >
      <span aria-hidden="true">{open ? '»' : '«'}</span>
    </button>
  );
  if (!open) return <div className="side-panel-folded">{button}</div>;
  return (
    <aside id="side-panel" className="side-panel" aria-label={t('panel.label')}>
      {button}
      <NoteDetails />
      <People />
      <PrivateWritingPanel />
      <VotingPanel />
    </aside>
  );
}
