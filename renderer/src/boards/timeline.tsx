/**
 * The action plan on a timeline by month and quarter: one bar per action from its start to its
 * end month. Drag a bar to move it, drag its ends to resize; with the bar focused, arrow keys
 * move it a month and Shift+arrows move its end.
 */
import { useRef } from 'react';
import { addMonths, InvalidValueError, monthRange, updateAction, type Action } from '../../../shared';
import { useLanguage, useT } from '../i18n';
import { useMay } from '../policy';
import { useConnection } from '../use-workshop';

const MONTH_WIDTH = 44;

type Mode = 'move' | 'start' | 'end';

function TimelineBar({ action, first }: { action: Action & { start: string; end: string }; first: string }) {
  const t = useT();
  const { doc } = useConnection();
  const bar = useRef<HTMLDivElement>(null);
  // Start and end are judged alike: one answer for both.
  const movable = useMay({ kind: 'edit', root: 'actions', id: action.id, field: 'start' });
  const offset = monthRange(first, action.start).length - 1;
  const span = monthRange(action.start, action.end).length;

  const shift = (mode: Mode, delta: number): void => {
    if (delta === 0) return;
    const start = mode === 'end' ? action.start : addMonths(action.start, delta);
    const end = mode === 'start' ? action.end : addMonths(action.end, delta);
    if (end < start) return;
    try {
      updateAction(doc, action.id, { start, end });
    } catch (error) {
      if (!(error instanceof InvalidValueError)) throw error;
    }
  };

  const onPointerDown = (mode: Mode) => (event: React.PointerEvent<HTMLElement>) => {
    if (!movable) return;
    event.stopPropagation();
    event.preventDefault();
    const el = bar.current;
    if (!el) return;
    const startX = event.clientX;
    const scale = el.getBoundingClientRect().width / el.offsetWidth || 1;
    const months = (e: PointerEvent): number => Math.round((e.clientX - startX) / scale / MONTH_WIDTH);
    const move = (e: PointerEvent): void => {
      const delta = months(e) * MONTH_WIDTH;
      if (mode === 'move') el.style.transform = `translateX(${delta}px)`;
      else if (mode === 'start') {
        el.style.transform = `translateX(${delta}px)`;
        el.style.width = `${span * MONTH_WIDTH - delta}px`;
      } else el.style.width = `${span * MONTH_WIDTH + delta}px`;
    };
    const up = (e: PointerEvent): void => {
      window.removeEventListener('pointermove', move);
      window.removeEventListener('pointerup', up);
      el.style.transform = '';
      el.style.width = '';
      shift(mode, months(e));
    };
    window.addEventListener('pointermove', move);
    window.addEventListener('pointerup', up);
  };

  return (
    <div
      ref={bar}
      className={`timeline-bar status-${action.status}`}
      style={{ left: offset * MONTH_WIDTH, width: span * MONTH_WIDTH }}
      role="slider"
      tabIndex={0}
      aria-readonly={!movable || undefined}
      aria-label={t('timeline.bar', { title: action.title, start: action.start, end: action.end })}
      aria-valuetext={`${action.start} – ${action.end}`}
      aria-valuenow={offset}
      onPointerDown={onPointerDown('move')}
      onKeyDown={(e) => {
        const delta = e.key === 'ArrowLeft' ? -1 : e.key === 'ArrowRight' ? 1 : 0;
        if (!delta || !movable) return;
        e.preventDefault();
        shift(e.shiftKey ? 'end' : 'move', delta);
      }}
    >
      <span
        className="timeline-handle start"
        aria-label={t('timeline.resizeStart', { title: action.title })}
        onPointerDown={onPointerDown('start')}
      />
      <span className="timeline-bar-label">{action.title}</span>
      <span
        className="timeline-handle end"
        aria-label={t('timeline.resizeEnd', { title: action.title })}
        onPointerDown={onPointerDown('end')}
      />
    </div>
  );
}

export function Timeline({ actions }: { actions: readonly Action[] }) {
  const t = useT();
  const language = useLanguage();
  const scheduled = actions.filter((a): a is Action & { start: string; end: string } => !!a.start && !!a.end);
  if (scheduled.length === 0) return <p className="empty">{t('timeline.empty')}</p>;
  const first = addMonths(scheduled.map((a) => a.start).sort()[0]!, -1);
  const last = addMonths(
    scheduled
      .map((a) => a.end)
      .sort()
      .at(-1)!,
    1,
  );
  const months = monthRange(first, last);
  const monthName = new Intl.DateTimeFormat(language, { month: 'short' });
  const quarters: { label: string; months: number }[] = [];
  for (const month of months) {
    const [year, m] = month.split('-').map(Number) as [number, number];
    const label = t('timeline.quarter', { quarter: Math.ceil(m / 3), year });
    const current = quarters.at(-1);
    if (current?.label === label) current.months++;
    else quarters.push({ label, months: 1 });
  }
  const width = months.length * MONTH_WIDTH;
  return (
    <div className="timeline" role="group" aria-label={t('actions.viewTimeline')}>
      <div className="timeline-row timeline-head">
        <div className="timeline-label" />
        <div className="timeline-track" style={{ width }}>
          {quarters.map((q, i) => (
            <span key={i} className="timeline-quarter" style={{ width: q.months * MONTH_WIDTH }}>
              {q.label}
            </span>
          ))}
        </div>
      </div>
      <div className="timeline-row timeline-head">
        <div className="timeline-label" />
        <div className="timeline-track" style={{ width }}>
          {months.map((month) => {
            const [year, m] = month.split('-').map(Number) as [number, number];
            return (
              <span key={month} className="timeline-month" style={{ width: MONTH_WIDTH }}>
                {monthName.format(new Date(year, m - 1, 1))}
              </span>
            );
          })}
        </div>
      </div>
      {scheduled.map((action) => (
        <div key={action.id} className="timeline-row">
          <div className="timeline-label">{action.title}</div>
          <div className="timeline-track grid" style={{ width, backgroundSize: `${MONTH_WIDTH}px 100%` }}>
            <TimelineBar action={action} first={first} />
          </div>
        </div>
      ))}
    </div>
  );
}
