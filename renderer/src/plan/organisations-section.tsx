/**
 * The partner organisations of the plan (associations, parishes, companies, the wellbeing
 * services county): actions name them as partners next to the municipalities.
 */
import { addOrganisation, deleteOrganisation, renameOrganisation } from '../../../shared/model/plan';
import { useT } from '../i18n';
import { sameItems, useConnection, useWorkshop } from '../use-workshop';
import type { PlanSectionProps } from './plan-fields';
import { AddByName, nameProblem, SavingField, tryWrite, useDeletion } from './plan-fields';

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
  const { doc } = useConnection();
  return (
    <AddByName
      id="plan-new-organisation"
      label="plan.organisations.new"
      submit="plan.organisations.add"
      names={names}
      add={(name) => addOrganisation(doc, name)}
      wide
    />
  );
}
