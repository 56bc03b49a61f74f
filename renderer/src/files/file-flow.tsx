/**
 * The page's one way of opening workshop files, mounted once by the app: it listens on the
 * command bus (commands.ts) for a file the system opened and the menu's Open…, offers a file
 * input in the browser, takes a `.talkoo` file dropped anywhere on the window, and asks what to
 * do when the file's workshop is not on this device (open-file.ts decides, and merges).
 */
import { useEffect, useRef, useState } from 'react';
import type { MessageKey } from '../../../shared';
import type { OpenWorkshopFileResponse } from '../../../shared/ipc';
import type { MergePreview, MergeSummary } from '../../../shared/model/merge-file';
import { WORKSHOP_FILE_EXTENSION, type WorkshopFileProblem } from '../../../shared/workshop-file';
import { failureReason } from '../app/failure-reason';
import { onCommand } from '../commands';
import { HiddenFileInput } from '../controls/hidden-file-input';
import { DialogFooter, Modal } from '../controls/modal';
import { useLanguage, useT, useTn } from '../i18n';
import { workshopFiles } from '../platform';
import { useToasts } from '../toasts';
import { addFile, decide, mergeFile, type FileDecision, type OpenedFile } from './open-file';
import { fileNameOf, readWorkshopBlob } from './read-file';

/** What the flow shows: nothing, a question about a file, or why a file was refused. */
type Shown =
  | {
      readonly kind: 'ask';
      readonly decision: Extract<FileDecision, { kind: 'unknown' | 'not-facilitator' }>;
    }
  | {
      /** A merge that would remove or rename: merged only when answered yes. */
      readonly kind: 'confirm';
      readonly name: string;
      readonly preview: MergePreview;
      readonly answer: (merge: boolean) => void;
    }
  | {
      readonly kind: 'refused';
      readonly name: string;
      readonly problem: WorkshopFileProblem | 'newer' | 'network' | 'unreadable' | 'failed';
      /** The English detail (main's or the decoder's sentence), or the failure in words. */
      readonly detail: string;
    }
  | null;

const PROBLEM_KEYS: Readonly<Record<WorkshopFileProblem | 'network' | 'unreadable', MessageKey>> = {
  'not-workshop': 'file.problem.notWorkshop',
  truncated: 'file.problem.truncated',
  newer: 'file.problem.newer',
  damaged: 'file.problem.damaged',
  network: 'file.problem.network',
  unreadable: 'file.problem.unreadable',
};

export function WorkshopFileFlow() {
  const t = useT();
  const tn = useTn();
  const language = useLanguage();
  const input = useRef<HTMLInputElement>(null);
  const [shown, setShown] = useState<Shown>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [dragging, setDragging] = useState(false);
  const showToast = useToasts((s) => s.show);

  // The latest render's handlers, for listeners added once.
  const handlers = useRef<{ open: (opened: OpenWorkshopFileResponse) => void; choose: () => void }>({
    open: () => undefined,
    choose: () => undefined,
  });

  const mergedMessage = (name: string, summary: MergeSummary): string => {
    const what = countsInWords(summary, tn, language);
    return what === null ? t('file.mergedNothing', { name }) : t('file.merged', { name, what });
  };

  /** Asks whether to merge a file that removes or renames; resolves to the answer. */
  const confirm = (name: string, preview: MergePreview): Promise<boolean> =>
    new Promise((resolve) =>
      setShown({
        kind: 'confirm',
        name,
        preview,
        answer: (yes) => {
          setShown(null);
          resolve(yes);
        },
      }),
    );

  const merge = async (
    file: OpenedFile,
    decision: Extract<FileDecision, { kind: 'merge' }>,
  ): Promise<void> => {
    const outcome = await mergeFile(file, decision.place, (preview) => confirm(file.name, preview));
    if (outcome.kind === 'cancelled') return;
    // The toasts are a live region: a screen reader hears it there.
    if (outcome.kind === 'merged') showToast(mergedMessage(file.name, outcome.summary), outcome.undo);
    else
      showToast(
        t(outcome.kind === 'refused' ? 'file.mergeRefused' : 'file.mergeReadOnly', { name: file.name }),
      );
  };

  const open = (opened: OpenWorkshopFileResponse): void => {
    setError(null);
    if (!opened.ok) {
      if (opened.reason === 'cancelled') return;
      // Main's and the reader's sentences begin "Could not open NAME. ": the title says that.
      const said = /^Could not open (.+?)\. (.*)$/s.exec(opened.message);
      const name = fileNameOf(said?.[1] ?? '');
      const detail = said?.[2] ?? opened.message;
      setShown({ kind: 'refused', name, problem: opened.problem ?? 'unreadable', detail });
      return;
    }
    const file: OpenedFile = { name: fileNameOf(opened.path), header: opened.header, state: opened.state };
    decide(file)
      .then(async (decision) => {
        if (decision.kind === 'newer') {
          setShown({ kind: 'refused', name: file.name, problem: 'newer', detail: '' });
        } else if (decision.kind === 'merge') {
          setShown(null);
          await merge(file, decision);
        } else {
          setShown({ kind: 'ask', decision });
        }
      })
      .catch((err: unknown) =>
        setShown({ kind: 'refused', name: file.name, problem: 'failed', detail: failureReason(err, t) }),
      );
  };

  const choose = (): void => {
    const files = workshopFiles();
    if (!files) {
      input.current?.click();
      return;
    }
    files
      .open()
      .then(open)
      .catch((err: unknown) =>
        setShown({ kind: 'refused', name: '', problem: 'failed', detail: failureReason(err, t) }),
      );
  };
  useEffect(() => {
    handlers.current = { open, choose };
  });

  useEffect(
    () =>
      onCommand((command) => {
        if (command.kind === 'open-file') handlers.current.open(command.file);
        else if (command.command === 'open') handlers.current.choose();
      }),
    [],
  );

  // A .talkoo file dropped anywhere on the window opens as if chosen.
  useEffect(() => {
    let depth = 0;
    const carriesFiles = (event: DragEvent): boolean => event.dataTransfer?.types.includes('Files') ?? false;
    const onEnter = (event: DragEvent): void => {
      if (!carriesFiles(event)) return;
      depth++;
      setDragging(true);
    };
    const onLeave = (event: DragEvent): void => {
      if (!carriesFiles(event)) return;
      depth = Math.max(0, depth - 1);
      if (depth === 0) setDragging(false);
    };
    const onOver = (event: DragEvent): void => {
      if (!carriesFiles(event)) return;
      event.preventDefault();
      if (event.dataTransfer) event.dataTransfer.dropEffect = 'copy';
    };
    const onDrop = (event: DragEvent): void => {
      if (!carriesFiles(event)) return;
      event.preventDefault();
      depth = 0;
      setDragging(false);
      const file = event.dataTransfer?.files[0];
      if (file) openDropped(file).then(handlers.current.open, () => undefined);
    };
    window.addEventListener('dragenter', onEnter);
    window.addEventListener('dragleave', onLeave);
    window.addEventListener('dragover', onOver);
    window.addEventListener('drop', onDrop);
    return () => {
      window.removeEventListener('dragenter', onEnter);
      window.removeEventListener('dragleave', onLeave);
      window.removeEventListener('dragover', onOver);
      window.removeEventListener('drop', onDrop);
    };
  }, []);

  const close = (): void => {
    setShown(null);
    setError(null);
  };

  /**
   * Runs an answer to the question (Add, Open as a new copy), saying why when it fails or when
   * it resolves to a sentence saying why nothing was done.
   */
  const answer = (run: () => Promise<string | void>): void => {
    setBusy(true);
    setError(null);
    run()
      .then((problem) => (problem ? setError(problem) : setShown(null)))
      .catch((err: unknown) => setError(t('file.addFailed', { reason: failureReason(err, t) })))
      .finally(() => setBusy(false));
  };

  return (
    <>
      <HiddenFileInput
        ref={input}
        accept={`.${WORKSHOP_FILE_EXTENSION}`}
        label={t('file.input')}
        onFile={(file) => void readWorkshopBlob(file).then(open)}
      />
      {dragging && (
        <div className="file-drop-target" aria-hidden="true">
          <p>{t('file.dropHint')}</p>
        </div>
      )}
      {shown?.kind === 'refused' && (
        <Modal
          titleId="file-refused-title"
          title={shown.name ? t('file.refusedTitle', { name: shown.name }) : t('file.refusedTitleNoName')}
          onClose={close}
        >
          <p role="alert">
            {shown.problem === 'failed'
              ? t('file.openFailed', { reason: shown.detail })
              : t(PROBLEM_KEYS[shown.problem])}{' '}
            {t('file.nothingChanged')}
          </p>
          {shown.problem !== 'failed' && shown.detail && (
            // Main's and the decoder's sentence, in English as the file format's are.
            <p className="muted" lang="en">
              {shown.detail}
            </p>
          )}
          <DialogFooter>
            <button type="button" className="primary-button" autoFocus onClick={close}>
              {t('file.close')}
            </button>
          </DialogFooter>
        </Modal>
      )}
      {shown?.kind === 'confirm' && (
        <MergeQuestion name={shown.name} preview={shown.preview} onAnswer={shown.answer} />
      )}
      {shown?.kind === 'ask' && (
        <AskDialog
          decision={shown.decision}
          busy={busy}
          error={error}
          onAnswer={answer}
          onClose={close}
          onMerge={merge}
        />
      )}
    </>
  );
}

/** "3 needs and 1 action" (counts of zero left out), or null when every count is zero. */
function countsInWords(
  summary: MergeSummary,
  tn: ReturnType<typeof useTn>,
  language: ReturnType<typeof useLanguage>,
): string | null {
  const parts = [
    summary.notes > 0 ? tn('home.countNeeds', summary.notes) : null,
    summary.themes > 0 ? tn('home.countThemes', summary.themes) : null,
    summary.actions > 0 ? tn('home.countActions', summary.actions) : null,
  ].filter((part): part is string => part !== null);
  return parts.length === 0 ? null : new Intl.ListFormat(language, { type: 'conjunction' }).format(parts);
}

/**
 * The question before a merge that would remove notes, themes or actions from the workshop (for
 * everyone in it), or rename it: what exactly, with Cancel the default.
 */
function MergeQuestion({
  name,
  preview,
  onAnswer,
}: {
  name: string;
  preview: MergePreview;
  onAnswer: (merge: boolean) => void;
}) {
  const t = useT();
  const tn = useTn();
  const language = useLanguage();
  const removed = countsInWords(preview.removed, tn, language);
  const title = preview.title?.to ?? '';
  const said =
    removed === null
      ? t('file.mergeRenames', { title })
      : preview.title === null
        ? t('file.mergeRemoves', { what: removed })
        : t('file.mergeRemovesAndRenames', { what: removed, title });
  return (
    <Modal
      titleId="file-merge-title"
      title={t('file.mergeAskTitle', { name })}
      onClose={() => onAnswer(false)}
    >
      <p>{said}</p>
      <p>{t('file.mergeAskHint')}</p>
      <DialogFooter>
        <button type="button" className="secondary-button" autoFocus onClick={() => onAnswer(false)}>
          {t('home.cancel')}
        </button>
        <button type="button" className="danger-button" onClick={() => onAnswer(true)}>
          {t('file.mergeConfirm')}
        </button>
      </DialogFooter>
    </Modal>
  );
}

/** A dropped file: main opens it by its path on disk in the desktop app; a browser reads it. */
function openDropped(file: File): Promise<OpenWorkshopFileResponse> {
  const files = workshopFiles();
  if (!files) return readWorkshopBlob(file);
  return files.openDropped(file).catch((error: unknown) => ({
    ok: false as const,
    reason: 'invalid' as const,
    problem: 'not-workshop' as const,
    message: `Could not open ${file.name}. ${error instanceof Error ? error.message : String(error)}`,
  }));
}

/** The question about a file whose workshop this device has not, or has only as a participant. */
function AskDialog({
  decision,
  busy,
  error,
  onAnswer,
  onClose,
  onMerge,
}: {
  decision: Extract<FileDecision, { kind: 'unknown' | 'not-facilitator' }>;
  busy: boolean;
  error: string | null;
  onAnswer: (run: () => Promise<string | void>) => void;
  onClose: () => void;
  onMerge: (file: OpenedFile, decision: Extract<FileDecision, { kind: 'merge' }>) => Promise<void>;
}) {
  const t = useT();
  const { file } = decision;
  const title = file.header.title || file.name;
  const { organiser } = decision;
  const identified = file.header.workshop !== null;
  const copy = (): void =>
    onAnswer(async () => {
      if (organiser) await addFile(file, organiser, false);
    });
  const add = (): void =>
    onAnswer(async () => {
      if (!organiser) return;
      if ((await addFile(file, organiser, true)) === 'added') return;
      // Added meanwhile (another window, another person): it is known now, so it merges.
      const again = await decide(file);
      if (again.kind !== 'merge') return t('file.addRaced', { title });
      await onMerge(file, again);
    });

  return (
    <Modal
      titleId="file-ask-title"
      title={t(decision.kind === 'unknown' && identified ? 'file.unknownTitle' : 'file.copyTitle')}
      onClose={onClose}
    >
      <p>
        {decision.kind === 'not-facilitator'
          ? t('file.notFacilitator', { title })
          : identified
            ? t('file.unknown', { title })
            : t('file.unidentified', { title })}
      </p>
      {organiser ? (
        <ul className="file-choices">
          {decision.kind === 'unknown' && identified && <li>{t('file.addHint')}</li>}
          <li>{t('file.copyHint')}</li>
        </ul>
      ) : (
        <p>{t('file.needsOrganiser')}</p>
      )}
      {error && <p role="alert">{error}</p>}
      <DialogFooter>
        <button type="button" className="secondary-button" onClick={onClose}>
          {t('home.cancel')}
        </button>
        {organiser && (
          <button
            type="button"
            className={identified && decision.kind === 'unknown' ? 'secondary-button' : 'primary-button'}
            disabled={busy}
            onClick={copy}
          >
            {t('file.openCopy')}
          </button>
        )}
        {organiser && decision.kind === 'unknown' && identified && (
          <button type="button" className="primary-button" disabled={busy} onClick={add}>
            {t('file.add')}
          </button>
        )}
      </DialogFooter>
    </Modal>
  );
}
