/** Asks for a display name once, the first time this device joins any workshop. */
import { useState } from 'react';
import { Modal } from '../controls/modal';
import { useT } from '../i18n';

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
        <button type="submit" className="primary-button" disabled={!name.trim()}>
          {t('join.submit')}
        </button>
      </form>
    </Modal>
  );
}
