/**
 * The objectives of the regional strategy the plan serves, each with an optional area (Võru
 * 2035+: sustainable community, economy, wellbeing, smart governance). The facilitator keeps the
 * list; each action names the objectives it serves from the action table (`ObjectivesPicker`).
 */
import { useId, useState } from 'react';
import type { Objective } from '../../../shared';
import {
  addObjective,
  alignAction,
  deleteObjective,
  movePlanEntry,
  unalignAction,
  updateObjective,
} from '../../../shared/model/plan';
import { useT, useTn } from '../i18n';
import { sameItems, useConnection, useWorkshop } from '../use-workshop';
import {
  AddByName,
  EntryButtons,
  nameProblem,
  SavingField,
  tryWrite,
  useDeletion,
  type ActionFieldProps,
} from './plan-fields';
import './packages.css';

/** An objective as a person reads it: "Wellbeing: Culture for all ages" when it has an area. */
export function objectiveLabel(objective: Objective): string {
  return objective.area ? `${objective.area}: ${objective.title}` : objective.title;
}

export function ObjectivesSection({ editable }: { readonly editable: boolean }) {
  const t = useT();
  const tn = useTn();
  const { doc } = useConnection();
  const { remove, notice } = useDeletion();
  const objectives = useWorkshop((w) => w.plan.objectives, sameItems);
  const actions = useWorkshop((w) => w.actions);
  const served = new Map<string, number>();
  for (const a of actions) for (const id of a.objectiveIds) served.set(id, (served.get(id) ?? 0) + 1);
  const titles = objectives.map((o) => o.title);
  return (
    <div className="plan-section">
      {notice}
      <p className="muted">{t('objectives.help')}</p>
      {objectives.length === 0 ? (
        <p className="plan-empty">{t('objectives.empty')}</p>
      ) : (
        <ol className="plan-list" aria-label={t('plan.tab.objectives')}>
          <li className="plan-list-head objective-item" aria-hidden="true">
            <span>{t('objectives.titleHead')}</span>
            <span>{t('objectives.areaHead')}</span>
          </li>
          {objectives.map((o, i) => (
            <li key={o.id} className="plan-item objective-item">
              {editable ? (
                <>
                  <SavingField
                    value={o.title}
                    label={t('objectives.title', { name: o.title })}
                    onSave={(title) =>
                      nameProblem(
                        title,
                        titles.filter((n) => n !== o.title),
                      ) ?? tryWrite(() => updateObjective(doc, o.id, { title }))
                    }
                  />
                  <SavingField
                    value={o.area}
                    label={t('objectives.area', { name: o.title })}
                    onSave={(area) => tryWrite(() => updateObjective(doc, o.id, { area }))}
                  />
                </>
              ) : (
                <>
                  <span className="plan-name">{o.title}</span>
                  <span>{o.area}</span>
                </>
              )}
              <span className="muted">{tn('objectives.served', served.get(o.id) ?? 0)}</span>
              {editable && (
                <EntryButtons
                  name={o.title}
                  index={i}
                  count={objectives.length}
                  move={(to) => movePlanEntry(doc, 'objective', o.id, to)}
                  onDelete={() => remove(o.title, () => deleteObjective(doc, o.id))}
                />
              )}
            </li>
          ))}
        </ol>
      )}
      {editable && <AddObjective titles={titles} />}
    </div>
  );
}

function AddObjective({ titles }: { titles: readonly string[] }) {
  const t = useT();
  const { doc } = useConnection();
  const [area, setArea] = useState('');
  return (
    <AddByName
      id="plan-new-objective"
      label="objectives.new"
      submit="objectives.add"
      names={titles}
      add={(title) => addObjective(doc, title, area)}
      onAdded={() => setArea('')}
    >
      <label htmlFor="plan-new-objective-area">{t('objectives.newArea')}</label>
      <input
        id="plan-new-objective-area"
        className="plan-input"
        value={area}
        onChange={(e) => setArea(e.target.value)}
      />
    </AddByName>
  );
}

/**
 * The objectives an action serves: chips in the row, and a list of the plan's objectives to
 * check (a disclosure, as the themes cell). `label` is the field's accessible name.
 */
export function ObjectivesPicker({ action, label, fixed }: ActionFieldProps) {
  const t = useT();
  const { doc } = useConnection();
  const objectives = useWorkshop((w) => w.plan.objectives, sameItems);
  const id = useId();
  const served = new Set(action.objectiveIds);
  const chosen = objectives.filter((o) => served.has(o.id));
  if (objectives.length === 0) return null;
  return (
    <details className="objectives-picker">
      <summary aria-labelledby={`${id}-field ${id}-value`}>
        <span id={`${id}-field`} className="visually-hidden">
          {label}
        </span>
        <span id={`${id}-value`}>
          {chosen.length === 0 ? (
            <span className="muted">{t('actions.noObjectives')}</span>
          ) : (
            <span className="objective-chips">
              {chosen.map((o) => (
                <span key={o.id} className="objective-chip" title={objectiveLabel(o)}>
                  {o.title}
                </span>
              ))}
            </span>
          )}
        </span>
      </summary>
      <fieldset title={fixed ?? undefined}>
        <legend className="visually-hidden">{label}</legend>
        {objectives.map((o) => (
          <label key={o.id}>
            <input
              type="checkbox"
              checked={served.has(o.id)}
              disabled={fixed !== null}
              onChange={(e) =>
                e.target.checked ? alignAction(doc, action.id, o.id) : unalignAction(doc, action.id, o.id)
              }
            />
            {objectiveLabel(o)}
          </label>
        ))}
      </fieldset>
    </details>
  );
}
