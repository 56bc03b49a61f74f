/**
 * The Word writer: a report as a .docx a coordinator can send as it is or restyle. Real Word
 * structure throughout: a title page, a table of contents field over Heading 1–3, Word's own
 * heading styles, tables whose header rows repeat on every page, the action table and the
 * timeline on landscape pages, page numbers in the footer, and the document's title, creator and
 * language in its properties. Texts come from the report as they are (the docx package escapes
 * them for XML; the model has already turned control characters into spaces and line breaks).
 */
import {
  AlignmentType,
  Document,
  Footer,
  ImageRun,
  Packer,
  PageNumber,
  PageOrientation,
  Paragraph,
  TableOfContents,
  TableRow,
  TextRun,
  type FileChild,
  type ISectionOptions,
} from 'docx';
import {
  COLOURS,
  PAGE,
  STYLES,
  TEXT_WIDTH,
  columnWidths,
  documentStyles,
  headerCell,
  heading,
  para,
  table,
  textRuns,
  type Cell,
  type Column,
} from './docx-kit';
import { INTL_LOCALES } from './format';
import type { Report, ReportAction, ReportActionRef, ReportNeed, ReportSection } from './model';

type Orientation = 'portrait' | 'landscape';

/** Sections that need a landscape page for their width. */
const LANDSCAPE: ReadonlySet<ReportSection> = new Set(['actions', 'timeline']);

/** Escapes text for the core properties part, which this writer builds itself. */
function xmlText(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function note(text: string): Paragraph {
  return para(text, { style: STYLES.note });
}

function cover(report: Report): FileChild[] {
  const { labels } = report;
  const detail = (label: string, value: string): Paragraph =>
    para([new TextRun({ text: `${label}: `, bold: true }), ...textRuns(value)], {
      style: STYLES.coverDetail,
    });
  return [
    para(labels.documentTitle, { style: STYLES.coverLabel }),
    new Paragraph({ style: 'Title', children: textRuns(report.title) }),
    detail(labels.date, report.dateText),
    detail(labels.organiser, report.organiser),
    detail(labels.participants, report.participantsText),
    para(labels.madeWith, { style: STYLES.coverNote }),
    new Paragraph({ style: STYLES.contentsHeading, pageBreakBefore: true, text: labels.contents }),
    new TableOfContents(labels.contents, { hyperlink: true, headingStyleRange: '1-2' }),
    note(labels.tocHint),
  ];
}

function summary(report: Report, width: number, breakBefore: boolean): FileChild[] {
  const { labels, format, summary: s } = report;
  const rows: [string, string][] = [
    [labels.needCount, format.count(s.needCount)],
    [labels.themeCount, format.count(s.themeCount)],
    [labels.actionCount, format.count(s.actionCount)],
    [labels.stakeholderCount, format.count(s.stakeholderCount)],
    [labels.municipalityCount, format.count(s.municipalityCount)],
    [labels.totalBudget, s.totalBudgetText],
    [labels.period, s.periodText],
  ];
  const columns: Column[] = [
    { header: '', weight: 1 },
    { header: '', weight: 1.4 },
  ];
  return [
    heading(report.sectionTitles.summary, 1, breakBefore),
    table(
      columns,
      rows.map(([label, value]) => [{ text: label, span: 1, bold: true }, value]),
      Math.round(width * 0.7),
      { header: false },
    ),
  ];
}

/**
 * The table of one stakeholder group's needs, each after its reference (the number every other
 * listing cites it by), with the votes and author columns the options ask for.
 */
function needTable(report: Report, needs: readonly ReportNeed[]): FileChild {
  const { labels, format } = report;
  const columns: Column[] = [
    // Wide enough for a four-digit reference (`V2000`) on one line.
    { header: labels.number, weight: 1.2 },
    { header: labels.need, weight: 4.5 },
    { header: labels.municipality, weight: 2.1 },
    { header: labels.theme, weight: 2.8 },
    ...(report.showVotes ? [{ header: labels.votes, weight: 1.4, align: 'right' as const }] : []),
    ...(report.showAuthors ? [{ header: labels.author, weight: 2 }] : []),
  ];
  const rows = needs.map((n): Cell[] => [
    n.ref,
    n.text,
    n.municipality,
    n.theme,
    ...(report.showVotes ? [format.count(n.votes)] : []),
    ...(report.showAuthors ? [n.author] : []),
  ]);
  return table(columns, rows, TEXT_WIDTH.portrait);
}

function needs(report: Report, breakBefore: boolean): FileChild[] {
  const { labels, format } = report;
  const out: FileChild[] = [heading(report.sectionTitles.needs, 1, breakBefore)];
  if (report.needsByStakeholder.length === 0) out.push(note(labels.none));
  for (const group of report.needsByStakeholder) {
    out.push(heading(group.name, 2));
    out.push(group.needs.length ? needTable(report, group.needs) : note(labels.none));
  }
  // A workshop that tags no municipality gets no empty section for them. The texts are above:
  // here each municipality cites its needs by reference, one row each.
  if (report.needsByMunicipality.length) {
    const columns: Column[] = [
      { header: labels.municipality, weight: 2.6 },
      { header: labels.needCount, weight: 1.6, align: 'right' },
      { header: labels.needRefs, weight: 6.6 },
    ];
    const rows = report.needsByMunicipality.map((g): Cell[] => [
      g.name,
      format.count(g.needs.length),
      g.refs,
    ]);
    out.push(heading(labels.needsByMunicipality, 1), table(columns, rows, TEXT_WIDTH.portrait));
  }
  return out;
}

/** A need as a list item: its reference and text, then where it came from in grey. */
function needItem(report: Report, need: ReportNeed): Paragraph {
  const { labels, format } = report;
  const details = [
    need.stakeholder,
    need.municipality,
    report.showVotes && need.votes > 0 ? `${labels.votes}: ${format.count(need.votes)}` : '',
    need.author,
  ].filter(Boolean);
  return para(
    [
      new TextRun({ text: `${need.ref} · `, bold: true }),
      ...textRuns(need.text),
      ...(details.length ? textRuns(` (${details.join(', ')})`, { color: COLOURS.muted }) : []),
    ],
    { bullet: true },
  );
}

function themes(report: Report, breakBefore: boolean): FileChild[] {
  const { labels, format } = report;
  const out: FileChild[] = [heading(report.sectionTitles.themes, 1, breakBefore)];
  if (report.themes.length === 0) out.push(note(labels.none));
  for (const theme of report.themes) {
    out.push(heading(`${theme.rank}. ${theme.title}`, 2));
    if (report.showVotes) out.push(note(`${labels.votes}: ${format.count(theme.votes)}`));
    if (theme.needs.length === 0) out.push(note(labels.noNeeds));
    out.push(...theme.needs.map((n) => needItem(report, n)));
  }
  if (report.unsortedNeeds.length) {
    out.push(heading(labels.unsortedNeeds, 2));
    out.push(...report.unsortedNeeds.map((n) => needItem(report, n)));
  }
  return out;
}

/** An action's funding cell: one paragraph per source with its amount and share. */
function fundingCell(report: Report, a: ReportAction): Cell {
  if (a.split.length <= 1)
    return a.splitText === report.labels.noFunding
      ? { text: a.splitText, span: 1, muted: true }
      : a.splitText;
  return {
    paragraphs: a.split.map((line) =>
      para(
        [
          ...textRuns(`${line.source}: ${line.text} `),
          ...textRuns(`(${line.shareText})`, { color: COLOURS.muted }),
        ],
        { style: STYLES.tableText },
      ),
    ),
    chars: a.splitText.length,
  };
}

/** Actions cited by number and title, one paragraph each, or the "no actions" note. */
function actionRefsCell(report: Report, refs: readonly ReportActionRef[]): Cell {
  if (refs.length === 0) return { text: report.labels.noActions, span: 1, muted: true };
  return {
    paragraphs: refs.map((r) => para(`${r.number}. ${r.title}`, { style: STYLES.tableText })),
    chars: refs.reduce((n, r) => n + r.title.length + 4, 0),
  };
}

function actions(report: Report, breakBefore: boolean): FileChild[] {
  const { labels } = report;
  const out: FileChild[] = [heading(report.sectionTitles.actions, 1, breakBefore)];
  if (report.actions.length === 0) return [...out, note(labels.none)];
  const columns: Column[] = [
    { header: '#', weight: 0.4, align: 'right' },
    { header: labels.action, weight: 3.4 },
    { header: labels.actionThemes, weight: 2 },
    { header: labels.owner, weight: 1.8 },
    { header: labels.partners, weight: 1.7 },
    { header: labels.schedule, weight: 1.7 },
    { header: labels.actionBudget, weight: 2.1, align: 'right' },
    { header: labels.funding, weight: report.actions.some((a) => a.split.length > 1) ? 3.2 : 1.9 },
    { header: labels.indicator, weight: 1.7 },
    { header: labels.status, weight: 1.6 },
  ];
  // The work package and the objectives go under the action's title: two more columns would
  // leave every column too narrow for its words on a landscape page.
  const detail = (label: string, text: string): Paragraph[] =>
    text
      ? [
          para(
            [
              new TextRun({ text: `${label}: `, bold: true, color: COLOURS.muted }),
              ...textRuns(text, { color: COLOURS.muted }),
            ],
            { style: STYLES.tableText },
          ),
        ]
      : [];
  const rows = report.actions.map((a): Cell[] => [
    String(a.number),
    {
      paragraphs: [
        para(a.title, { style: STYLES.tableText, bold: true }),
        ...(a.description ? [para(a.description, { style: STYLES.tableText, color: COLOURS.muted })] : []),
        ...detail(labels.package, a.workPackage),
        ...detail(labels.actionObjectives, a.objectivesText),
      ],
      chars: a.title.length + a.description.length + a.workPackage.length + a.objectivesText.length,
    },
    a.themes.length ? a.themesText : { text: a.themesText, span: 1, muted: true },
    a.ownerMissing ? { text: a.owner, span: 1, muted: true } : a.owner,
    a.partners.length ? a.partnersText : { text: a.partnersText, span: 1, muted: true },
    a.start === null && a.end === null ? { text: a.periodText, span: 1, muted: true } : a.periodText,
    a.budgetText,
    fundingCell(report, a),
    a.indicator === labels.notSet ? { text: a.indicator, span: 1, muted: true } : a.indicator,
    a.statusText,
  ]);
  const total: Cell[] = [
    { text: labels.total, span: 6, bold: true },
    { text: report.budget.totalText, span: 1, bold: true, align: 'right' },
    { text: '', span: 3 },
  ];
  out.push(table(columns, rows, TEXT_WIDTH.landscape, { totalRow: total }));
  return out;
}

/** The annual wheel, where the report has it as a PNG: centred, on the heading's page. */
function wheel(report: Report): FileChild[] {
  const w = report.wheel;
  if (!w?.png) return [];
  // At most 520 px high: a landscape page's text height is about 640 px (96 per inch), and the
  // section's heading stands above it on the same page.
  const width = Math.min(600, w.width, Math.floor((520 * w.width) / w.height));
  const height = Math.round((w.height / w.width) * width);
  return [
    new Paragraph({
      alignment: AlignmentType.CENTER,
      children: [
        new ImageRun({
          type: 'png',
          data: w.png,
          transformation: { width, height },
          altText: { name: report.sectionTitles.timeline, title: w.alt, description: w.alt },
        }),
      ],
    }),
  ];
}

/** The timeline as an editable table: a year row, a month (or quarter) row, shaded cells. */
function timeline(report: Report, breakBefore: boolean): FileChild[] {
  const { labels, timeline: t } = report;
  const out: FileChild[] = [heading(report.sectionTitles.timeline, 1, breakBefore), ...wheel(report)];
  if (t.columns.length === 0) return [...out, note(labels.noDates)];
  const width = TEXT_WIDTH.landscape;
  const titleWidth = Math.round(width * 0.28);
  const widths = [
    titleWidth,
    ...columnWidths(
      t.columns.map(() => 1),
      width - titleWidth,
    ),
  ];
  const columns: Column[] = [
    { header: labels.action, weight: titleWidth },
    ...t.columns.map((c, i) => ({ header: c.label, weight: widths[i + 1] ?? 0, align: 'center' as const })),
  ];
  let first = 1;
  const yearRow = new TableRow({
    tableHeader: true,
    cantSplit: true,
    children: [
      headerCell('', titleWidth),
      ...t.years.map((y) => {
        const span = widths.slice(first, first + y.span).reduce((a, b) => a + b, 0);
        first += y.span;
        return headerCell(String(y.year), span, { span: y.span, align: 'center' });
      }),
    ],
  });
  // Many month columns are narrow: their names a size smaller, so `maalis` or `sept` fits.
  const small = t.columns.length > 12;
  const monthRow = new TableRow({
    tableHeader: true,
    cantSplit: true,
    children: [
      headerCell(labels.action, titleWidth),
      ...t.columns.map((c, i) =>
        headerCell(c.label, widths[i + 1] ?? 0, { align: 'center', size: small ? 14 : 18, tight: true }),
      ),
    ],
  });
  const rows = t.rows.map((r, i): Cell[] => [
    `${report.actions[i]?.number ?? i + 1}. ${r.title}`,
    ...(r.undated
      ? [{ text: labels.noDates, span: t.columns.length, muted: true }]
      : r.cells.map((on): Cell => (on ? { fill: COLOURS.bar } : ''))),
  ]);
  out.push(table(columns, rows, width, { headRows: [yearRow, monthRow], header: false }));
  return out;
}

function budgetTable(
  report: Report,
  firstHeader: string,
  lines: Report['budget']['byFunding'],
  shareTotal: boolean,
): FileChild {
  const { labels, budget } = report;
  const columns: Column[] = [
    { header: firstHeader, weight: 5 },
    { header: labels.amount, weight: 2, align: 'right' },
    { header: labels.share, weight: 1.3, align: 'right' },
  ];
  const rows = lines.map((l): Cell[] => [l.label, l.text, l.shareText]);
  // The share of the total row is 100 % only where the lines split the total (not by theme).
  const share = shareTotal && budget.totalCents > 0 ? report.format.percent(1) : '';
  return table(columns, rows, TEXT_WIDTH.portrait, { totalRow: [labels.total, budget.totalText, share] });
}

/** Label–value pairs as a borderless-looking two-column table, as the summary shows them. */
function pairs(rows: readonly (readonly [string, string])[], width: number): FileChild {
  return table(
    [
      { header: '', weight: 1 },
      { header: '', weight: 1.4 },
    ],
    rows.map(([label, value]): Cell[] => [{ text: label, span: 1, bold: true }, value]),
    width,
    { header: false },
  );
}

function costSharing(report: Report): FileChild[] {
  const { labels } = report;
  const c = report.budget.costSharing;
  if (!c) return [];
  const columns: Column[] = [
    { header: labels.municipality, weight: 5 },
    { header: labels.amount, weight: 2, align: 'right' },
    { header: labels.share, weight: 1.3, align: 'right' },
  ];
  const rows = c.rows.map((r): Cell[] => [r.municipality, r.text, r.shareText]);
  if (c.differenceCents !== 0)
    rows.push([
      { text: labels.costSharingDifference, span: 1, bold: true },
      { text: c.differenceText, span: 1, bold: true, align: 'right' },
      '',
    ]);
  return [
    heading(labels.costSharing, 2),
    pairs(
      [
        [labels.costSharingMethod, c.methodText],
        [labels.municipalShare, c.shareText],
      ],
      Math.round(TEXT_WIDTH.portrait * 0.7),
    ),
    para(''),
    table(columns, rows, TEXT_WIDTH.portrait, { totalRow: [labels.costSharingTotal, c.totalText, ''] }),
    ...(c.note ? [note(c.note)] : []),
  ];
}

function budget(report: Report, breakBefore: boolean): FileChild[] {
  const { labels, budget: b } = report;
  return [
    heading(report.sectionTitles.budget, 1, breakBefore),
    ...(b.check
      ? [
          pairs(
            [
              [labels.budgetFrame, b.check.frameText],
              [labels.budgetPlanned, b.check.totalText],
              [labels.budgetStanding, b.check.standingText],
            ],
            Math.round(TEXT_WIDTH.portrait * 0.7),
          ),
        ]
      : []),
    heading(labels.budgetByFunding, 2),
    budgetTable(report, labels.fundingSource, b.byFunding, true),
    ...(b.byPackage.length
      ? [heading(labels.budgetByPackage, 2), budgetTable(report, labels.package, b.byPackage, true)]
      : []),
    heading(labels.budgetByTheme, 2),
    budgetTable(report, labels.theme, b.byTheme, true),
    note(labels.budgetThemeNote),
    heading(labels.budgetByYear, 2),
    budgetTable(report, labels.year, b.byYear, true),
    note(labels.budgetYearNote),
    ...costSharing(report),
  ];
}

function packages(report: Report, breakBefore: boolean): FileChild[] {
  const { labels, format } = report;
  const columns: Column[] = [
    { header: labels.package, weight: 2.4 },
    { header: labels.owner, weight: 2 },
    { header: labels.schedule, weight: 2.1 },
    { header: labels.actionBudget, weight: 2.2, align: 'right' },
    { header: labels.packageActions, weight: 3.1 },
  ];
  const rows = report.packages.map((p): Cell[] => [
    { text: p.title, span: 1, bold: true },
    p.ownerMissing ? { text: p.owner, span: 1, muted: true } : p.owner,
    p.periodText,
    p.budgetText,
    actionRefsCell(report, p.actions),
  ]);
  const total = format.money(report.packages.reduce((s, p) => s + p.budgetCents, 0));
  return [
    heading(report.sectionTitles.packages, 1, breakBefore),
    table(columns, rows, TEXT_WIDTH.portrait, {
      totalRow: [
        { text: labels.total, span: 3, bold: true },
        { text: total, span: 1, bold: true, align: 'right' },
        '',
      ],
    }),
  ];
}

function objectives(report: Report, breakBefore: boolean): FileChild[] {
  const { labels } = report;
  const withArea = report.objectives.some((o) => o.area !== '');
  const columns: Column[] = [
    { header: labels.objective, weight: 3.5 },
    ...(withArea ? [{ header: labels.area, weight: 2 }] : []),
    { header: labels.servedBy, weight: 4.5 },
  ];
  const rows = report.objectives.map((o): Cell[] => [
    { text: o.title, span: 1, bold: true },
    ...(withArea ? [o.area] : []),
    actionRefsCell(report, o.actions),
  ]);
  return [
    heading(report.sectionTitles.objectives, 1, breakBefore),
    table(columns, rows, TEXT_WIDTH.portrait),
  ];
}

/** A heat cell's fill: white to light blue by its share of the largest count. */
function heatFill(count: number, max: number): string | undefined {
  if (count === 0 || max === 0) return undefined;
  const t = count / max;
  const mix = (from: number, to: number): string =>
    Math.round(from + (to - from) * t)
      .toString(16)
      .padStart(2, '0');
  return `${mix(240, 120)}${mix(245, 165)}${mix(252, 230)}`.toUpperCase();
}

function municipalities(report: Report, breakBefore: boolean): FileChild[] {
  const { labels, format } = report;
  const out: FileChild[] = [heading(report.sectionTitles.municipalities, 1, breakBefore)];
  for (const m of report.municipalities) {
    out.push(heading(m.name, 2));
    if (m.populationText) out.push(note(`${labels.population}: ${m.populationText}`));
    if (m.baseline) out.push(para(m.baseline));
    if (m.indicators.length)
      out.push(
        table(
          [
            { header: labels.indicatorName, weight: 7 },
            { header: labels.value, weight: 3, align: 'right' },
          ],
          m.indicators.map((i): Cell[] => [i.label, i.value]),
          Math.round(TEXT_WIDTH.portrait * 0.6),
        ),
      );
  }
  const heat = report.heat;
  if (heat) {
    const columns: Column[] = [
      { header: labels.municipality, weight: 3 },
      ...heat.groups.map((g) => ({ header: g, weight: 1.4, align: 'right' as const })),
      { header: labels.total, weight: 1.2, align: 'right' },
    ];
    const rows = heat.rows.map((r): Cell[] => [
      r.municipality,
      ...r.counts.map((c): Cell => {
        const fill = heatFill(c, heat.max);
        return fill ? { text: format.count(c), span: 1, fill } : format.count(c);
      }),
      format.count(r.total),
    ]);
    out.push(
      heading(labels.needsHeat, 2),
      table(columns, rows, TEXT_WIDTH.portrait, {
        totalRow: [labels.total, ...heat.groupTotals.map((c) => format.count(c)), format.count(heat.total)],
      }),
    );
  }
  return out;
}

/**
 * Each action, its themes, and the references of their needs: the needs' texts are in the needs
 * section, and listing them here again repeated each one under every action of its theme.
 */
function trace(report: Report, breakBefore: boolean): FileChild[] {
  const { labels } = report;
  const out: FileChild[] = [heading(report.sectionTitles.trace, 1, breakBefore), note(labels.traceIntro)];
  if (report.trace.length === 0) out.push(note(labels.none));
  for (const entry of report.trace) {
    out.push(heading(`${entry.number}. ${entry.title}`, 3));
    if (entry.themes.length === 0) out.push(note(labels.noThemes));
    for (const theme of entry.themes) {
      out.push(para(`${labels.theme}: ${theme.title}`, { style: STYLES.traceTheme }));
      out.push(
        theme.needs.length
          ? para(`${labels.needCount}: ${theme.needRefs}`, { style: STYLES.traceNeeds })
          : note(labels.noNeeds),
      );
    }
  }
  return out;
}

/** The voting rounds' history: each revealed round's limits and its ranked result as a table. */
function voting(report: Report, breakBefore: boolean): FileChild[] {
  const { labels, format } = report;
  const out: FileChild[] = [heading(report.sectionTitles.voting, 1, breakBefore)];
  if (report.rounds.length === 0) return [...out, note(labels.noRounds)];
  out.push(note(labels.votingIntro));
  const columns: Column[] = [
    { header: labels.rank, weight: 1, align: 'right' },
    { header: labels.item, weight: 8 },
    { header: labels.dots, weight: 1.3, align: 'right' },
  ];
  for (const round of report.rounds) {
    out.push(
      heading(round.title, 2),
      note(
        `${labels.dotsPerPerson}: ${round.dotsPerPersonText} · ${labels.maxPerItem}: ${round.maxPerItemText} · ${labels.totalDots}: ${format.count(round.totalDots)}`,
      ),
      round.results.length
        ? table(
            columns,
            round.results.map((r): Cell[] => [format.count(r.rank), r.itemText, format.count(r.count)]),
            TEXT_WIDTH.portrait,
          )
        : note(labels.none),
    );
  }
  return out;
}

/** The body of one report section, its heading on a new page when `breakBefore`. */
function sectionBody(report: Report, section: ReportSection, breakBefore: boolean): FileChild[] {
  switch (section) {
    case 'summary':
      return summary(report, TEXT_WIDTH.portrait, breakBefore);
    case 'municipalities':
      return municipalities(report, breakBefore);
    case 'packages':
      return packages(report, breakBefore);
    case 'objectives':
      return objectives(report, breakBefore);
    case 'needs':
      return needs(report, breakBefore);
    case 'themes':
      return themes(report, breakBefore);
    case 'voting':
      return voting(report, breakBefore);
    case 'actions':
      return actions(report, breakBefore);
    case 'timeline':
      return timeline(report, breakBefore);
    case 'budget':
      return budget(report, breakBefore);
    case 'trace':
      return trace(report, breakBefore);
  }
}

function footer(report: Report): Footer {
  const [before = '', after = ''] = report.pageLabel.split('{page}');
  return new Footer({
    children: [
      new Paragraph({
        style: STYLES.footer,
        alignment: AlignmentType.RIGHT,
        children: [
          ...(before ? [new TextRun({ text: before })] : []),
          new TextRun({ children: [PageNumber.CURRENT] }),
          ...(after ? [new TextRun({ text: after })] : []),
        ],
      }),
    ],
  });
}

/** Sections that open a page of their own even when the page before has room. */
const OWN_PAGE: ReadonlySet<ReportSection> = new Set(['actions', 'timeline', 'trace']);

/** The report's sections gathered into runs of pages of one orientation, title page first. */
function pageRuns(report: Report): { orientation: Orientation; children: FileChild[] }[] {
  const runs: { orientation: Orientation; children: FileChild[] }[] = [
    { orientation: 'portrait', children: cover(report) },
  ];
  report.sections.forEach((section, i) => {
    const orientation: Orientation = LANDSCAPE.has(section) ? 'landscape' : 'portrait';
    const current = runs.at(-1);
    // A new run is a new Word section, which starts a page by itself; a page break there too
    // would leave an empty page.
    const opensRun = current?.orientation !== orientation;
    const breakBefore = !opensRun && (i === 0 || OWN_PAGE.has(section));
    const children = sectionBody(report, section, breakBefore);
    if (current && !opensRun) current.children.push(...children);
    else runs.push({ orientation, children });
  });
  return runs;
}

function coreProperties(report: Report, locale: string): string {
  const description = `${report.labels.documentTitle}: ${report.title}`;
  const when = `${report.date}T00:00:00Z`;
  return [
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>',
    '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties"',
    ' xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/"',
    ' xmlns:dcmitype="http://purl.org/dc/dcmitype/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">',
    `<dc:title>${xmlText(report.title)}</dc:title>`,
    `<dc:subject>${xmlText(report.labels.documentTitle)}</dc:subject>`,
    '<dc:creator>Talkoo</dc:creator>',
    `<dc:description>${xmlText(description)}</dc:description>`,
    `<dc:language>${locale}</dc:language>`,
    '<cp:lastModifiedBy>Talkoo</cp:lastModifiedBy>',
    '<cp:revision>1</cp:revision>',
    `<dcterms:created xsi:type="dcterms:W3CDTF">${when}</dcterms:created>`,
    `<dcterms:modified xsi:type="dcterms:W3CDTF">${when}</dcterms:modified>`,
    '</cp:coreProperties>',
  ].join('');
}

/**
 * Writes `report` as a Word document (.docx bytes). Works in Node and in the browser alike; the
 * table of contents is filled in by Word when it opens the file (it asks to update fields).
 */
export async function writeDocx(report: Report): Promise<Uint8Array> {
  const locale = INTL_LOCALES[report.language];
  const runs = pageRuns(report);
  const pageFooter = footer(report);
  const sections: ISectionOptions[] = runs.map((run, i) => ({
    properties: {
      titlePage: i === 0,
      page: {
        // Portrait measures in both cases: docx swaps them for a landscape page.
        size: {
          width: PAGE.width,
          height: PAGE.height,
          orientation: run.orientation === 'portrait' ? PageOrientation.PORTRAIT : PageOrientation.LANDSCAPE,
        },
        margin: {
          top: PAGE.margin,
          bottom: PAGE.margin,
          left: run.orientation === 'portrait' ? PAGE.margin : PAGE.landscapeSide,
          right: run.orientation === 'portrait' ? PAGE.margin : PAGE.landscapeSide,
        },
      },
    },
    // The title page has no page number.
    footers: i === 0 ? { default: pageFooter, first: new Footer({ children: [] }) } : { default: pageFooter },
    children: run.children,
  }));
  const doc = new Document({
    title: report.title,
    subject: report.labels.documentTitle,
    creator: 'Talkoo',
    lastModifiedBy: 'Talkoo',
    description: `${report.labels.documentTitle}: ${report.title}`,
    features: { updateFields: true },
    hyphenation: { autoHyphenation: true },
    styles: documentStyles(locale),
    sections,
  });
  return Packer.pack(doc, 'uint8array', false, [
    { path: 'docProps/core.xml', data: coreProperties(report, locale) },
  ]);
}
