/**
 * The workshop's municipalities: the facilitator adds, renames, reorders and deletes them, and
 * gives each its population and a short baseline (lähtökohta-analyysi: a text and a few
 * label/value indicators). Notes are tagged with these names and actions name them as partners;
 * a rename carries to both (shared/model/plan.ts).
 */
import { useState } from 'react';
import { type BaselineIndicator, type MessageKey, type Municipality } from '../../../shared';
import {
  addMunicipality,
  deleteMunicipality,
  moveMunicipality,
  nameKey,
  updateMunicipality,
} from '../../../shared/model/plan';
import { useLanguage, useT } from '../i18n';
import { sameItems, useConnection, useWorkshop } from '../use-workshop';
import type { PlanSectionProps } from './plan-fields';
import { useMunicipalityFilter, useSetMunicipalityFilter } from './municipality-filter';
import {
  AddByName,
  EntryButtons,
  nameProblem,
  parseCount,
  SavingField,
  tryWrite,
  useDeletion,
} from './plan-fields';

export function MunicipalitiesSection({ editable }: PlanSectionProps) {
  const t = useT();
  const { doc } = useConnection();
  const municipalities = useWorkshop((w) => w.plan.municipalities, sameItems);
  const { remove, notice } = useDeletion();
  return (
    <div className="plan-section">
      {notice}
      <p className="muted">{t('plan.municipalities.help')}</p>
      {municipalities.length === 0 ? (
        <p className="plan-empty">{t('plan.municipalities.empty')}</p>
      ) : (
        <ol className="plan-list" aria-label={t('plan.tab.municipalities')}>
          {editable && (
            // The fields' own names say what each is; this row shows it to the eye.
            <li className="plan-list-head" aria-hidden="true">
              <span className="plan-head-name">{t('plan.municipalities.nameHead')}</span>
              <span className="plan-head-number">{t('plan.municipalities.populationHead')}</span>
            </li>
          )}
          {municipalities.map((m, i) => (
            <MunicipalityItem
              key={m.id}
              municipality={m}
              others={municipalities.filter((o) => o.id !== m.id).map((o) => o.name)}
              index={i}
              count={municipalities.length}
              editable={editable}
              onDelete={() => remove(m.name, () => deleteMunicipality(doc, m.id))}
            />
          ))}
        </ol>
      )}
      {editable && <AddMunicipality names={municipalities.map((m) => m.name)} />}
    </div>
  );
}

function AddMunicipality({ names }: { names: readonly string[] }) {
  const { doc } = useConnection();
  return (
    <AddByName
      id="plan-new-municipality"
      label="plan.municipalities.new"
      submit="plan.municipalities.add"
      names={names}
      add={(name) => addMunicipality(doc, name)}
    />
  );
}

function MunicipalityItem({
  municipality: m,
  others,
  index,
  count,
  editable,
  onDelete,
}: {
  municipality: Municipality;
  others: readonly string[];
  index: number;
  count: number;
  editable: boolean;
  onDelete: () => void;
}) {
  const t = useT();
  const language = useLanguage();
  const { doc } = useConnection();
  const filter = useMunicipalityFilter();
  const setFilter = useSetMunicipalityFilter();
  const [open, setOpen] = useState(false);
  const population = m.population === null ? '' : new Intl.NumberFormat(language).format(m.population);
  const baselineId = `plan-baseline-${m.id}`;
  const toggle = (
    <button
      type="button"
      className="button-link"
      aria-expanded={open}
      aria-controls={baselineId}
      aria-label={t('plan.municipalities.baselineOf', { name: m.name })}
      onClick={() => setOpen((v) => !v)}
    >
      {t('plan.municipalities.baselineButton')}
    </button>
  );
  if (!editable)
    return (
      <li className="plan-item">
        <div className="plan-item-row">
          <span className="plan-name">{m.name}</span>
          <span className="muted">
            {m.population === null ? '' : t('plan.municipalities.populationIs', { count: population })}
          </span>
          {(m.baseline || m.indicators.length > 0) && toggle}
        </div>
        {open && (
          <div id={baselineId} className="plan-baseline">
            {m.baseline && <p className="plan-baseline-text">{m.baseline}</p>}
            {m.indicators.length > 0 && (
              <dl className="plan-indicators">
                {m.indicators.map((indicator, i) => (
                  <div key={i}>
                    <dt>{indicator.label}</dt>
                    <dd>{indicator.value}</dd>
                  </div>
                ))}
              </dl>
            )}
          </div>
        )}
      </li>
    );
  return (
    <li className="plan-item">
      <div className="plan-item-row">
        <SavingField
          value={m.name}
          label={t('plan.municipalities.name', { name: m.name })}
          className="plan-input plan-name-input"
          onSave={(name) => {
            const problem =
              nameProblem(name, others) ?? tryWrite(() => updateMunicipality(doc, m.id, { name }));
            // The boards filtered by the old name follow it, as the notes' tags do.
            if (problem === null && filter !== null && nameKey(filter) === nameKey(m.name))
              setFilter(name.trim());
            return problem;
          }}
        />
        <SavingField
          value={population}
          label={t('plan.municipalities.population', { name: m.name })}
          inputMode="numeric"
          className="plan-input plan-number"
          onSave={(text) => {
            const value = parseCount(text);
            if (Number.isNaN(value)) return 'plan.error.count';
            return tryWrite(() => updateMunicipality(doc, m.id, { population: value }));
          }}
        />
        {toggle}
        <EntryButtons
          name={m.name}
          index={index}
          count={count}
          move={(to) => moveMunicipality(doc, m.id, to)}
          onDelete={onDelete}
        />
      </div>
      {open && (
        <div id={baselineId} className="plan-baseline">
          <div className="plan-stack">
            <span aria-hidden="true">{t('plan.municipalities.baselineText')}</span>
            <SavingField
              value={m.baseline}
              label={t('plan.municipalities.baselineTextOf', { name: m.name })}
              multiline
              onSave={(baseline) => tryWrite(() => updateMunicipality(doc, m.id, { baseline }))}
            />
          </div>
          <Indicators
            name={m.name}
            indicators={m.indicators}
            onChange={(indicators) => tryWrite(() => updateMunicipality(doc, m.id, { indicators }))}
          />
        </div>
      )}
    </li>
  );
}

/** A municipality's baseline indicators: label and value pairs ("Over 65s", "28 %"). */
function Indicators({
  name,
  indicators,
  onChange,
}: {
  name: string;
  indicators: readonly BaselineIndicator[];
  onChange: (indicators: BaselineIndicator[]) => MessageKey | null;
}) {
  const t = useT();
  // The row just added: its label field takes the focus, ready to be named.
  const [added, setAdded] = useState<number | null>(null);
  const replace = (i: number, next: BaselineIndicator | null): BaselineIndicator[] =>
    indicators.flatMap((indicator, at) => (at !== i ? [indicator] : next ? [next] : []));
  return (
    <fieldset className="plan-indicators-edit">
      <legend>{t('plan.indicators.title')}</legend>
      {indicators.length > 0 && (
        <table className="plan-table">
          <thead>
            <tr>
              <th scope="col">{t('plan.indicators.label')}</th>
              <th scope="col">{t('plan.indicators.value')}</th>
              <th scope="col">
                <span className="visually-hidden">{t('plan.controls')}</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {indicators.map((indicator, i) => (
              <tr key={i}>
                <td>
                  <SavingField
                    value={indicator.label}
                    label={t('plan.indicators.labelOf', { number: i + 1, name })}
                    autoFocus={i === added}
                    onSave={(label) =>
                      label.trim() ? onChange(replace(i, { ...indicator, label })) : 'plan.error.empty'
                    }
                  />
                </td>
                <td>
                  <SavingField
                    value={indicator.value}
                    label={t('plan.indicators.valueOf', { label: indicator.label })}
                    onSave={(value) => onChange(replace(i, { ...indicator, value }))}
                  />
                </td>
                <td>
                  <button
                    type="button"
                    className="button-link danger"
                    aria-label={t('plan.delete', { name: indicator.label })}
                    onClick={() => onChange(replace(i, null))}
                  >
                    {t('plan.deleteShort')}
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <button
        type="button"
        className="secondary-button"
        aria-label={t('plan.indicators.addTo', { name })}
        onClick={() => {
          if (onChange([...indicators, { label: t('plan.indicators.newLabel'), value: '' }]) === null)
            setAdded(indicators.length);
        }}
      >
        {t('plan.indicators.add')}
      </button>
    </fieldset>
  );
}
