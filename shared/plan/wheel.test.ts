/**
 * The annual wheel's geometry and drawing: which months a wheel shows from its first month, where
 * an action's arc lies (clipped to the year shown), rings that never put two arcs over one
 * month, recurring items in their own ring, and the SVG that the app and the exports draw.
 */
import { describe, expect, it } from 'vitest';
import {
  annularSector,
  layoutWheel,
  periodOf,
  shiftMonths,
  svgText,
  wheelDrawing,
  wheelMonths,
  type WheelInput,
} from './wheel';

const MONTH_NAMES = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];

function input(fields: Partial<WheelInput>): WheelInput {
  return { startMonth: 1, year: 2027, actions: [], recurring: [], monthNames: MONTH_NAMES, ...fields };
}

describe('the months a wheel shows', () => {
  it('starts at its first month and runs twelve months, over a new year when it must', () => {
    expect(wheelMonths(8, 2026)).toEqual([
      '2026-08',
      '2026-09',
      '2026-10',
      '2026-11',
      '2026-12',
      '2027-01',
      '2027-02',
      '2027-03',
      '2027-04',
      '2027-05',
      '2027-06',
      '2027-07',
    ]);
    expect(wheelMonths(1, 2027)[0]).toBe('2027-01');
    expect(wheelMonths(1, 2027)[11]).toBe('2027-12');
  });

  it('names the year a month belongs to by the year its wheel starts in', () => {
    expect(periodOf('2027-03', 8)).toBe(2026);
    expect(periodOf('2027-08', 8)).toBe(2027);
    expect(periodOf('2027-03', 1)).toBe(2027);
  });
});

describe('annular sectors', () => {
  it('go clockwise from twelve o’clock along the outer edge and back along the inner', () => {
    expect(annularSector(400, 400, 100, 200, 0, 90)).toBe(
      'M400 200A200 200 0 0 1 600 400L500 400A100 100 0 0 0 400 300Z',
    );
  });

  it('draw a whole ring as two halves', () => {
    const path = annularSector(400, 400, 100, 200, 0, 360);
    expect(path.match(/A200 200/g)).toHaveLength(2);
    expect(path).not.toContain('NaN');
  });
});

describe('the layout', () => {
  it('puts an action over its months', () => {
    const layout = layoutWheel(
      input({
        actions: [{ id: 'a', title: 'Library week', start: '2027-03', end: '2027-05', status: 'planned' }],
      }),
    );
    const [item] = layout.items;
    expect(item).toMatchObject({ id: 'a', kind: 'action', from: 2, to: 4 });
    const [arc] = item!.arcs;
    expect(arc!.startAngle).toBeGreaterThan(60);
    expect(arc!.startAngle).toBeLessThan(61);
    expect(arc!.endAngle).toBeGreaterThan(149);
    expect(arc!.endAngle).toBeLessThan(150);
    expect(layout.hidden).toBe(0);
  });

  it('follows the first month: a school year puts August at the top', () => {
    const layout = layoutWheel(
      input({
        startMonth: 8,
        year: 2026,
        actions: [{ id: 'a', title: 'Autumn camp', start: '2026-08', end: '2026-08', status: 'planned' }],
      }),
    );
    expect(layout.months[0]).toMatchObject({ month: '2026-08', name: 'August' });
    expect(layout.items[0]).toMatchObject({ from: 0, to: 0 });
  });

  it('clips an action to the year shown and says that it continues', () => {
    const layout = layoutWheel(
      input({ actions: [{ id: 'a', title: 'Pilot', start: '2026-10', end: '2027-02', status: 'pilot' }] }),
    );
    expect(layout.items[0]).toMatchObject({ from: 0, to: 1, continuesBefore: true, continuesAfter: false });
  });

  it('leaves out actions outside the year and those without months, and counts them', () => {
    const layout = layoutWheel(
      input({
        actions: [
          { id: 'a', title: 'Earlier', start: '2025-01', end: '2025-03', status: 'done' },
          { id: 'b', title: 'Unscheduled', start: null, end: null, status: 'proposal' },
          { id: 'c', title: 'Shown', start: '2027-06', end: '2027-06', status: 'ongoing' },
        ],
      }),
    );
    expect(layout.items.map((i) => i.id)).toEqual(['c']);
    expect(layout.hidden).toBe(2);
  });

  it('never puts two actions over the same month in one ring, and reuses a ring where they do not meet', () => {
    const layout = layoutWheel(
      input({
        actions: [
          { id: 'a', title: 'A', start: '2027-01', end: '2027-04', status: 'planned' },
          { id: 'b', title: 'B', start: '2027-03', end: '2027-06', status: 'planned' },
          { id: 'c', title: 'C', start: '2027-05', end: '2027-08', status: 'planned' },
        ],
      }),
    );
    const lane = (id: string) => layout.items.find((i) => i.id === id)!.lane;
    expect(lane('a')).not.toBe(lane('b'));
    expect(lane('b')).not.toBe(lane('c'));
    expect(lane('a')).toBe(lane('c'));
    const ring = (id: string) => layout.items.find((i) => i.id === id)!.arcs[0]!;
    // Rings do not overlap: b's ring lies wholly inside or outside a's.
    expect(ring('b').outer <= ring('a').inner || ring('b').inner >= ring('a').outer).toBe(true);
  });

  it('draws a recurring item in its own ring, one arc per run of months, from the first month', () => {
    const layout = layoutWheel(
      input({
        startMonth: 8,
        year: 2026,
        actions: [{ id: 'a', title: 'A', start: '2026-08', end: '2027-07', status: 'planned' }],
        recurring: [{ id: 'r', title: 'Network meeting', months: [1, 4, 7, 10] }],
      }),
    );
    const recurring = layout.items.find((i) => i.id === 'r')!;
    expect(recurring.kind).toBe('recurring');
    expect(recurring.arcs.map((a) => Math.round((a.startAngle + a.endAngle) / 2 / 30 - 0.5))).toEqual([
      2, 5, 8, 11,
    ]);
    const action = layout.items.find((i) => i.id === 'a')!.arcs[0]!;
    // The recurring ring is outside every action's.
    expect(recurring.arcs[0]!.inner).toBeGreaterThan(action.outer);
  });

  it('joins a recurring item’s December and January where they meet on the wheel', () => {
    const layout = layoutWheel(input({ recurring: [{ id: 'r', title: 'Winter market', months: [1, 12] }] }));
    expect(layout.items[0]!.arcs).toHaveLength(1);
  });
});

describe('titles along the arcs', () => {
  it('are written on a whole year’s ring too', () => {
    const layout = layoutWheel(
      input({
        actions: [{ id: 'a', title: 'Network office', start: '2026-01', end: '2028-12', status: 'ongoing' }],
      }),
    );
    const svg = svgText(wheelDrawing(layout, { idPrefix: 'w', title: 'Wheel' }));
    const path = /<path id="w-t0-0" d="M([\d.]+) ([\d.]+)A[\d.]+ [\d.]+ 0 \d \d ([\d.]+) ([\d.]+)"/.exec(svg);
    expect(path).not.toBeNull();
    // An arc between two different points (an arc from a point to itself is not drawn).
    expect(path![1] === path![3] && path![2] === path![4]).toBe(false);
    expect(svg).toContain('>Network office<');
  });
});

describe('today on the wheel', () => {
  it('is the middle of this month, when the wheel shows it', () => {
    expect(layoutWheel(input({ startMonth: 8, year: 2026, today: '2026-10' })).today).toBe(75);
    expect(layoutWheel(input({ year: 2027, today: '2026-10' })).today).toBeNull();
    expect(layoutWheel(input({ year: 2027 })).today).toBeNull();
  });

  it('is drawn as a marker named for it', () => {
    const layout = layoutWheel(input({ year: 2027, today: '2027-06' }));
    const svg = svgText(wheelDrawing(layout, { idPrefix: 'w', title: 'Wheel', todayLabel: 'Today' }));
    expect(svg).toContain('class="wheel-today"');
    expect(svg).toContain('<title>Today</title>');
  });
});

describe('moving recurring months', () => {
  it('shifts every month, round the year', () => {
    expect(shiftMonths([1, 4, 7, 10], 1)).toEqual([2, 5, 8, 11]);
    expect(shiftMonths([12], 1)).toEqual([1]);
    expect(shiftMonths([1, 6], -1)).toEqual([5, 12]);
  });
});

describe('the drawing', () => {
  const layout = layoutWheel(
    input({
      actions: [
        { id: 'a', title: 'Culture <&> "youth"', start: '2027-03', end: '2027-05', status: 'planned' },
      ],
      recurring: [{ id: 'r', title: 'Festival', months: [10] }],
    }),
  );

  it('is one SVG with a named item per action and recurring item, text escaped', () => {
    const svg = svgText(
      wheelDrawing(layout, {
        idPrefix: 'w',
        title: 'Annual wheel 2027',
        itemLabel: (item) => `${item.title} (${item.kind})`,
      }),
    );
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    expect(svg).toContain('<title id="w-title">Annual wheel 2027</title>');
    expect(svg).toContain('aria-label="Culture &lt;&amp;&gt; &quot;youth&quot; (action)"');
    expect(svg).toContain('aria-label="Festival (recurring)"');
    expect(svg).not.toMatch(/<[^>]*<&>/);
    for (const name of MONTH_NAMES) expect(svg).toContain(`>${name}<`);
  });

  it('writes no control character, C0 or C1, whatever a title holds (XML and PDF refuse them)', () => {
    const svg = svgText({
      tag: 'text',
      attrs: { 'aria-label': 'a\u0007b' },
      children: ['Tarve\u0085loppu\u009b\u0001'],
    });
    expect(svg).toBe('<text aria-label="a b">Tarve loppu  </text>');
  });

  it('shows a legend of the statuses and recurring items when given one', () => {
    const svg = svgText(
      wheelDrawing(layout, {
        idPrefix: 'w',
        title: 'Wheel',
        legend: { statuses: [{ status: 'planned', label: 'Planned' }], recurring: 'Every year' },
      }),
    );
    expect(svg).toContain('>Planned<');
    expect(svg).toContain('>Every year<');
  });
});
