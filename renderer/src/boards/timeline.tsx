/**
 * The action plan on a timeline by month and quarter: one bar per action from its start to its
 * end month. Drag a bar to move it, drag its ends to resize; with the bar focused, arrow keys
 * move it a month and Shift+arrows move its end.
 *
 * A short plan spreads over the width there is; a long one keeps its months wide enough to grab
 * and scrolls sideways. The scale above shows only labels whose text fits whole where it stands
 * (a year, a quarter, every month or else every second, third… month), measured in the UI's
 * language and font, so labels never run together or get cut, at any plan length.
 *
 * When the plan has work packages, the rows are grouped by package: a row per package (its title,
 * owner and period, the period drawn as a hatched band), then its actions; those in no package
 * last. A legend under the timeline names the statuses the bars' looks stand for, and the
 * packages' hatched band when there is one.
 */
import { useLayoutEffect, useRef, useState } from 'react';
import {
  ACTION_STATUSES,
  addMonths,
  InvalidValueError,
  monthRange,
  updateAction,
  type Action,
} from '../../../shared';
import { useLanguage, useT } from '../i18n';
import { usePackageSummaries, usePeriod } from '../plan/packages-section';
import { useStatusName } from '../plan/statuses-section';
import { useMay } from '../policy';
import { useConnection } from '../use-workshop';

/** A month's narrowest and widest width on the timeline (px). */
const MIN_MONTH = 24;
const MAX_MONTH = 96;
/** The width of the action titles' column (as in styles.css `.timeline-label`). */
const LABEL_WIDTH = 260;
/** A scale label's padding and border around its text (as in styles.css), and a pixel to spare. */
const LABEL_CHROME = 4 + 4 + 1 + 1;

type Mode = 'move' | 'start' | 'end';

function TimelineBar({
  action,
  first,
  monthWidth,
}: {
  action: Action & { start: string; end: string };
  first: string;
  monthWidth: number;
}) {
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
    const months = (e: PointerEvent): number => Math.round((e.clientX - startX) / scale / monthWidth);
    const move = (e: PointerEvent): void => {
      const delta = months(e) * monthWidth;
      if (mode === 'move') el.style.transform = `translateX(${delta}px)`;
      else if (mode === 'start') {
        el.style.transform = `translateX(${delta}px)`;
        el.style.width = `${span * monthWidth - delta}px`;
      } else el.style.width = `${span * monthWidth + delta}px`;
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
      style={{ left: offset * monthWidth, width: span * monthWidth }}
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

/** Measures text in a CSS font (one canvas for the whole app). */
let canvas: HTMLCanvasElement | null = null;
function textWidth(text: string, font: string): number {
  canvas ??= document.createElement('canvas');
  const context = canvas.getContext('2d');
  if (!context) return text.length * 8;
  context.font = font;
  return context.measureText(text).width;
}

/** One label of the scale: where it starts (in months from the first) and how many it spans. */
type ScaleLabel = { readonly key: string; readonly at: number; readonly span: number; readonly text: string };

/** The first of `candidates` that fits whole in `width` px in `font`, else ''. */
function fitting(candidates: readonly string[], width: number, font: string): string {
  return candidates.find((text) => textWidth(text, font) + LABEL_CHROME <= width) ?? '';
}

/** How many months one month label takes so that the widest of `names` fits: 1, 2, 3, 6 or 12. */
function monthStep(names: readonly string[], monthWidth: number, font: string): number {
  const widest = Math.max(...names.map((n) => textWidth(n, font))) + LABEL_CHROME;
  return [1, 2, 3, 6, 12].find((step) => step * monthWidth >= widest) ?? 12;
}

/** The width of `ref`'s element, kept up to date, and its font family (for measuring text). */
function useBox(ref: React.RefObject<HTMLElement | null>): { width: number; family: string } {
  const [box, setBox] = useState({ width: 0, family: 'sans-serif' });
  useLayoutEffect(() => {
    const el = ref.current;
    if (!el) return;
    const measure = (): void => setBox({ width: el.clientWidth, family: getComputedStyle(el).fontFamily });
    measure();
    const observer = new ResizeObserver(measure);
    observer.observe(el);
    return () => observer.disconnect();
  }, [ref]);
  return box;
}

/** Labels over runs of consecutive months that share `group` (a year, a quarter). */
function runs(months: readonly string[], group: (month: string) => string): Omit<ScaleLabel, 'text'>[] {
  const out: { key: string; at: number; span: number }[] = [];
  months.forEach((month, i) => {
    const key = group(month);
    const current = out.at(-1);
    if (current?.key === key) current.span++;
    else out.push({ key, at: i, span: 1 });
  });
  return out;
}

/**
 * The scale over `months` (`YYYY-MM`, consecutive) at `monthWidth` px a month: years, quarters
 * and months (every `step` months), each label only where its text fits whole in `family` at
 * 12 px.
 */
function buildScale(
  months: readonly string[],
  monthWidth: number,
  language: string,
  family: string,
  t: ReturnType<typeof useT>,
): { years: ScaleLabel[]; quarters: ScaleLabel[]; months: ScaleLabel[] } {
  const yearFont = `600 12px ${family}`;
  const monthFont = `12px ${family}`;
  const names = new Intl.DateTimeFormat(language, { month: 'short', timeZone: 'UTC' });
  const monthName = (m: number): string => names.format(Date.UTC(2000, m - 1, 1));
  const years = runs(months, (month) => month.slice(0, 4)).map((y) => ({
    ...y,
    text: fitting([y.key], y.span * monthWidth, yearFont),
  }));
  const quarters = runs(
    months,
    (month) => `${month.slice(0, 4)}-${Math.ceil(Number(month.slice(5)) / 3)}`,
  ).map((q) => ({
    ...q,
    text: fitting(
      [t('timeline.quarterShort', { quarter: Number(q.key.slice(5)) })],
      q.span * monthWidth,
      monthFont,
    ),
  }));
  const step = monthStep(
    Array.from({ length: 12 }, (_, i) => monthName(i + 1)),
    monthWidth,
    monthFont,
  );
  const monthLabels: ScaleLabel[] = [];
  months.forEach((month, i) => {
    const m = Number(month.slice(5));
    // Labels stand on calendar steps (January, April… for every third), each over its step.
    if ((m - 1) % step !== 0 && i !== 0) return;
    const span = Math.min(step - ((m - 1) % step), months.length - i);
    monthLabels.push({
      key: month,
      at: i,
      span,
      text: fitting([monthName(m)], span * monthWidth, monthFont),
    });
  });
  return { years, quarters, months: monthLabels };
}

export function Timeline({ actions }: { actions: readonly Action[] }) {
  const t = useT();
  const language = useLanguage();
  const box = useRef<HTMLDivElement>(null);
  const { width, family } = useBox(box);
  const statusName = useStatusName();
  const period = usePeriod();
  const scheduled = actions.filter((a): a is Action & { start: string; end: string } => !!a.start && !!a.end);
  const groups = useRowGroups(scheduled);
  const bands = groups.flatMap((g) => (g.start && g.end && g.start <= g.end ? [g.start, g.end] : []));
  const first = scheduled.length
    ? addMonths([...scheduled.map((a) => a.start), ...bands].sort()[0]!, -1)
    : '';
  const last = scheduled.length
    ? addMonths([...scheduled.map((a) => a.end), ...bands].sort().at(-1)!, 1)
    : '';
  const months = first ? monthRange(first, last) : [];
  const monthWidth = Math.floor(
    Math.min(MAX_MONTH, Math.max(MIN_MONTH, (width - LABEL_WIDTH) / Math.max(1, months.length))),
  );
  const scale = buildScale(months, monthWidth, language, family, t);

  if (scheduled.length === 0) return <p className="empty">{t('timeline.empty')}</p>;
  const trackWidth = months.length * monthWidth;
  const scaleRow = (labels: readonly ScaleLabel[], className: string) => (
    <div className="timeline-row timeline-head" aria-hidden="true">
      <div className="timeline-label" />
      <div className="timeline-track" style={{ width: trackWidth }} data-scale-row>
        {labels.map((l) => (
          <span
            key={l.key}
            className={className}
            style={{ left: l.at * monthWidth, width: l.span * monthWidth }}
            data-scale-label
          >
            {l.text}
          </span>
        ))}
      </div>
    </div>
  );
  return (
    <div ref={box} className="timeline" role="group" aria-label={t('actions.viewTimeline')}>
      {width > 0 && (
        <>
          {scaleRow(scale.years, 'timeline-year')}
          {scaleRow(scale.quarters, 'timeline-quarter')}
          {scaleRow(scale.months, 'timeline-month')}
          {groups.map((group) => (
            <div
              key={group.key}
              role={group.title === null ? undefined : 'group'}
              aria-label={group.title ?? undefined}
            >
              {group.title !== null && (
                <div className="timeline-row timeline-package">
                  <div className="timeline-label">
                    {group.title}
                    {group.key !== 'none' && (
                      <span className="timeline-package-detail">
                        {[group.owner, period(group.start, group.end)].filter(Boolean).join(' · ')}
                      </span>
                    )}
                  </div>
                  <div
                    className="timeline-track grid"
                    style={{ width: trackWidth, backgroundSize: `${monthWidth}px 100%` }}
                  >
                    {group.start && group.end && group.start <= group.end && (
                      <div
                        className="timeline-band"
                        role="img"
                        aria-label={t('timeline.package', {
                          title: group.title,
                          period: period(group.start, group.end),
                        })}
                        style={{
                          left: (monthRange(first, group.start).length - 1) * monthWidth,
                          width: monthRange(group.start, group.end).length * monthWidth,
                        }}
                      />
                    )}
                  </div>
                </div>
              )}
              {group.actions.map((action) => (
                <div key={action.id} className="timeline-row">
                  <div className="timeline-label">{action.title}</div>
                  <div
                    className="timeline-track grid"
                    style={{ width: trackWidth, backgroundSize: `${monthWidth}px 100%` }}
                  >
                    <TimelineBar action={action} first={first} monthWidth={monthWidth} />
                  </div>
                </div>
              ))}
            </div>
          ))}
          <ul className="timeline-legend" aria-label={t('timeline.legend')}>
            {ACTION_STATUSES.map((status) => (
              <li key={status}>
                <span className={`timeline-bar timeline-swatch status-${status}`} aria-hidden="true" />
                {statusName(status)}
              </li>
            ))}
            {bands.length > 0 && (
              <li>
                <span className="timeline-band timeline-swatch" aria-hidden="true" />
                {t('timeline.packageBand')}
              </li>
            )}
          </ul>
        </>
      )}
    </div>
  );
}

type Scheduled = Action & { start: string; end: string };

/** A run of the timeline's rows: a work package (title, owner, period) and its actions, or the rest. */
type RowGroup = {
  readonly key: string;
  /** The package's title; null for the actions of no package (or all of them, without packages). */
  readonly title: string | null;
  readonly owner: string;
  readonly start: string | null;
  readonly end: string | null;
  readonly actions: readonly Scheduled[];
};

/** `scheduled` grouped by work package in the plan's order, those in none last; one group without packages. */
function useRowGroups(scheduled: readonly Scheduled[]): RowGroup[] {
  const t = useT();
  const summaries = usePackageSummaries();
  if (summaries.length === 0)
    return [{ key: 'all', title: null, owner: '', start: null, end: null, actions: scheduled }];
  const groups: RowGroup[] = summaries.map(({ package: pkg, start, end }) => ({
    key: pkg.id,
    title: pkg.title,
    owner: pkg.owner,
    start,
    end,
    actions: scheduled.filter((a) => a.workPackageId === pkg.id),
  }));
  const loose = scheduled.filter((a) => !summaries.some((s) => s.package.id === a.workPackageId));
  if (loose.length)
    groups.push({
      key: 'none',
      title: t('packages.none'),
      owner: '',
      start: null,
      end: null,
      actions: loose,
    });
  return groups;
}
