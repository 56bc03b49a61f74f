/** Asks for a display name once, the first time this device joins any workshop. */
import { useState } from 'react';
import { useT } from '../i18n';

export function JoinDialog({ onJoin }: { onJoin: (name: string) => void }) {
  const t = useT();
  const [name, setName] = useState('');
  return (
    <div className="dialog-backdrop">
      <form
        className="dialog"
        role="dialog"
        aria-modal="true"
        aria-labelledby="join-title"
        onSubmit={(e) => {
          e.preventDefault();
          if (name.trim()) onJoin(name.trim());
        }}
      >
        <h2 id="join-title">{t('join.title')}</h2>
        <label>
          {t('join.name')}
          <input autoFocus value={name} maxLength={80} onChange={(e) => setName(e.target.value)} />
        </label>
        <p className="muted">{t('join.hint')}</p>
        <button type="submit" className="primary-button" disabled={!name.trim()}>
          {t('join.submit')}
        </button>
      </form>
    </div>
  );
}
