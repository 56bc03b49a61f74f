/**
 * About Talkoo (the desktop menu's Help > About, and the app menu's on macOS): the version, the
 * licence, and where the documentation and source are. Listens on the command bus itself, so it
 * opens over whichever screen is showing.
 */
import { useEffect, useState } from 'react';
import { DOCUMENTATION_URL } from '../../../shared/ipc';
import { onCommand } from '../commands';
import { DialogFooter, Modal } from '../controls/modal';
import { OverlayLanguage } from '../controls/ui-language';
import { useT } from '../i18n';
import { appInfo } from '../platform';

/** Mounted once, over every screen; in the person's UI language (the page's lang is left alone). */
export function AboutDialog() {
  return (
    <OverlayLanguage>
      <About />
    </OverlayLanguage>
  );
}

function About() {
  const t = useT();
  const [open, setOpen] = useState(false);
  const [version, setVersion] = useState<string | null>(null);
  useEffect(
    () =>
      onCommand((command) => {
        if (command.kind === 'menu' && command.command === 'about') setOpen(true);
      }),
    [],
  );
  useEffect(() => {
    if (!open) return;
    let current = true;
    appInfo()
      ?.then((info) => {
        if (current) setVersion(info.version);
      })
      .catch(() => undefined);
    return () => {
      current = false;
    };
  }, [open]);
  if (!open) return null;
  const close = (): void => setOpen(false);
  return (
    <Modal titleId="about-title" title={t('about.title')} onClose={close}>
      <p>{t('about.tagline')}</p>
      {version !== null && <p>{t('about.version', { version })}</p>}
      <p>{t('about.licence')}</p>
      <p>
        {/* An https link opens in the system browser (main/trusted-url.ts). */}
        <a href={DOCUMENTATION_URL} target="_blank" rel="noreferrer">
          {t('about.documentation')}
        </a>
      </p>
      <DialogFooter>
        <button type="button" className="secondary-button" onClick={close} autoFocus>
          {t('about.close')}
        </button>
      </DialogFooter>
    </Modal>
  );
}
