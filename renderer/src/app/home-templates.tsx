/**
 * Templates on Home: the built-in method templates, named for people in the UI's language, and
 * the organiser's own templates (saved from a workshop's structure on the server), listed with
 * their language, date and what they carry, each deletable after a confirmation.
 */
import { useState } from 'react';
import type { Language } from '../../../shared';
import type { ExampleName } from '../../../shared/examples/names';
import { announce } from '../controls/announcer';
import { DialogFooter, Modal } from '../controls/modal';
import { useT, useTn } from '../i18n';
import { api, type Organiser, type TemplateEntry } from './home-api';
import { useDate } from './home-workshops';
import { failureReason } from './failure-reason';

/** The language an example workshop is written in: the end of its slug (`example-voru-et`). */
export function exampleLanguage(slug: ExampleName): Language {
  return slug.slice(-2) as Language;
}

export function TemplateList({
  organiser,
  templates,
  labelId,
  onChanged,
}: {
  organiser: Organiser;
  templates: readonly TemplateEntry[];
  labelId: string;
  onChanged: () => void;
}) {
  const t = useT();
  const tn = useTn();
  const date = useDate();
  const [deleting, setDeleting] = useState<TemplateEntry | null>(null);
  return (
    <>
      <ul className="workshop-list workshop-rows" aria-labelledby={labelId}>
        {templates.map((template) => (
          <li key={template.id} className="workshop-row">
            <div className="workshop-row-main">
              <span className="workshop-row-title" lang={template.language}>
                {template.name}
              </span>
              <span className="muted workshop-row-about">
                {[
                  date(template.created),
                  t(`language.${template.language}`),
                  tn('home.countLanes', template.counts.lanes),
                  tn('home.countMunicipalities', template.counts.municipalities),
                  tn('home.countExamples', template.counts.needs),
                ]
                  .filter(Boolean)
                  .join(' · ')}
              </span>
            </div>
            <div className="workshop-row-actions" role="group" aria-label={template.name}>
              <button type="button" className="danger-button" onClick={() => setDeleting(template)}>
                {t('home.delete')}
              </button>
            </div>
          </li>
        ))}
      </ul>
      {deleting && (
        <DeleteTemplateDialog
          organiser={organiser}
          template={deleting}
          onClose={() => setDeleting(null)}
          onDeleted={() => {
            setDeleting(null);
            announce(t('home.templateDeleted', { name: deleting.name }));
            onChanged();
          }}
        />
      )}
    </>
  );
}

function DeleteTemplateDialog({
  organiser,
  template,
  onClose,
  onDeleted,
}: {
  organiser: Organiser;
  template: TemplateEntry;
  onClose: () => void;
  onDeleted: () => void;
}) {
  const t = useT();
  const [error, setError] = useState<string | null>(null);
  return (
    <Modal
      titleId="delete-template-title"
      title={t('home.deleteTemplateTitle', { name: template.name })}
      onClose={onClose}
    >
      <p>{t('home.deleteTemplateHint')}</p>
      {error && <p role="alert">{error}</p>}
      <DialogFooter>
        <button type="button" className="secondary-button" onClick={onClose}>
          {t('home.cancel')}
        </button>
        <button
          type="button"
          className="danger-button"
          onClick={() => {
            setError(null);
            api(organiser, `/api/templates/${encodeURIComponent(template.id)}`, { method: 'DELETE' })
              .then(onDeleted)
              .catch((err: unknown) => setError(t('home.deleteFailed', { reason: failureReason(err, t) })));
          }}
        >
          {t('home.deleteTemplateConfirm')}
        </button>
      </DialogFooter>
    </Modal>
  );
}
