/**
 * The annual wheel's first month (a school year starts in August), the facilitator's to set:
 * it is the plan's setting, the same for everyone in the workshop.
 */
import { useId } from 'react';
import { setWheelStart } from '../../../shared/model/plan';
import { useMonthNames, useT } from '../i18n';
import { useConnection, useWorkshop } from '../use-workshop';

export function WheelStartField({ editable }: { editable: boolean }) {
  const t = useT();
  const names = useMonthNames('long');
  const { doc } = useConnection();
  const start = useWorkshop((w) => w.plan.wheelStart);
  const id = useId();
  if (!editable) return null;
  return (
    <span className="wheel-start">
      <label htmlFor={id}>{t('wheel.startsIn')}</label>
      <select id={id} value={start} onChange={(e) => setWheelStart(doc, Number(e.target.value))}>
        {names.map((name, i) => (
          <option key={i} value={i + 1}>
            {name}
          </option>
        ))}
      </select>
    </span>
  );
}
