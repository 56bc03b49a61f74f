/** Needs analysis: notes in stakeholder lanes (read-only for now). */
import type { LaneId } from '../../../shared';
import { useT } from '../i18n';
import { sameItems, useWorkshop } from '../use-workshop';
import { NoteCard } from './note-card';

function Lane({ laneId, title }: { laneId: LaneId | null; title: string }) {
  const t = useT();
  const board = useWorkshop((w) => w.boards.find((b) => b.kind === 'needs'));
  const noteIds = useWorkshop(
    (w) => w.notes.filter((n) => n.boardId === board?.id && n.laneId === laneId).map((n) => n.id),
    sameItems,
  );
  if (laneId === null && noteIds.length === 0) return null;
  const headingId = `lane-${laneId ?? 'none'}`;
  return (
    <section className="lane" aria-labelledby={headingId}>
      <h2 id={headingId} className="lane-title">
        {title} <span className="count">{noteIds.length}</span>
      </h2>
      {noteIds.length === 0 ? (
        <p className="muted">{t('needs.empty')}</p>
      ) : (
        <ul className="note-list" aria-labelledby={headingId}>
          {noteIds.map((id) => (
            <NoteCard key={id} id={id} />
          ))}
        </ul>
      )}
    </section>
  );
}

export function NeedsBoard() {
  const t = useT();
  const lanes = useWorkshop((w) => w.boards.find((b) => b.kind === 'needs')?.lanes ?? []);
  return (
    <div className="lanes">
      {lanes.map((lane) => (
        <Lane key={lane.id} laneId={lane.id} title={lane.title} />
      ))}
      <Lane laneId={null} title={t('needs.unsorted')} />
    </div>
  );
}
