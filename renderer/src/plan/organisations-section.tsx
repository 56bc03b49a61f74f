/**
 * The partner organisations of the plan (associations, parishes, companies, the wellbeing
 * services county): actions name them as partners next to the municipalities.
 */
import { useState } from 'react';
import { type MessageKey } from '../../../shared';
import { addOrganisation, deleteOrganisation, renameOrganisation } from '../../../shared/model/plan';
import { useT } from '../i18n';
import { sameItems, useConnection, useWorkshop } from '../use-workshop';
import type { PlanSectionProps } from './plan-fields';
import { nameProblem, SavingField, tryWrite, useDeletion } from './plan-fields';

export function OrganisationsSection({ editable }: PlanSectionProps) {
  const t = useT();
  const { doc } = useConnection();
  const { remove, notice } = useDeletion();
  const organisations = useWorkshop((w) => w.plan.organisations, sameItems);
  const names = organisations.map((o) => o.name);
  return (
    <div className="plan-section">
      {notice}
      <p className="muted">{t('plan.organisations.help')}</p>
      {organisations.length === 0 ? (
        <p className="plan-empty">{t('plan.organisations.empty')}</p>
      ) : (
        <ul className="plan-list" aria-label={t('plan.tab.organisations')}>
          {organisations.map((o) => (
            <li key={o.id} className="plan-item">
              <div className="plan-item-row">
                {editable ? (
                  <>
                    <SavingField
                      value={o.name}
                      label={t('plan.organisations.name', { name: o.name })}
                      className="plan-input plan-wide-input"
                      onSave={(name) =>
                        nameProblem(
                          name,
                          names.filter((n) => n !== o.name),
                        ) ?? tryWrite(() => renameOrganisation(doc, o.id, name))
                      }
                    />
                    <button
                      type="button"
                      className="button-link danger"
                      aria-label={t('plan.delete', { name: o.name })}
                      onClick={() => remove(o.name, () => deleteOrganisation(doc, o.id))}
                    >
                      {t('plan.deleteShort')}
                    </button>
                  </>
                ) : (
                  <span className="plan-name">{o.name}</span>
                )}
              </div>
            </li>
          ))}
        </ul>
      )}
      {editable && <AddOrganisation names={names} />}
    </div>
  );
}

function AddOrganisation({ names }: { names: readonly string[] }) {
  const t = useT();
  const { doc } = useConnection();
  const [name, setName] = useState('');
  const [problem, setProblem] = useState<MessageKey | null>(null);
  return (
    <form
      className="plan-add"
      onSubmit={(event) => {
        event.preventDefault();
        const refused = nameProblem(name, names) ?? tryWrite(() => addOrganisation(doc, name));
        setProblem(refused);
        if (!refused) setName('');
      }}
    >
      <label htmlFor="plan-new-organisation">{t('plan.organisations.new')}</label>
      <input
        id="plan-new-organisation"
        className="plan-input plan-wide-input"
        value={name}
        aria-invalid={problem ? true : undefined}
        aria-describedby={problem ? 'plan-new-organisation-error' : undefined}
        onChange={(e) => {
          setName(e.target.value);
          setProblem(null);
        }}
      />
      <button type="submit" className="secondary-button">
        {t('plan.organisations.add')}
      </button>
      {problem && (
        <span id="plan-new-organisation-error" className="plan-error" role="alert">
          {t(problem)}
        </span>
      )}
    </form>
  );
}
