/**
 * Importing needs from a CSV file: choose a file, see a preview of the rows and every row that
 * cannot be imported (with its line number), and import nothing until confirmed. The import is
 * one undo step.
 */
import { useState } from 'react';
import {
  addNotes,
  parseNotesCsv,
  randomUuid,
  type BoardId,
  type CsvPreview,
  type CsvProblemKind,
  type Lane,
  type NoteId,
} from '../../../shared';
import { DialogFooter, Modal } from '../controls/modal';
import { useT, useTn } from '../i18n';
import { usePolicyNow } from '../policy';
import { useToasts } from '../toasts';
import { useConnection } from '../use-workshop';

/** Problems of the whole file (not of one row): said once, without a line number. */
const FILE_PROBLEMS: ReadonlySet<CsvProblemKind> = new Set(['too-large', 'binary', 'not-utf8', 'no-rows']);

export function CsvImportDialog({
  boardId,
  lanes,
  startY,
  onClose,
}: {
  boardId: BoardId;
  lanes: readonly Lane[];
  /** Sort key after which imported notes go in each lane. */
  startY: number;
  onClose: () => void;
}) {
  const t = useT();
  const tn = useTn();
  const { doc } = useConnection();
  const show = useToasts((s) => s.show);
  const policyNow = usePolicyNow();
  const [preview, setPreview] = useState<CsvPreview | null>(null);
  const [error, setError] = useState<string | null>(null);

  const fileProblem = preview?.problems.find((p) => FILE_PROBLEMS.has(p.kind));

  const read = (file: File | undefined): void => {
    setPreview(null);
    setError(null);
    if (!file) return;
    file.text().then(
      (text) =>
        setPreview(
          parseNotesCsv(
            text,
            lanes.map((l) => l.title),
          ),
        ),
      () => setError(t('csv.readFailed')),
    );
  };

  const confirm = (): void => {
    if (!preview) return;
    const laneOf = new Map(lanes.map((l) => [l.title, l.id]));
    const policy = policyNow();
    const ids = addNotes(
      doc,
      boardId,
      preview.notes.map((n, i) => {
        // Each note carries its author, which (in an anonymous workshop) depends on its id.
        const id = randomUuid() as NoteId;
        return {
          id,
          author: policy.authorFor(id),
          text: n.text,
          laneId: laneOf.get(n.stakeholder) ?? null,
          municipality: n.municipality || null,
          y: startY + i,
        };
      }),
    );
    show(tn('csv.imported', ids.length));
    onClose();
  };

  return (
    <Modal titleId="csv-title" title={t('csv.title')} wide onClose={onClose}>
      <label>
        {t('csv.file')}
        <input type="file" accept=".csv,text/csv,text/plain" onChange={(e) => read(e.target.files?.[0])} />
      </label>
      {error && <p role="alert">{error}</p>}
      {fileProblem && (
        <p role="alert" className="problems">
          {t('csv.fileProblem', {
            problem: t(`csv.kind.${fileProblem.kind}`, { detail: fileProblem.detail ?? '' }),
          })}
        </p>
      )}
      {preview && !fileProblem && preview.problems.length > 0 && (
        <div role="alert" className="problems">
          <p>{tn('csv.problems', preview.problems.length)}</p>
          <ul>
            {preview.problems.map((p) => (
              <li key={`${p.line}-${p.kind}`}>
                {t('csv.problem', {
                  line: p.line,
                  problem: t(`csv.kind.${p.kind}`, { detail: p.detail ?? '' }),
                })}
              </li>
            ))}
          </ul>
        </div>
      )}
      {preview && preview.notes.length > 0 && (
        <div className="table-scroll preview">
          <table className="actions-table">
            <thead>
              <tr>
                <th scope="col">{t('csv.line')}</th>
                <th scope="col">{t('note.text')}</th>
                <th scope="col">{t('lane.title')}</th>
                <th scope="col">{t('csv.municipality')}</th>
              </tr>
            </thead>
            <tbody>
              {preview.notes.map((n) => (
                <tr key={n.line}>
                  <td>{n.line}</td>
                  <td>{n.text}</td>
                  <td>{n.stakeholder}</td>
                  <td>{n.municipality}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <DialogFooter>
        <button type="button" className="secondary-button" onClick={onClose}>
          {t('csv.cancel')}
        </button>
        <button type="button" className="primary-button" disabled={!preview?.notes.length} onClick={confirm}>
          {tn('csv.confirm', preview?.notes.length ?? 0)}
        </button>
      </DialogFooter>
    </Modal>
  );
}
