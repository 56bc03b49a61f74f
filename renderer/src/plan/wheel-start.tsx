/**
 * The annual wheel's first month (a school year starts in August), the facilitator's to set:
 * it is the plan's setting, the same for everyone in the workshop.
 */
import { useId } from 'react';
import { setWheelStart } from '../../../shared/model/plan';
import { useLanguage, useT } from '../i18n';
import { useConnection, useWorkshop } from '../use-workshop';

export function WheelStartField({ editable }: { editable: boolean }) {
  const t = useT();
  const language = useLanguage();
  const { doc } = useConnection();
  const start = useWorkshop((w) => w.plan.wheelStart);
  const id = useId();
  if (!editable) return null;
  const format = new Intl.DateTimeFormat(language, { month: 'long', timeZone: 'UTC' });
  return (
    <span className="wheel-start">
      <label htmlFor={id}>{t('wheel.startsIn')}</label>
      <select id={id} value={start} onChange={(e) => setWheelStart(doc, Number(e.target.value))}>
        {Array.from({ length: 12 }, (_, i) => (
          <option key={i} value={i + 1}>
            {format.format(Date.UTC(2000, i, 1))}
          </option>
        ))}
      </select>
    </span>
  );
}
