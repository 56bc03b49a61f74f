/**
 * The facilitator's settings: what participants may do (edit others' items, add themes, add
 * actions) and anonymous mode. Each checkbox writes at once; the server enforces the same rules.
 */
import { setAnonymous, setRules, type Rules } from '../../../shared';
import { DialogFooter, Modal } from '../controls/modal';
import { useT } from '../i18n';
import { useConnection, useWorkshop } from '../use-workshop';

const RULES = ['editOthers', 'addThemes', 'addActions'] as const satisfies readonly (keyof Rules)[];

export function SettingsDialog({ onClose }: { onClose: () => void }) {
  const t = useT();
  const { doc } = useConnection();
  const rules = useWorkshop((w) => w.facilitation.rules);
  const anonymous = useWorkshop((w) => w.facilitation.anonymous);
  return (
    <Modal titleId="facilitation-settings-title" title={t('settings.title')} onClose={onClose}>
      <fieldset className="settings-group">
        <legend>{t('settings.rules')}</legend>
        {RULES.map((rule) => (
          <div key={rule} className="setting">
            <input
              id={`rule-${rule}`}
              type="checkbox"
              checked={rules[rule]}
              aria-describedby={`rule-${rule}-help`}
              onChange={(e) => setRules(doc, { [rule]: e.target.checked })}
            />
            <label htmlFor={`rule-${rule}`}>{t(`settings.${rule}`)}</label>
            <p id={`rule-${rule}-help`} className="muted">
              {t(`settings.${rule}Help`)}
            </p>
          </div>
        ))}
      </fieldset>
      <div className="setting">
        <input
          id="setting-anonymous"
          type="checkbox"
          checked={anonymous}
          aria-describedby="setting-anonymous-help"
          onChange={(e) => setAnonymous(doc, e.target.checked)}
        />
        <label htmlFor="setting-anonymous">{t('settings.anonymous')}</label>
        <p id="setting-anonymous-help" className="muted">
          {t('settings.anonymousHelp')}
        </p>
      </div>
      <DialogFooter>
        <button type="button" className="secondary-button" onClick={onClose}>
          {t('settings.done')}
        </button>
      </DialogFooter>
    </Modal>
  );
}
