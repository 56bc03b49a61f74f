/**
 * The whole report as GitHub-flavoured Markdown, for wikis, repositories and plain-text tools:
 * headings, a contents list with links, tables for needs, actions, the timeline and the budget,
 * lists for the themes' needs and the trace. A need's text is printed where the needs by
 * stakeholder group define it, beside its reference (`T12`); the municipality table and the trace
 * cite it by that reference only. Deterministic: the same report gives the same text byte for byte
 * (the golden files in expected/ hold it).
 *
 * Every workshop text is escaped so that it reads as typed: Markdown and HTML punctuation gets a
 * backslash and a line break inside a table cell or a list item is `<br>`. No workshop text starts
 * a block (a list item starts with its number or reference), so syntax that only counts there, a
 * list's `-` or `1.` or a quote's `>`, needs no escape.
 */
import type { Report, ReportActionRef, ReportNeed, ReportSection } from './model';

/** Punctuation that Markdown or inline HTML could read as syntax anywhere in a line. */
const INLINE_SYNTAX = /[\\`*_{}[\]<>|#~&!]/g;

/** One line of workshop text, escaped to read as typed. */
function escapeLine(line: string): string {
  return line
    .replace(/\t/g, ' ')
    .trim()
    .replace(INLINE_SYNTAX, (c) => `\\${c}`);
}

/** Workshop text on one Markdown line: its own line breaks become `<br>`. */
function inline(text: string): string {
  return text.split('\n').map(escapeLine).join('<br>');
}

/** A table row. */
function row(cells: readonly string[]): string {
  return `| ${cells.join(' | ')} |`;
}

/** A table: header, alignment row (`r` for right-aligned columns), rows; already escaped. */
function table(
  header: readonly string[],
  rows: readonly (readonly string[])[],
  right = new Set<number>(),
): string {
  const rule = header.map((_, i) => (right.has(i) ? '---:' : '---'));
  return [row(header), row(rule), ...rows.map(row)].join('\n');
}

/** The anchor GitHub gives a heading: lower case, punctuation dropped, spaces as hyphens. */
function anchor(heading: string): string {
  return heading
    .toLowerCase()
    .replace(/[^\p{L}\p{M}\p{N}\p{Pc} -]/gu, '')
    .replace(/ /g, '-');
}

/**
 * A need as a list item's text: its reference, the need, then votes and author when shown. The
 * reference starts the item, so the text cannot start a nested list or a quote.
 */
function needItem(report: Report, need: ReportNeed): string {
  const l = report.labels;
  const details = [
    ...(report.showVotes ? [`${l.votes}: ${report.format.count(need.votes)}`] : []),
    ...(report.showAuthors ? [`${l.author}: ${inline(need.author)}`] : []),
  ];
  const item = `**${inline(need.ref)}** · ${inline(need.text)}`;
  return details.length ? `${item} (${details.join(', ')})` : item;
}

function summary(report: Report): string[] {
  const l = report.labels;
  const s = report.summary;
  const c = report.format.count;
  return [
    [
      `- **${inline(l.needCount)}:** ${c(s.needCount)}`,
      `- **${inline(l.stakeholderCount)}:** ${c(s.stakeholderCount)}`,
      `- **${inline(l.municipalityCount)}:** ${c(s.municipalityCount)}`,
      `- **${inline(l.themeCount)}:** ${c(s.themeCount)}`,
      `- **${inline(l.actionCount)}:** ${c(s.actionCount)}`,
      `- **${inline(l.totalBudget)}:** ${inline(s.totalBudgetText)}`,
      `- **${inline(l.period)}:** ${inline(s.periodText)}`,
    ].join('\n'),
  ];
}

/** A stakeholder group's needs, each under the reference the rest of the document cites. */
function needTable(report: Report, needs: readonly ReportNeed[]): string {
  const l = report.labels;
  const header = [
    l.number,
    l.need,
    l.municipality,
    ...(report.showVotes ? [l.votes] : []),
    ...(report.showAuthors ? [l.author] : []),
  ].map(inline);
  const rows = needs.map((n) => [
    inline(n.ref),
    inline(n.text),
    inline(n.municipality),
    ...(report.showVotes ? [report.format.count(n.votes)] : []),
    ...(report.showAuthors ? [inline(n.author)] : []),
  ]);
  return table(header, rows, report.showVotes ? new Set([3]) : undefined);
}

/** One row per municipality: how many needs it has and their references, not their texts again. */
function municipalityTable(report: Report): string {
  const l = report.labels;
  return table(
    [l.municipality, l.needCount, l.needRefs].map(inline),
    report.needsByMunicipality.map((g) => [
      inline(g.name),
      report.format.count(g.needs.length),
      inline(g.refs),
    ]),
    new Set([1]),
  );
}

function needs(report: Report): string[] {
  const l = report.labels;
  const out: string[] = [];
  if (report.needsByStakeholder.length === 0) out.push(inline(l.none));
  for (const group of report.needsByStakeholder) {
    out.push(`### ${inline(group.name)}`, needTable(report, group.needs));
  }
  if (report.needsByMunicipality.length) {
    out.push(`## ${inline(l.needsByMunicipality)}`, municipalityTable(report));
  }
  return out;
}

function themes(report: Report): string[] {
  const l = report.labels;
  const out: string[] = [];
  if (report.themes.length === 0) out.push(inline(l.none));
  for (const theme of report.themes) {
    out.push(`### ${theme.rank}. ${inline(theme.title)}`);
    if (report.showVotes) out.push(`${inline(l.votes)}: ${report.format.count(theme.votes)}`);
    out.push(
      theme.needs.length
        ? theme.needs.map((n) => `- ${needItem(report, n)}`).join('\n')
        : `*${inline(l.noNeeds)}*`,
    );
  }
  if (report.unsortedNeeds.length) {
    out.push(
      `### ${inline(l.unsortedNeeds)}`,
      report.unsortedNeeds.map((n) => `- ${needItem(report, n)}`).join('\n'),
    );
  }
  return out;
}

/** Actions cited by number and title, e.g. `1. Kulttuurikortti, 4. Kesäfestivaali`. */
function actionRefs(refs: readonly ReportActionRef[]): string {
  return refs.map((r) => `${r.number}. ${inline(r.title)}`).join(', ');
}

function actions(report: Report): string[] {
  const l = report.labels;
  if (report.actions.length === 0) return [inline(l.none)];
  const header = [
    l.number,
    l.action,
    l.actionThemes,
    ...(report.showObjectives ? [l.actionObjectives] : []),
    ...(report.showPackages ? [l.package] : []),
    l.owner,
    l.partners,
    l.schedule,
    l.actionBudget,
    l.funding,
    l.indicator,
    l.status,
  ].map(inline);
  const rows = report.actions.map((a) => [
    String(a.number),
    a.description ? `**${inline(a.title)}**<br>${inline(a.description)}` : `**${inline(a.title)}**`,
    inline(a.themesText),
    ...(report.showObjectives ? [inline(a.objectivesText)] : []),
    ...(report.showPackages ? [inline(a.workPackage)] : []),
    inline(a.owner),
    inline(a.partnersText),
    inline(a.periodText),
    inline(a.budgetText),
    inline(a.splitText),
    inline(a.indicator),
    inline(a.statusText),
  ]);
  const budgetColumn = header.indexOf(inline(l.actionBudget));
  const total = header.map((_, i) =>
    i === 1 ? `**${inline(l.total)}**` : i === budgetColumn ? `**${inline(report.budget.totalText)}**` : '',
  );
  return [table(header, [...rows, total], new Set([0, budgetColumn]))];
}

/** The work packages: owner, period, budget summed from their actions, and the actions. */
function packages(report: Report): string[] {
  const l = report.labels;
  const total = report.packages.reduce((s, p) => s + p.budgetCents, 0);
  return [
    table(
      [l.package, l.owner, l.schedule, l.actionBudget, l.packageActions].map(inline),
      [
        ...report.packages.map((p) => [
          `**${inline(p.title)}**`,
          inline(p.owner),
          inline(p.periodText),
          inline(p.budgetText),
          p.actions.length ? actionRefs(p.actions) : `*${inline(l.noActions)}*`,
        ]),
        [`**${inline(l.total)}**`, '', '', `**${inline(report.format.money(total))}**`, ''],
      ],
      new Set([3]),
    ),
  ];
}

/** The strategy objectives, each with the actions that serve it. */
function objectives(report: Report): string[] {
  const l = report.labels;
  const withArea = report.objectives.some((o) => o.area !== '');
  return [
    table(
      [l.objective, ...(withArea ? [l.area] : []), l.servedBy].map(inline),
      report.objectives.map((o) => [
        `**${inline(o.title)}**`,
        ...(withArea ? [inline(o.area)] : []),
        o.actions.length ? actionRefs(o.actions) : `*${inline(l.noActions)}*`,
      ]),
    ),
  ];
}

/** Each municipality's baseline, then the needs per municipality and stakeholder group. */
function municipalities(report: Report): string[] {
  const l = report.labels;
  const out: string[] = [];
  for (const m of report.municipalities) {
    out.push(`### ${inline(m.name)}`);
    if (m.populationText) out.push(`**${inline(l.population)}:** ${inline(m.populationText)}`);
    if (m.baseline) out.push(inline(m.baseline));
    if (m.indicators.length)
      out.push(
        table(
          [l.indicatorName, l.value].map(inline),
          m.indicators.map((i) => [inline(i.label), inline(i.value)]),
          new Set([1]),
        ),
      );
  }
  const heat = report.heat;
  if (heat) {
    const count = report.format.count;
    out.push(
      `### ${inline(l.needsHeat)}`,
      table(
        [l.municipality, ...heat.groups, l.total].map(inline),
        [
          ...heat.rows.map((r) => [inline(r.municipality), ...r.counts.map(count), count(r.total)]),
          [
            `**${inline(l.total)}**`,
            ...heat.groupTotals.map((c) => `**${count(c)}**`),
            `**${count(heat.total)}**`,
          ],
        ],
        new Set(heat.groups.map((_, i) => i + 1).concat(heat.groups.length + 1)),
      ),
    );
  }
  return out;
}

function timeline(report: Report): string[] {
  const l = report.labels;
  const t = report.timeline;
  if (report.actions.length === 0) return [inline(l.none)];
  if (t.columns.length === 0) {
    return [report.actions.map((a) => `- ${a.number}. ${inline(a.title)}: ${inline(l.noDates)}`).join('\n')];
  }
  const header = [l.action, ...t.columns.map((c) => `${c.label} ${c.year}`)].map(inline);
  const rows = t.rows.map((r, i) => {
    const title = `${i + 1}. ${inline(r.title)}`;
    return [r.undated ? `${title} (${inline(l.noDates)})` : title, ...r.cells.map((on) => (on ? '■' : ''))];
  });
  return [table(header, rows)];
}

function budget(report: Report): string[] {
  const l = report.labels;
  const b = report.budget;
  const part = (title: string, column: string, lines: typeof b.byFunding, note?: string): string[] => [
    `### ${inline(title)}`,
    table(
      [column, l.amount, l.share].map(inline),
      [
        ...lines.map((line) => [inline(line.label), inline(line.text), inline(line.shareText)]),
        [`**${inline(l.total)}**`, `**${inline(b.totalText)}**`, ''],
      ],
      new Set([1, 2]),
    ),
    ...(note ? [`*${inline(note)}*`] : []),
  ];
  const out = [
    ...(b.check
      ? [
          [
            `- **${inline(l.budgetFrame)}:** ${inline(b.check.frameText)}`,
            `- **${inline(l.budgetPlanned)}:** ${inline(b.check.totalText)}`,
            `- **${inline(l.budgetStanding)}:** ${inline(b.check.standingText)}`,
          ].join('\n'),
        ]
      : []),
    ...part(l.budgetByFunding, l.fundingSource, b.byFunding),
    ...(b.byPackage.length ? part(l.budgetByPackage, l.package, b.byPackage) : []),
    ...part(l.budgetByTheme, l.theme, b.byTheme, l.budgetThemeNote),
    ...part(l.budgetByYear, l.year, b.byYear, l.budgetYearNote),
  ];
  const c = b.costSharing;
  if (c) {
    out.push(
      `### ${inline(l.costSharing)}`,
      [
        `- **${inline(l.costSharingMethod)}:** ${inline(c.methodText)}`,
        `- **${inline(l.municipalShare)}:** ${inline(c.shareText)}`,
      ].join('\n'),
      table(
        [l.municipality, l.amount, l.share].map(inline),
        [
          ...c.rows.map((r) => [inline(r.municipality), inline(r.text), inline(r.shareText)]),
          [`**${inline(l.costSharingTotal)}**`, `**${inline(c.totalText)}**`, ''],
          ...(c.differenceCents !== 0
            ? [[`**${inline(l.costSharingDifference)}**`, `**${inline(c.differenceText)}**`, '']]
            : []),
        ],
        new Set([1, 2]),
      ),
      ...(c.note ? [`*${inline(c.note)}*`] : []),
    );
  }
  return out;
}

function trace(report: Report): string[] {
  const l = report.labels;
  const out = [inline(l.traceIntro)];
  if (report.trace.length === 0) out.push(inline(l.none));
  for (const entry of report.trace) {
    out.push(`### ${entry.number}. ${inline(entry.title)}`);
    if (entry.themes.length === 0) {
      out.push(`*${inline(l.noThemes)}*`);
      continue;
    }
    out.push(
      entry.themes
        .map((theme) =>
          theme.needs.length
            ? `- **${inline(theme.title)}:** ${inline(theme.needRefs)}`
            : `- **${inline(theme.title)}:** *${inline(l.noNeeds)}*`,
        )
        .join('\n'),
    );
  }
  return out;
}

/** The voting rounds' history: each revealed round's limits and ranked result. */
function voting(report: Report): string[] {
  const l = report.labels;
  const count = report.format.count;
  if (report.rounds.length === 0) return [inline(l.noRounds)];
  const out = [inline(l.votingIntro)];
  for (const round of report.rounds) {
    out.push(
      `### ${inline(round.title)}`,
      [
        `- **${inline(l.dotsPerPerson)}:** ${inline(round.dotsPerPersonText)}`,
        `- **${inline(l.maxPerItem)}:** ${inline(round.maxPerItemText)}`,
        `- **${inline(l.totalDots)}:** ${inline(count(round.totalDots))}`,
      ].join('\n'),
      round.results.length
        ? table(
            [l.rank, l.item, l.dots].map(inline),
            round.results.map((r) => [inline(count(r.rank)), inline(r.itemText), inline(count(r.count))]),
            new Set([0, 2]),
          )
        : inline(l.none),
    );
  }
  return out;
}

const SECTIONS: Readonly<Record<ReportSection, (report: Report) => string[]>> = {
  summary,
  municipalities,
  needs,
  themes,
  voting,
  actions,
  packages,
  objectives,
  timeline,
  budget,
  trace,
};

/** Writes `report` as one GitHub-flavoured Markdown document, ending in a newline. */
export function writeMarkdown(report: Report): string {
  const l = report.labels;
  const blocks: string[] = [
    `# ${inline(report.title)}`,
    `**${inline(l.documentTitle)}**`,
    [
      `- **${inline(l.date)}:** ${inline(report.dateText)}`,
      `- **${inline(l.organiser)}:** ${inline(report.organiser)}`,
      `- **${inline(l.participants)}:** ${inline(report.participantsText)}`,
    ].join('\n'),
  ];
  if (report.sections.length) {
    blocks.push(
      `## ${inline(l.contents)}`,
      report.sections
        .map((s, i) => `${i + 1}. [${inline(report.sectionTitles[s])}](#${anchor(report.sectionTitles[s])})`)
        .join('\n'),
    );
  }
  for (const section of report.sections) {
    blocks.push(`## ${inline(report.sectionTitles[section])}`, ...SECTIONS[section](report));
  }
  blocks.push('---', `*${inline(l.madeWith)}*`);
  return `${blocks.join('\n\n')}\n`;
}
