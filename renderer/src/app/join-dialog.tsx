/**
 * Joining: the name asked for once, the first time this device joins any workshop; and Home's
 * form that joins by a pasted link or a typed link code (links.ts), which also takes the code a
 * short link brought (`#/?join=CODE`) and joins with it at once.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import { DialogFooter, Modal } from '../controls/modal';
import { useLanguage, useT } from '../i18n';
import { forgetJoinCode, joinByLinkOrCode, joinCodeInAddress } from '../links';
import { ApiRefusal, failureReason } from './failure-reason';

export function JoinDialog({ onJoin }: { onJoin: (name: string) => void }) {
  const t = useT();
  const [name, setName] = useState('');
  return (
    <Modal titleId="join-title" title={t('join.title')}>
      <form
        className="dialog-form"
        onSubmit={(e) => {
          e.preventDefault();
          if (name.trim()) onJoin(name.trim());
        }}
      >
        <label>
          {t('join.name')}
          <input autoFocus value={name} maxLength={80} onChange={(e) => setName(e.target.value)} />
        </label>
        <p className="muted">{t('join.hint')}</p>
        <DialogFooter>
          <button type="submit" className="primary-button" disabled={!name.trim()}>
            {t('join.submit')}
          </button>
        </DialogFooter>
      </form>
    </Modal>
  );
}

/** Home's "Join with a link or code". */
export function JoinByLink() {
  const t = useT();
  const language = useLanguage();
  // A short link brought a code: the field shows it (to correct if it is refused).
  const [arrived] = useState(joinCodeInAddress);
  const [link, setLink] = useState(arrived ?? '');
  const asked = useRef(false);
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const join = useCallback(
    (text: string): void => {
      setProblem(null);
      setBusy(true);
      void joinByLinkOrCode(text).then((attempt) => {
        setBusy(false);
        if (attempt.kind === 'not-a-link') setProblem(t('home.badLink'));
        if (attempt.kind !== 'failed') return;
        const { error } = attempt;
        const fields = error instanceof ApiRefusal ? error.answer.fields : {};
        // An expired code says when, in this person's own way of writing dates.
        if (
          error instanceof ApiRefusal &&
          error.answer.code === 'code-expired' &&
          typeof fields.expired === 'string'
        ) {
          const time = new Intl.DateTimeFormat(language, { dateStyle: 'medium', timeStyle: 'short' }).format(
            new Date(fields.expired),
          );
          setProblem(t('home.codeExpired', { code: String(fields.linkCode ?? text), time }));
        } else setProblem(t('home.joinFailed', { reason: failureReason(error, t) }));
      });
    },
    [t, language],
  );

  // ... and is joined with at once, once.
  useEffect(() => {
    if (arrived === null || asked.current) return;
    asked.current = true;
    forgetJoinCode();
    join(arrived);
  }, [arrived, join]);

  return (
    <form
      className="home-card"
      aria-labelledby="join-link-title"
      onSubmit={(e) => {
        e.preventDefault();
        join(link);
      }}
    >
      <h2 id="join-link-title">{t('home.join')}</h2>
      <label>
        {t('home.joinLink')}
        <input
          value={link}
          aria-describedby="join-link-hint"
          autoComplete="off"
          spellCheck={false}
          onChange={(e) => setLink(e.target.value)}
        />
      </label>
      <p id="join-link-hint" className="muted">
        {t('home.linkHint')}
      </p>
      {problem && <p role="alert">{problem}</p>}
      <button type="submit" className="secondary-button" disabled={!link.trim() || busy}>
        {busy ? t('home.joining') : t('home.joinSubmit')}
      </button>
    </form>
  );
}
