/**
 * Needs analysis: stakeholder lanes on a pannable canvas, notes in them. Add, rename, reorder
 * and delete lanes (with undo); add notes by double-click, N or the lane's button; edit in place;
 * drag notes (several when selected) between and within lanes; Delete removes the selection with
 * an Undo toast; pasting several lines adds one note per line.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import {
  addLane,
  addNote,
  addNotesFromLines,
  deleteLane,
  deleteNotes,
  MAX_NOTE_TEXT,
  moveLane,
  placeNotes,
  randomUuid,
  renameLane,
  type BoardId,
  type Lane,
  type LaneId,
  type NoteId,
  type Workshop,
} from '../../../shared';
import { CanvasView, type CanvasHandle } from '../canvas/canvas-view';
import { InlineTitle } from '../controls/inline-title';
import { DialogFooter, Modal } from '../controls/modal';
import { useLanguage, useT, useTn } from '../i18n';
import { refusalReason, useMay, usePolicyNow, useRefusal, type Policy } from '../policy';
import { useToasts } from '../toasts';
import { useUi } from '../ui-store';
import { sameItems, useConnection, useWorkshop } from '../use-workshop';
import { CsvImportDialog } from './csv-import';
import { LockBanner } from './lock-banner';
import { DraftList, PrivateWritingHint, useAddDraft, useHasLooseDrafts, useWritesDrafts } from './draft-card';
import { NoteList } from './note-card';
import { startNoteDrag } from './note-drag';
import { MAX_PASTED_NOTES, planPaste } from './paste';

type LaneIndex = Map<BoardId, Map<LaneId | null, NoteId[]>>;
const laneIndexes = new WeakMap<Workshop, LaneIndex>();
const NO_NOTES: readonly NoteId[] = [];

/** Lane tints in styles.css (`.lane[data-tint]`), taken in turn. */
const LANE_TINTS = 7;

/**
 * The notes of every lane of every board, top to bottom: sorted and grouped once per snapshot,
 * rather than each lane filtering and sorting all the notes again.
 */
function laneIndex(workshop: Workshop): LaneIndex {
  let index = laneIndexes.get(workshop);
  if (index) return index;
  index = new Map();
  // A stable sort: notes on the same y keep their order, as within one lane's own sort.
  for (const note of [...workshop.notes].sort((a, b) => a.y - b.y || a.order - b.order)) {
    let lanes = index.get(note.boardId);
    if (!lanes) {
      lanes = new Map<LaneId | null, NoteId[]>();
      index.set(note.boardId, lanes);
    }
    const ids = lanes.get(note.laneId);
    if (ids) ids.push(note.id);
    else lanes.set(note.laneId, [note.id]);
  }
  laneIndexes.set(workshop, index);
  return index;
}

/** Notes of one lane, top to bottom. */
function useLaneNotes(boardId: BoardId, laneId: LaneId | null): readonly NoteId[] {
  return useWorkshop((w) => laneIndex(w).get(boardId)?.get(laneId) ?? NO_NOTES, sameItems);
}

/** A new note's id and its author: the author is written with the note, so its id comes first. */
function newNoteBy(policy: Policy): { id: NoteId; author: string } {
  const id = randomUuid() as NoteId;
  return { id, author: policy.authorFor(id) };
}

/** The sort key after the last note of a lane. */
function endOfLane(notes: readonly { y: number; laneId: LaneId | null }[], laneId: LaneId | null): number {
  return notes.filter((n) => n.laneId === laneId).reduce((max, n) => Math.max(max, n.y + 1), 0);
}

function LaneColumn({
  boardId,
  lane,
  index,
  count,
  onDragStart,
  canAdd,
  canArrange,
}: {
  boardId: BoardId;
  lane: Lane | null;
  index: number;
  count: number;
  onDragStart: (id: NoteId, event: React.PointerEvent<HTMLElement>) => void;
  /** This person may add notes here now (the board's policy, asked once for every lane). */
  canAdd: boolean;
  /** This person may rename, move and delete lanes (the facilitator's). */
  canArrange: boolean;
}) {
  const t = useT();
  const { doc, undo, store } = useConnection();
  const policyNow = usePolicyNow();
  const noteIds = useLaneNotes(boardId, lane?.id ?? null);
  const edit = useUi((s) => s.edit);
  const showToast = useToasts((s) => s.show);
  const title = lane?.title ?? t('needs.unsorted');
  const writesDrafts = useWritesDrafts();
  const addDraft = useAddDraft();
  const looseDrafts = useHasLooseDrafts(boardId);
  if (!lane && noteIds.length === 0 && !looseDrafts) return null;
  const headingId = `lane-${lane?.id ?? 'none'}`;

  const add = (): void => {
    // In a private writing round a participant's new note is a draft only they and the server see.
    if (writesDrafts) {
      addDraft(boardId, lane?.id ?? null, endOfLane(store.getSnapshot().notes, lane?.id ?? null));
      return;
    }
    if (!canAdd) return;
    const id = addNote(doc, boardId, {
      ...newNoteBy(policyNow()),
      text: '',
      laneId: lane?.id ?? null,
      y: endOfLane(store.getSnapshot().notes, lane?.id ?? null),
    });
    if (id) edit(id);
  };

  return (
    <section
      className="lane"
      aria-labelledby={headingId}
      data-lane-id={lane?.id ?? ''}
      // Each lane its own tint (its name says the same: colour is never the only cue).
      data-tint={lane ? index % LANE_TINTS : undefined}
      onDoubleClick={(e) => {
        if ((e.target as HTMLElement).closest('[data-note-id], input, button, textarea')) return;
        add();
      }}
    >
      <header className="lane-header">
        <h2 id={headingId} className="visually-hidden">
          {title}
        </h2>
        {lane && canArrange ? (
          <InlineTitle
            value={lane.title}
            renameLabel={t('lane.rename', { title })}
            inputLabel={t('lane.title')}
            onRename={(next) => renameLane(doc, boardId, lane.id, next)}
          />
        ) : (
          <span className="lane-title">{title}</span>
        )}
        <span className="count" aria-hidden="true">
          {noteIds.length}
        </span>
      </header>
      {lane && canArrange && (
        <div className="lane-tools">
          <button
            type="button"
            className="icon-button"
            aria-label={t('lane.moveLeft', { title })}
            disabled={index === 0}
            onClick={() => moveLane(doc, boardId, lane.id, index - 1)}
          >
            ←
          </button>
          <button
            type="button"
            className="icon-button"
            aria-label={t('lane.moveRight', { title })}
            disabled={index === count - 1}
            onClick={() => moveLane(doc, boardId, lane.id, index + 1)}
          >
            →
          </button>
          <button
            type="button"
            className="icon-button danger"
            aria-label={t('lane.delete', { title })}
            onClick={() => {
              undo.stopCapturing();
              deleteLane(doc, boardId, lane.id);
              showToast(t('toast.laneDeleted', { title }), () => undo.undo());
            }}
          >
            ×
          </button>
        </div>
      )}
      <NoteList ids={noteIds} labelledBy={headingId} onDragStart={onDragStart} />
      <DraftList boardId={boardId} laneId={lane?.id ?? null} />
      {canAdd && (
        <button
          type="button"
          className="add-note"
          onClick={add}
          aria-label={t('needs.addNoteTo', { lane: title })}
        >
          + {t('needs.addNote')}
        </button>
      )}
    </section>
  );
}

const NO_LANES: readonly Lane[] = [];

/** "Add 300 notes?": asked before a long paste becomes as many notes. */
function PasteDialog({
  count,
  lane,
  onAnswer,
}: {
  count: number;
  lane: string;
  onAnswer: (add: boolean) => void;
}) {
  const t = useT();
  const tn = useTn();
  const language = useLanguage();
  const shown = count.toLocaleString(language);
  return (
    <Modal titleId="paste-title" title={tn('paste.confirmTitle', count)} onClose={() => onAnswer(false)}>
      <p>{t('paste.confirmText', { count: shown, lane })}</p>
      <DialogFooter>
        <button type="button" className="secondary-button" onClick={() => onAnswer(false)}>
          {t('paste.cancel')}
        </button>
        <button type="button" className="primary-button" onClick={() => onAnswer(true)}>
          {tn('paste.confirm', count)}
        </button>
      </DialogFooter>
    </Modal>
  );
}

export function NeedsBoard() {
  const t = useT();
  const tn = useTn();
  const { doc, undo, store } = useConnection();
  const board = useWorkshop((w) => w.boards.find((b) => b.kind === 'needs'));
  // Notes are read when a handler needs them, not subscribed to: the board (and every lane)
  // does not redraw on each edit; the lanes' own selections do that.
  const currentNotes = useCallback(() => store.getSnapshot().notes, [store]);
  const selection = useUi((s) => s.selection);
  const select = useUi((s) => s.select);
  const edit = useUi((s) => s.edit);
  const showToast = useToasts((s) => s.show);
  const canvas = useRef<CanvasHandle>(null);
  const [importing, setImporting] = useState(false);
  /** A long paste waiting for "Add 300 notes?" to be answered. */
  const [pasting, setPasting] = useState<{ lines: readonly string[]; lane: LaneId | null } | null>(null);
  const language = useLanguage();
  const writesDrafts = useWritesDrafts();
  const addDraft = useAddDraft();
  const boardId = board?.id;
  const lanes = board?.lanes ?? NO_LANES;
  const policyNow = usePolicyNow();
  const addRefusal = useRefusal({ kind: 'add', root: 'notes', boardId });
  // In a private writing round a participant's new notes are drafts (draft-card.tsx), not refused.
  const canAdd = addRefusal === null || addRefusal === 'private-writing';
  const canImport = addRefusal === null;
  const canArrange = useMay({ kind: 'facilitate' });
  const empty = useWorkshop((w) => !w.notes.some((n) => n.boardId === boardId));

  /** Where new or pasted notes go: the lane of the selected note, else the first lane. */
  const targetLane = useCallback((): LaneId | null => {
    const selected = currentNotes().find((n) => n.id === selection[0]);
    return selected ? selected.laneId : (lanes[0]?.id ?? null);
  }, [lanes, currentNotes, selection]);

  const onDragStart = useCallback(
    (id: NoteId, event: React.PointerEvent<HTMLElement>) => {
      if (!boardId) return;
      const ids = selection.includes(id) ? selection : [id];
      // Moved only when every note dragged may move: nothing is offered that would be refused.
      const policy = policyNow();
      if (!ids.every((note) => policy.may({ kind: 'edit', root: 'notes', id: note, field: 'laneId' })))
        return;
      startNoteDrag(event, (drop) => {
        const laneAttr = drop.closest('[data-lane-id]')?.getAttribute('data-lane-id');
        if (laneAttr === undefined || laneAttr === null) return;
        const laneId = laneAttr === '' ? null : (laneAttr as LaneId);
        const before = drop.closest('[data-note-id]')?.getAttribute('data-note-id');
        const laneNotes = currentNotes()
          .filter((n) => n.laneId === laneId && !ids.includes(n.id))
          .sort((a, b) => a.y - b.y || a.order - b.order);
        const at = laneNotes.findIndex((n) => n.id === before);
        const y =
          at < 0
            ? endOfLane(laneNotes, laneId)
            : at === 0
              ? (laneNotes[0]?.y ?? 0) - 1
              : ((laneNotes[at - 1]?.y ?? 0) + (laneNotes[at]?.y ?? 0)) / 2;
        placeNotes(doc, ids, laneId, y);
      });
    },
    [boardId, doc, currentNotes, selection, policyNow],
  );

  /** One note (or, in a private writing round, one draft) per line, at the end of `lane`. */
  const addLines = useCallback(
    (lines: readonly string[], lane: LaneId | null): void => {
      if (!boardId) return;
      const y = endOfLane(currentNotes(), lane);
      if (writesDrafts) {
        lines.forEach((line, i) => addDraft(boardId, lane, y + i, line));
        return;
      }
      select(
        addNotesFromLines(doc, boardId, lines.join('\n'), { laneId: lane, y }, (id) =>
          policyNow().authorFor(id),
        ),
      );
    },
    [boardId, currentNotes, writesDrafts, addDraft, select, doc, policyNow],
  );

  useEffect(() => {
    if (!boardId) return;
    const number = (n: number): string => n.toLocaleString(language);
    const typing = (target: EventTarget | null): boolean =>
      target instanceof HTMLElement && !!target.closest('input, textarea, [contenteditable="true"]');
    const onKey = (event: KeyboardEvent): void => {
      if (typing(event.target) || event.ctrlKey || event.metaKey || event.altKey) return;
      if (event.key === 'n' || event.key === 'N') {
        event.preventDefault();
        if (!canAdd) return;
        const lane = targetLane();
        if (writesDrafts) {
          addDraft(boardId, lane, endOfLane(currentNotes(), lane));
          return;
        }
        const id = addNote(doc, boardId, {
          ...newNoteBy(policyNow()),
          text: '',
          laneId: lane,
          y: endOfLane(currentNotes(), lane),
        });
        if (id) {
          select([id]);
          edit(id);
        }
      } else if ((event.key === 'Delete' || event.key === 'Backspace') && selection.length) {
        event.preventDefault();
        const policy = policyNow();
        const refused = selection
          .map((id) => policy.refusal({ kind: 'delete', root: 'notes', id }))
          .find((code) => code !== null);
        // All or nothing, as the server would judge it; a viewer is told nothing (nothing is offered).
        if (refused) {
          if (refused !== 'viewer') showToast(t(refusalReason(refused)));
          return;
        }
        undo.stopCapturing();
        const count = deleteNotes(doc, selection);
        select([]);
        showToast(tn('toast.notesDeleted', count), () => undo.undo());
      } else if (event.key === 'Escape') select([]);
    };
    const onPaste = (event: ClipboardEvent): void => {
      if (typing(event.target)) return;
      const text = event.clipboardData?.getData('text/plain') ?? '';
      if (!text.trim() || !canAdd) return;
      event.preventDefault();
      const plan = planPaste(text);
      const lane = targetLane();
      if (plan.kind === 'line-too-long') showToast(t('paste.lineTooLong', { max: number(MAX_NOTE_TEXT) }));
      else if (plan.kind === 'too-many')
        showToast(t('paste.tooMany', { max: number(MAX_PASTED_NOTES), count: number(plan.count) }));
      else if (plan.kind === 'ask') setPasting({ lines: plan.lines, lane });
      else if (plan.kind === 'add') addLines(plan.lines, lane);
    };
    window.addEventListener('keydown', onKey);
    window.addEventListener('paste', onPaste);
    return () => {
      window.removeEventListener('keydown', onKey);
      window.removeEventListener('paste', onPaste);
    };
  }, [
    boardId,
    doc,
    edit,
    currentNotes,
    select,
    selection,
    showToast,
    t,
    tn,
    targetLane,
    undo,
    writesDrafts,
    addDraft,
    canAdd,
    policyNow,
    addLines,
    language,
  ]);

  if (!board || !boardId) return null;
  return (
    <>
      {empty && (
        // Empty states teach (UI.md): what this board is for and how to start.
        <div className="board-empty" role="note" aria-labelledby="needs-empty-title">
          <p id="needs-empty-title" className="board-empty-title">
            {t('needs.empty')}
          </p>
          {canAdd && <p>{t('needs.emptyHow')}</p>}
        </div>
      )}
      <PrivateWritingHint>{canAdd && <p className="board-hint">{t('needs.hint')}</p>}</PrivateWritingHint>
      <LockBanner act={{ kind: 'add', root: 'notes', boardId }} />
      {canImport && (
        <div className="board-toolbar">
          <button type="button" className="secondary-button" onClick={() => setImporting(true)}>
            {t('csv.import')}
          </button>
        </div>
      )}
      {pasting && (
        <PasteDialog
          count={pasting.lines.length}
          lane={lanes.find((l) => l.id === pasting.lane)?.title ?? t('needs.unsorted')}
          onAnswer={(add) => {
            if (add) addLines(pasting.lines, pasting.lane);
            setPasting(null);
          }}
        />
      )}
      {importing && (
        <CsvImportDialog
          boardId={boardId}
          lanes={lanes}
          startY={currentNotes().reduce((max, n) => Math.max(max, n.y + 1), 0)}
          onClose={() => setImporting(false)}
        />
      )}
      <CanvasView label={board.title} handle={canvas} board="needs">
        <div className="lanes" data-canvas-background="true">
          {lanes.map((lane, i) => (
            <LaneColumn
              key={lane.id}
              boardId={boardId}
              lane={lane}
              index={i}
              count={lanes.length}
              onDragStart={onDragStart}
              canAdd={canAdd}
              canArrange={canArrange}
            />
          ))}
          <LaneColumn
            boardId={boardId}
            lane={null}
            index={lanes.length}
            count={lanes.length}
            onDragStart={onDragStart}
            canAdd={canAdd}
            canArrange={canArrange}
          />
          {canArrange && (
            <button
              type="button"
              className="add-lane"
              onClick={() => addLane(doc, boardId, t('needs.newLane'))}
            >
              + {t('needs.addLane')}
            </button>
          )}
        </div>
      </CanvasView>
    </>
  );
}
