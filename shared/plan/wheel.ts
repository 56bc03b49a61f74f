/**
 * The annual wheel (årshjul): the plan's year as a circle of twelve months from the plan's first
 * month (`plan.wheelStart`, 8 for a school year), the actions as arcs over their months and the
 * recurring yearly items in a ring of their own outside them.
 *
 * Two pure steps, shared by the app and the exports so they never draw it differently:
 * {@link layoutWheel} decides the geometry (which months, which ring each arc takes, its angles
 * and radii), {@link wheelDrawing} turns a layout into a tree of SVG elements, and
 * {@link svgText} writes that tree as an SVG document (the exports, the SVG and PNG downloads).
 * The app renders the same tree as React elements and adds focus and keys to its items.
 *
 * Angles are degrees clockwise from twelve o'clock; the wheel's first month starts at 0°.
 * Months are `YYYY-MM`. A wheel shows one year: an action reaching beyond it is clipped to it and
 * marked as continuing; one outside it is left out and counted.
 */
import { addMonths } from '../money';
import type { ActionStatus, Month } from '../model/schema';
import { oneLine } from '../report/sanitise';

/** An action as the wheel needs it. */
export type WheelAction = {
  readonly id: string;
  readonly title: string;
  readonly start: Month | null;
  readonly end: Month | null;
  readonly status: ActionStatus;
};

/** A recurring item as the wheel needs it: months 1–12. */
export type WheelRecurring = {
  readonly id: string;
  readonly title: string;
  readonly months: readonly number[];
};

export type WheelInput = {
  /** The wheel's first month, 1–12. */
  readonly startMonth: number;
  /** The year the wheel's first month is in. */
  readonly year: number;
  readonly actions: readonly WheelAction[];
  readonly recurring: readonly WheelRecurring[];
  /** The months' names in the language shown, January first. */
  readonly monthNames: readonly string[];
  /** This month, marked on the wheel when it shows it; none in a document. */
  readonly today?: Month | null;
};

/** One arc of an item: an annular sector. */
export type WheelArc = {
  readonly startAngle: number;
  readonly endAngle: number;
  readonly inner: number;
  readonly outer: number;
};

export type WheelItem = {
  readonly id: string;
  readonly kind: 'action' | 'recurring';
  readonly title: string;
  /** The action's status; null for a recurring item. */
  readonly status: ActionStatus | null;
  /** Its ring, 0 the outermost of its kind. */
  readonly lane: number;
  /** The first and last month it covers on this wheel, as indexes 0–11 from the first month. */
  readonly from: number;
  readonly to: number;
  /** An action that began before this wheel's year, or goes on after it. */
  readonly continuesBefore: boolean;
  readonly continuesAfter: boolean;
  /** An action's one arc; a recurring item's arcs, one per run of months, in wheel order. */
  readonly arcs: readonly WheelArc[];
};

export type WheelMonth = {
  readonly month: Month;
  readonly name: string;
  readonly startAngle: number;
  readonly endAngle: number;
};

export type WheelLayout = {
  /** The drawing's width and height without a legend (a square). */
  readonly size: number;
  readonly centre: number;
  readonly year: number;
  readonly startMonth: number;
  readonly months: readonly WheelMonth[];
  /** Recurring items first, then actions by their first month. */
  readonly items: readonly WheelItem[];
  /** Actions not on this wheel: without months, or wholly in another year. */
  readonly hidden: number;
  /** Radii of the month ring and of the centre. */
  readonly monthRing: { readonly inner: number; readonly outer: number };
  readonly hub: number;
  /** Where today is marked (the middle of this month), in degrees; null when not on this wheel. */
  readonly today: number | null;
};

const SIZE = 800;
const CENTRE = SIZE / 2;
const MONTH_OUTER = 392;
const MONTH_INNER = 346;
const HUB = 96;
/** The gap between the month ring and the items, and between the recurring ring and the actions. */
const RING_GAP = 8;
/** A recurring lane's width, and at most how much of the radius recurring lanes take. */
const RECURRING_LANE = 22;
const RECURRING_MAX = 88;
/** An action lane's widest; with many lanes they share the space. */
const ACTION_LANE = 30;
/** Space between an arc and its neighbour month, in degrees, and between rings, in px. */
const ANGLE_PAD = 0.75;
const LANE_PAD = 2;

const pad2 = (n: number): string => String(n).padStart(2, '0');

/** The twelve months a wheel starting at month `startMonth` of `year` shows, in order. */
export function wheelMonths(startMonth: number, year: number): Month[] {
  const first = `${year}-${pad2(startMonth)}`;
  return Array.from({ length: 12 }, (_, i) => addMonths(first, i));
}

/** The year of the wheel (starting at `startMonth`) that shows `month`. */
export function periodOf(month: Month, startMonth: number): number {
  const year = Number(month.slice(0, 4));
  return Number(month.slice(5, 7)) >= startMonth ? year : year - 1;
}

/** Recurring months moved by `delta` months, round the year (1–12, ascending, no repeats). */
export function shiftMonths(months: readonly number[], delta: number): number[] {
  const moved = months.map((m) => ((((m - 1 + delta) % 12) + 12) % 12) + 1);
  return [...new Set(moved)].sort((a, b) => a - b);
}

/** The point at `radius` and `angle` (degrees clockwise from twelve o'clock). */
function point(cx: number, cy: number, radius: number, angle: number): [number, number] {
  const rad = (angle * Math.PI) / 180;
  return [round(cx + radius * Math.sin(rad)), round(cy - radius * Math.cos(rad))];
}

/** Two decimals are plenty for a drawing 800 px wide, and keep the SVG small. */
function round(n: number): number {
  return Math.round(n * 100) / 100 || 0;
}

/** An arc at `radius` from angle `from` (where the path is) to angle `to`, clockwise when `to` > `from`. */
function arcTo(cx: number, cy: number, radius: number, from: number, to: number): string {
  const [x, y] = point(cx, cy, radius, to);
  const large = Math.abs(to - from) > 180 ? 1 : 0;
  return `A${round(radius)} ${round(radius)} 0 ${large} ${to > from ? 1 : 0} ${x} ${y}`;
}

/**
 * The path of the ring between radii `inner` and `outer` from angle `from` to `to` (clockwise,
 * `to` > `from`). A whole ring is drawn as two halves (one arc cannot close on itself).
 */
export function annularSector(
  cx: number,
  cy: number,
  inner: number,
  outer: number,
  from: number,
  to: number,
): string {
  if (to - from >= 359.999) {
    return (
      annularSector(cx, cy, inner, outer, from, from + 180) +
      annularSector(cx, cy, inner, outer, from + 180, from + 360)
    );
  }
  const [ox, oy] = point(cx, cy, outer, from);
  const [ix, iy] = point(cx, cy, inner, to);
  return `M${ox} ${oy}${arcTo(cx, cy, outer, from, to)}L${ix} ${iy}${arcTo(cx, cy, inner, to, from)}Z`;
}

/**
 * An open arc at `radius` for text to run along, readable the right way up: clockwise over the
 * upper half, counter-clockwise over the lower half.
 */
function textArc(cx: number, cy: number, radius: number, start: number, end: number): string {
  // A whole ring's arc would end where it starts, and SVG draws no arc between equal points.
  const whole = end - start >= 359.999;
  const from = whole ? start + 1 : start;
  const to = whole ? end - 1 : end;
  const mid = ((((from + to) / 2) % 360) + 360) % 360;
  const flip = mid > 90 && mid < 270;
  const [a, b] = flip ? [to, from] : [from, to];
  const [sx, sy] = point(cx, cy, radius, a);
  return `M${sx} ${sy}${arcTo(cx, cy, radius, a, b)}`;
}

/** Index 0–11 of `month` on a wheel whose first month is `first`; may be outside 0–11. */
function indexOf(month: Month, first: Month): number {
  const [y, m] = month.split('-').map(Number) as [number, number];
  const [fy, fm] = first.split('-').map(Number) as [number, number];
  return (y - fy) * 12 + (m - fm);
}

/** Runs of consecutive wheel months in `slots` (sorted 0–11), a run over the top joined. */
function runs(slots: readonly number[]): [number, number][] {
  const out: [number, number][] = [];
  for (const slot of slots) {
    const last = out.at(-1);
    if (last && last[1] === slot - 1) last[1] = slot;
    else out.push([slot, slot]);
  }
  const first = out[0];
  const last = out.at(-1);
  // The last month and the first meet at the top of the wheel.
  if (out.length > 1 && first && last && first[0] === 0 && last[1] === 11) {
    out.shift();
    last[1] = 12 + first[1];
  }
  return out;
}

/** The middle of `today`'s month on a wheel whose first month is `first`, or null when not on it. */
function todayAngle(today: Month | null, first: Month): number | null {
  if (!today) return null;
  const slot = indexOf(today, first);
  return slot >= 0 && slot < 12 ? slot * 30 + 15 : null;
}

/** Lays out a wheel: its months, each item's ring and arcs, and how many actions it leaves out. */
export function layoutWheel(input: WheelInput): WheelLayout {
  const monthList = wheelMonths(input.startMonth, input.year);
  const first = monthList[0]!;
  const months = monthList.map((month, i) => ({
    month,
    name: input.monthNames[Number(month.slice(5, 7)) - 1] ?? month,
    startAngle: i * 30,
    endAngle: (i + 1) * 30,
  }));

  // Recurring items: each in the first ring where none of its months is taken.
  const recurring = input.recurring
    .map((item) => {
      const slots = [...new Set(item.months.map((m) => (((m - input.startMonth) % 12) + 12) % 12))].sort(
        (a, b) => a - b,
      );
      return { item, slots };
    })
    .filter(({ slots }) => slots.length > 0);
  const recurringLanes: Set<number>[] = [];
  const recurringLane = recurring.map(({ slots }) => {
    let lane = recurringLanes.findIndex((taken) => slots.every((s) => !taken.has(s)));
    if (lane < 0) lane = recurringLanes.push(new Set()) - 1;
    for (const s of slots) recurringLanes[lane]!.add(s);
    return lane;
  });

  // Actions: clipped to the year; each in the first ring that is free from its first month on.
  let hidden = 0;
  const shown: { action: WheelAction; from: number; to: number; before: boolean; after: boolean }[] = [];
  for (const action of input.actions) {
    if (!action.start || !action.end) {
      hidden++;
      continue;
    }
    const start = indexOf(action.start, first);
    const end = indexOf(action.end, first);
    if (end < 0 || start > 11 || end < start) {
      hidden++;
      continue;
    }
    shown.push({
      action,
      from: Math.max(0, start),
      to: Math.min(11, end),
      before: start < 0,
      after: end > 11,
    });
  }
  shown.sort((a, b) => a.from - b.from || b.to - a.to);
  const laneEnds: number[] = [];
  const actionLane = shown.map(({ from, to }) => {
    let lane = laneEnds.findIndex((end) => end < from);
    if (lane < 0) lane = laneEnds.push(to) - 1;
    else laneEnds[lane] = to;
    return lane;
  });

  // Radii, outside in: months, recurring rings, action rings, the hub.
  const recurringWidth = recurringLanes.length
    ? Math.min(RECURRING_MAX, RECURRING_LANE * recurringLanes.length) / recurringLanes.length
    : 0;
  const recurringOuter = MONTH_INNER - RING_GAP;
  const actionsOuter = recurringLanes.length
    ? recurringOuter - recurringWidth * recurringLanes.length - RING_GAP
    : recurringOuter;
  const actionWidth = laneEnds.length
    ? Math.min(ACTION_LANE, (actionsOuter - HUB - RING_GAP) / laneEnds.length)
    : 0;
  const lanePad = Math.min(LANE_PAD, actionWidth / 4);
  const ring = (outerEdge: number, width: number, lane: number) => ({
    outer: round(outerEdge - lane * width - lanePad / 2),
    inner: round(outerEdge - (lane + 1) * width + lanePad / 2),
  });

  const items: WheelItem[] = [
    ...recurring.map(({ item, slots }, i): WheelItem => {
      const lane = recurringLane[i]!;
      const radii = ring(recurringOuter, recurringWidth, lane);
      return {
        id: item.id,
        kind: 'recurring',
        title: item.title,
        status: null,
        lane,
        from: slots[0]!,
        to: slots.at(-1)!,
        continuesBefore: false,
        continuesAfter: false,
        arcs: runs(slots).map(([from, to]) => ({
          startAngle: from * 30 + ANGLE_PAD,
          endAngle: (to + 1) * 30 - ANGLE_PAD,
          ...radii,
        })),
      };
    }),
    ...shown.map(({ action, from, to, before, after }, i): WheelItem => {
      const lane = actionLane[i]!;
      return {
        id: action.id,
        kind: 'action',
        title: action.title,
        status: action.status,
        lane,
        from,
        to,
        continuesBefore: before,
        continuesAfter: after,
        arcs: [
          {
            startAngle: from * 30 + (before ? 0 : ANGLE_PAD),
            endAngle: (to + 1) * 30 - (after ? 0 : ANGLE_PAD),
            ...ring(actionsOuter, actionWidth, lane),
          },
        ],
      };
    }),
  ];
  return {
    size: SIZE,
    centre: CENTRE,
    year: input.year,
    startMonth: input.startMonth,
    months,
    items,
    hidden,
    monthRing: { inner: MONTH_INNER, outer: MONTH_OUTER },
    hub: HUB,
    today: todayAngle(input.today ?? null, first),
  };
}

// ---- Drawing ---------------------------------------------------------------------------------

/** An SVG element: its tag, attributes (SVG names, e.g. `stroke-width`) and children. */
export type SvgNode = {
  readonly tag: string;
  readonly attrs: Readonly<Record<string, string | number>>;
  readonly children: readonly (SvgNode | string)[];
};

function el(tag: string, attrs: Record<string, string | number>, ...children: (SvgNode | string)[]): SvgNode {
  return { tag, attrs, children };
}

/** Fill and outline of each status (the note colours, text #1F2328 on each at 10:1 or more). */
export const WHEEL_STATUS_COLOURS: Readonly<Record<ActionStatus, { fill: string; stroke: string }>> = {
  proposal: { fill: '#FFF1A8', stroke: '#B59B00' },
  planned: { fill: '#BDE0FE', stroke: '#4A86C5' },
  pilot: { fill: '#FFD6A5', stroke: '#C77A1E' },
  ongoing: { fill: '#C7F0C2', stroke: '#4C9A45' },
  done: { fill: '#E9ECEF', stroke: '#868E96' },
};

/** A recurring item's look: purple, with a dashed outline, so it never reads as an action. */
export const WHEEL_RECURRING_COLOURS = { fill: '#D9C8FF', stroke: '#6A4BC4' } as const;

const TEXT = '#1F2328';
const MUTED = '#57606A';
const FONT = 'system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", sans-serif';

/** The legend under the wheel in a drawing that stands alone (an image, an export). */
export type WheelLegend = {
  readonly statuses: readonly { readonly status: ActionStatus; readonly label: string }[];
  readonly recurring: string;
};

export type WheelDrawingOptions = {
  /** Prefix of the drawing's element ids, unique in the page it goes into. */
  readonly idPrefix: string;
  /** The drawing's title (its accessible name, and the tooltip of a file viewer). */
  readonly title: string;
  /** The lines in the centre, e.g. the year. */
  readonly centre?: readonly string[];
  /** An item's accessible name (what and when); its title when not given. */
  readonly itemLabel?: (item: WheelItem) => string;
  /** Drawn under the wheel when given. */
  readonly legend?: WheelLegend;
  /** The name of the marker of today (drawn when the layout has today). */
  readonly todayLabel?: string;
  /** The item shown as selected. */
  readonly selected?: string | null;
};

/** About how wide text is at 1 px font size, per character (system sans-serif, mixed case). */
const CHAR_WIDTH = 0.56;

/** `text` cut with an ellipsis to fit about `width` px at `fontSize`; '' when not even a few letters fit. */
function fitText(text: string, width: number, fontSize: number): string {
  const room = Math.floor(width / (fontSize * CHAR_WIDTH));
  if (text.length <= room) return text;
  return room >= 4 ? `${text.slice(0, room - 1).trimEnd()}…` : '';
}

function legendNode(legend: WheelLegend, top: number): SvgNode {
  const entries: { label: string; fill: string; stroke: string; dashed: boolean }[] = [
    ...legend.statuses.map(({ status, label }) => ({
      label,
      ...WHEEL_STATUS_COLOURS[status],
      dashed: false,
    })),
    { label: legend.recurring, ...WHEEL_RECURRING_COLOURS, dashed: true },
  ];
  // Two rows of three at most: the legend stays within the drawing's width in every language.
  const columnWidth = SIZE / 3;
  return el(
    'g',
    { class: 'wheel-legend', 'font-size': 15, fill: TEXT },
    ...entries.map((entry, i) => {
      const x = 24 + (i % 3) * columnWidth;
      const y = top + Math.floor(i / 3) * 30;
      return el(
        'g',
        {},
        el('rect', {
          x,
          y,
          width: 22,
          height: 16,
          rx: 3,
          fill: entry.fill,
          stroke: entry.stroke,
          'stroke-width': 1.5,
          ...(entry.dashed && { 'stroke-dasharray': '4 2' }),
        }),
        el('text', { x: x + 30, y: y + 13 }, fitText(entry.label, columnWidth - 40, 15)),
      );
    }),
  );
}

/**
 * The wheel as SVG elements: the month ring with the months' names along it, lines between the
 * months, recurring items (dashed, purple) in their ring, actions in status colours with their
 * titles along the arc where they fit, and the centre's lines. Every item is a `g` with
 * `data-wheel-item` (its id), `data-kind` and an `aria-label`.
 */
export function wheelDrawing(layout: WheelLayout, options: WheelDrawingOptions): SvgNode {
  const { centre: c, size } = layout;
  const id = (name: string): string => `${options.idPrefix}-${name}`;
  const defs: SvgNode[] = [];
  const monthNodes = layout.months.map((month, i) => {
    const textId = id(`m${i}`);
    const mid = (layout.monthRing.inner + layout.monthRing.outer) / 2;
    defs.push(el('path', { id: textId, d: textArc(c, c, mid, month.startAngle, month.endAngle) }));
    return el(
      'g',
      { class: 'wheel-month' },
      el('path', {
        d: annularSector(
          c,
          c,
          layout.monthRing.inner,
          layout.monthRing.outer,
          month.startAngle,
          month.endAngle,
        ),
        fill: i % 2 ? '#FFFFFF' : '#EEF1F5',
        stroke: '#D0D7DE',
      }),
      el(
        'text',
        { 'font-size': 20, 'font-weight': 600, fill: TEXT, 'dominant-baseline': 'central' },
        el('textPath', { href: `#${textId}`, startOffset: '50%', 'text-anchor': 'middle' }, month.name),
      ),
    );
  });
  const dividers = layout.months.map((month) => {
    const [x1, y1] = point(c, c, layout.hub, month.startAngle);
    const [x2, y2] = point(c, c, layout.monthRing.inner, month.startAngle);
    return el('line', { x1, y1, x2, y2, stroke: '#D0D7DE', 'stroke-width': month.startAngle === 0 ? 2 : 1 });
  });

  const itemNodes = layout.items.map((item, n) => {
    const label = options.itemLabel?.(item) ?? item.title;
    const colours = item.status ? WHEEL_STATUS_COLOURS[item.status] : WHEEL_RECURRING_COLOURS;
    const selected = options.selected === item.id;
    const children: SvgNode[] = [];
    item.arcs.forEach((arc, k) => {
      children.push(
        el('path', {
          class: 'wheel-arc',
          d: annularSector(c, c, arc.inner, arc.outer, arc.startAngle, arc.endAngle),
          fill: colours.fill,
          stroke: selected ? '#1D5FD1' : colours.stroke,
          'stroke-width': selected ? 3 : 1,
          ...(item.kind === 'recurring' && { 'stroke-dasharray': '5 3' }),
        }),
      );
      const width = arc.outer - arc.inner;
      if (width < 12) return;
      const fontSize = Math.min(15, Math.floor(width * 0.6));
      const radius = (arc.inner + arc.outer) / 2;
      const length = (radius * Math.PI * (arc.endAngle - arc.startAngle)) / 180 - 8;
      const text = fitText(item.title, length, fontSize);
      if (!text) return;
      const textId = id(`t${n}-${k}`);
      defs.push(el('path', { id: textId, d: textArc(c, c, radius, arc.startAngle, arc.endAngle) }));
      children.push(
        el(
          'text',
          { 'font-size': fontSize, fill: TEXT, 'dominant-baseline': 'central', 'pointer-events': 'none' },
          el('textPath', { href: `#${textId}`, startOffset: '50%', 'text-anchor': 'middle' }, text),
        ),
      );
    });
    return el(
      'g',
      {
        class: `wheel-item wheel-${item.kind}`,
        'data-wheel-item': item.id,
        'data-kind': item.kind,
        'aria-label': label,
      },
      el('title', {}, label),
      ...children,
    );
  });

  const lines = options.centre ?? [String(layout.year)];
  const centreNode = el(
    'g',
    { class: 'wheel-centre', 'text-anchor': 'middle', fill: TEXT },
    el('circle', { cx: c, cy: c, r: layout.hub - 4, fill: '#FFFFFF', stroke: '#D0D7DE' }),
    ...lines.map((line, i) =>
      el(
        'text',
        {
          x: c,
          y: c + (i - (lines.length - 1) / 2) * 24,
          'dominant-baseline': 'central',
          'font-size': i === 0 ? 22 : 14,
          'font-weight': i === 0 ? 700 : 400,
          fill: i === 0 ? TEXT : MUTED,
        },
        fitText(line, (layout.hub - 10) * 2, i === 0 ? 22 : 14),
      ),
    ),
  );

  const legendRows = options.legend ? Math.ceil((options.legend.statuses.length + 1) / 3) : 0;
  const height = size + (legendRows ? 16 + legendRows * 30 : 0);
  return el(
    'svg',
    {
      xmlns: 'http://www.w3.org/2000/svg',
      viewBox: `0 0 ${size} ${height}`,
      width: size,
      height,
      role: 'img',
      'aria-labelledby': id('title'),
      'font-family': FONT,
    },
    el('title', { id: id('title') }, options.title),
    el('defs', {}, ...defs),
    el('rect', { x: 0, y: 0, width: size, height, fill: '#FFFFFF' }),
    el('g', { class: 'wheel-months' }, ...monthNodes),
    el('g', { class: 'wheel-dividers' }, ...dividers),
    el('g', { class: 'wheel-items' }, ...itemNodes),
    // Over the items, as a clock's hand: where the year is now.
    ...(layout.today === null ? [] : [todayNode(layout, layout.today, options.todayLabel ?? '')]),
    centreNode,
    ...(options.legend ? [legendNode(options.legend, size + 8)] : []),
  );
}

/** Today's marker: an accent line from the centre to the months, ending in a dot. */
function todayNode(layout: WheelLayout, angle: number, label: string): SvgNode {
  const c = layout.centre;
  const [x1, y1] = point(c, c, layout.hub, angle);
  const [x2, y2] = point(c, c, layout.monthRing.inner, angle);
  return el(
    'g',
    { class: 'wheel-today', 'pointer-events': 'none' },
    el('title', {}, label),
    el('line', { x1, y1, x2, y2, stroke: '#1D5FD1', 'stroke-width': 2, 'stroke-dasharray': '6 4' }),
    el('circle', { cx: x2, cy: y2, r: 5, fill: '#1D5FD1' }),
  );
}

/** Escapes text for XML (attributes and content). */
function xml(text: string): string {
  // Control characters (C0 and C1, as every export cleans them) and what XML forbids, on one line.
  return oneLine(text)
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;');
}

/** Writes an SVG element tree as XML text (an `svg` root becomes a standalone SVG document). */
export function svgText(node: SvgNode): string {
  const attrs = Object.entries(node.attrs)
    .map(([name, value]) => ` ${name}="${xml(String(value))}"`)
    .join('');
  const children = node.children.map((child) => (typeof child === 'string' ? xml(child) : svgText(child)));
  return children.length
    ? `<${node.tag}${attrs}>${children.join('')}</${node.tag}>`
    : `<${node.tag}${attrs}/>`;
}
