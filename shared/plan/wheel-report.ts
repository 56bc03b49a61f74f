/**
 * The annual wheel's words and the wheel of an export. The app and the exports name months and
 * items alike through {@link createWheelWords}; {@link reportWheel} draws the wheel that a report
 * shows with its timeline (the standalone SVG with its legend, for the HTML/PDF writers; the DOCX
 * writer embeds a PNG made from that SVG by whoever can rasterise it, see ReportWheel).
 *
 * A wheel shows one year. Which: the year of today (the report's date), unless the plan's
 * actions all lie before or after it; then the plan's nearest year ({@link wheelYear}).
 */
import { translate, translatePlural } from '../i18n';
import { actionsInScope, type PlanScope } from '../model/plan-totals';
import {
  ACTION_STATUSES,
  type ActionStatus,
  type Language,
  type Month,
  type Workshop,
} from '../model/schema';
import { INTL_LOCALES } from '../report/format';
import type { Report, ReportOptions } from '../report/model';
import { statusName, type ReportWheel } from '../report/plan-model';
import { layoutWheel, periodOf, svgText, wheelDrawing, type WheelItem, type WheelLayout } from './wheel';

/** Month names and the wheel's texts in one language. */
export type WheelWords = {
  /** The months' names, January first. */
  readonly monthNames: readonly string[];
  /** The year a wheel shows: `2027`, or `2026–2027` for a wheel that starts after January. */
  readonly period: (year: number, startMonth: number) => string;
  /** `YYYY-MM` to `YYYY-MM` in words: `March – May 2027`, `November 2026 – February 2027`. */
  readonly span: (start: Month, end: Month) => string;
  /** Recurring months in words: `January, April, July and October`. */
  readonly months: (months: readonly number[]) => string;
  readonly status: (status: ActionStatus) => string;
};

/** The wheel's words in `locale` (an Intl locale), with `status` naming the statuses. */
export function createWheelWords(locale: string, status: (status: ActionStatus) => string): WheelWords {
  const long = new Intl.DateTimeFormat(locale, { month: 'long', timeZone: 'UTC' });
  const monthYear = new Intl.DateTimeFormat(locale, { month: 'long', year: 'numeric', timeZone: 'UTC' });
  const list = new Intl.ListFormat(locale, { style: 'long', type: 'conjunction' });
  const date = (month: Month): Date => new Date(`${month}-01T00:00:00Z`);
  const monthNames = Array.from({ length: 12 }, (_, i) => long.format(Date.UTC(2000, i, 1)));
  // Made by hand and kept: Intl's formatRange costs a fifth of a millisecond a call, and a plan
  // of 500 actions names each (wheel-500).
  const spans = new Map<string, string>();
  return {
    monthNames,
    period: (year, startMonth) => (startMonth === 1 ? String(year) : `${year}–${year + 1}`),
    span: (start, end) => {
      const key = `${start}/${end}`;
      let text = spans.get(key);
      if (text === undefined) {
        const last = monthYear.format(date(end));
        const first =
          start.slice(0, 4) === end.slice(0, 4) ? long.format(date(start)) : monthYear.format(date(start));
        text = start === end ? last : `${first} – ${last}`;
        spans.set(key, text);
      }
      return text;
    },
    months: (months) => list.format(months.map((m) => monthNames[m - 1] ?? String(m))),
    status,
  };
}

/**
 * The year (as {@link periodOf} counts it from `startMonth`) a wheel first shows: that of
 * `today`, or the nearest year of the plan's `actions` when today lies outside them.
 */
export function wheelYear(
  actions: readonly { readonly start: Month | null; readonly end: Month | null }[],
  startMonth: number,
  today: Month,
): number {
  const now = periodOf(today, startMonth);
  const years = actions.flatMap((a) =>
    a.start && a.end ? [periodOf(a.start, startMonth), periodOf(a.end, startMonth)] : [],
  );
  if (years.length === 0) return now;
  return Math.min(Math.max(now, Math.min(...years)), Math.max(...years));
}

/** What a wheel's texts need besides the layout: the words and the plan's months. */
export type WheelText = {
  readonly words: WheelWords;
  readonly actionMonths: ReadonlyMap<string, { readonly start: Month | null; readonly end: Month | null }>;
  readonly recurringMonths: ReadonlyMap<string, readonly number[]>;
};

/** When an item is, in words: an action's months, a recurring item's months every year. */
export function itemWhen(text: WheelText, item: WheelItem): string {
  if (item.kind === 'recurring') return text.words.months(text.recurringMonths.get(item.id) ?? []);
  const months = text.actionMonths.get(item.id);
  return months?.start && months.end ? text.words.span(months.start, months.end) : '';
}

/** An item's name, in `language`: what and when (and an action's status). */
export function itemLabel(language: Language, text: WheelText, item: WheelItem): string {
  const when = itemWhen(text, item);
  return item.kind === 'recurring'
    ? translate(language, 'wheel.recurringLabel', { title: item.title, months: when })
    : translate(language, 'wheel.actionLabel', {
        title: item.title,
        when,
        status: text.words.status(item.status ?? 'planned'),
      });
}

/** The texts of a standalone wheel (an image, an export): title, centre, item names and legend. */
export function standaloneWheel(
  language: Language,
  workshopTitle: string,
  layout: WheelLayout,
  text: WheelText,
) {
  const period = text.words.period(layout.year, layout.startMonth);
  const actions = layout.items.filter((i) => i.kind === 'action').length;
  return {
    title: translate(language, 'wheel.imageTitle', { title: workshopTitle, period }),
    centre: [period, translatePlural(language, 'wheel.actionCount', actions)],
    itemLabel: (item: WheelItem) => itemLabel(language, text, item),
    legend: {
      statuses: ACTION_STATUSES.map((status) => ({ status, label: text.words.status(status) })),
      recurring: translate(language, 'wheel.legendRecurring'),
    },
  };
}

/**
 * The annual wheel of a report on `workshop` (its actions in `scope`) in `language`, of the year
 * the report's `date` (`YYYY-MM-DD`) chooses; null when nothing would be on it. Its `png` is
 * null: a caller that can rasterise the SVG (the app's browser) adds one for the DOCX.
 */
export function reportWheel(
  workshop: Workshop,
  options: { readonly language: Language; readonly date: string; readonly scope: PlanScope },
): ReportWheel | null {
  const { language } = options;
  const actions = actionsInScope(workshop, options.scope);
  const startMonth = workshop.plan.wheelStart;
  const words = createWheelWords(INTL_LOCALES[language], (s) => statusName(workshop, s, language));
  const layout = layoutWheel({
    startMonth,
    year: wheelYear(actions, startMonth, options.date.slice(0, 7)),
    actions,
    recurring: workshop.plan.recurring,
    monthNames: words.monthNames,
  });
  if (layout.items.length === 0) return null;
  const text: WheelText = {
    words,
    actionMonths: new Map(actions.map((a) => [a.id as string, a])),
    recurringMonths: new Map(workshop.plan.recurring.map((r) => [r.id, r.months])),
  };
  const standalone = standaloneWheel(language, workshop.meta.title, layout, text);
  const drawing = wheelDrawing(layout, { ...standalone, idPrefix: 'report-wheel' });
  return {
    svg: svgText(drawing),
    png: null,
    width: Number(drawing.attrs.width),
    height: Number(drawing.attrs.height),
    alt: `${standalone.title}: ${standalone.centre[1] ?? ''}`,
  };
}

/**
 * `report` with the annual wheel of `workshop` in its wheel slot (as {@link reportWheel} draws
 * it for the report's options), for the writers that show it with the timeline.
 */
export function withReportWheel(
  report: Report,
  workshop: Workshop,
  options: Pick<ReportOptions, 'language' | 'date' | 'scope'>,
): Report {
  return { ...report, wheel: reportWheel(workshop, options) };
}
