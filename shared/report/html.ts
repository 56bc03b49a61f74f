/**
 * The whole report as one standalone, print-styled HTML5 document. It is what becomes the PDF
 * (Chromium prints it: printToPDF in the desktop app, the browser's print on the web, headless
 * Chromium on the command line) and what the Export dialog shows as its live preview in a
 * sandboxed iframe, so it holds no script, no external resource and no image: one inline style
 * sheet (the preview's CSP allows inline styles) and the report's text, every piece of it
 * HTML-escaped.
 *
 * Print layout: A4 portrait with 18 mm margins and page numbers; the action table and the
 * timeline sit on a landscape named page (`@page wide`, which Chromium supports), table header
 * rows repeat on every page, rows do not split, and the timeline's shaded cells print because
 * they ask for exact colours.
 *
 * A need's text is printed once, in its stakeholder group's table beside its reference (`T12`);
 * the municipality table and the trace appendix cite needs by reference only, so a plan of 500
 * actions and 2,000 needs does not print each need again under every action of its theme.
 */
import type { BudgetLine, Report, ReportActionRef, ReportNeed, ReportSection } from './model';

const ESCAPES: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** Text as HTML text or attribute value; tabs as spaces (a tab is a control character). */
function esc(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ESCAPES[c] ?? c).replace(/\t/g, ' ');
}

/** Text that may hold line breaks, with each break kept as `<br>`. */
function escLines(text: string): string {
  return esc(text).replace(/\n/g, '<br>');
}

/** A string for a CSS `content` value: quotes and backslashes escaped, line breaks as spaces. */
function cssString(text: string): string {
  return `"${text.replace(/[\\"]/g, (c) => `\\${c}`).replace(/[\n\r\f]/g, ' ')}"`;
}

/** The in-page id of each section (fixed, never from user text). */
const SECTION_IDS: Readonly<Record<ReportSection, string>> = {
  summary: 'summary',
  municipalities: 'municipalities',
  needs: 'needs',
  themes: 'themes',
  voting: 'voting',
  actions: 'actions',
  packages: 'packages',
  objectives: 'objectives',
  timeline: 'timeline',
  budget: 'budget',
  trace: 'trace',
};

/** Sections that need the landscape page's width. */
const WIDE: ReadonlySet<ReportSection> = new Set(['actions', 'timeline']);

function styles(report: Report): string {
  const [before = '', after = ''] = report.pageLabel.split('{page}');
  const pageNumber = `${cssString(before)} counter(page) ${cssString(after)}`;
  return `
:root { color-scheme: light; }
* { box-sizing: border-box; }
html { -webkit-text-size-adjust: 100%; }
body {
  margin: 0; color: #1f2328; background: #fff;
  font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", "Liberation Sans", Arial, sans-serif,
    "Apple Color Emoji", "Segoe UI Emoji", "Noto Color Emoji";
  font-size: 10.5pt; line-height: 1.45;
  overflow-wrap: anywhere; hyphens: auto;
}
main { max-width: 200mm; margin: 0 auto; padding: 12mm 10mm 16mm; }
h1, h2, h3 { line-height: 1.2; break-after: avoid; page-break-after: avoid; }
h1 { font-size: 22pt; font-weight: 650; margin: 4mm 0 6mm; }
h2 { font-size: 15pt; font-weight: 650; margin: 9mm 0 3mm; padding-bottom: 1.5mm; border-bottom: 1px solid #c9ced6; }
h3 { font-size: 11.5pt; font-weight: 650; margin: 6mm 0 2mm; }
p { margin: 0 0 2.5mm; }
ul, ol { margin: 0 0 3mm; padding-left: 6mm; }
li { margin: 0 0 1mm; }
a { color: inherit; }
.muted { color: #656d76; }
.note { color: #4b535d; font-size: 9.5pt; font-style: italic; }
.placeholder { color: #8a6d1f; font-style: italic; }
.num { text-align: right; font-variant-numeric: tabular-nums; }
.title-block .label { text-transform: uppercase; letter-spacing: 0.08em; font-size: 10pt; color: #656d76; margin: 4mm 0 0; }
.title-block dl { display: grid; grid-template-columns: max-content 1fr; gap: 1.5mm 6mm; margin: 8mm 0 0; }
.title-block dt { color: #656d76; }
.title-block dd { margin: 0; }
nav.toc { margin-top: 10mm; }
nav.toc + section h2 { margin-top: 6mm; }
nav.toc h2 { border: none; }
nav.toc ol { padding-left: 6mm; }
nav.toc a { text-decoration: none; }
nav.toc a:hover { text-decoration: underline; }
table { width: 100%; table-layout: fixed; border-collapse: collapse; margin: 0 0 4mm; font-size: 9.5pt; }
thead { display: table-header-group; }
tfoot { display: table-row-group; }
tr { break-inside: avoid; page-break-inside: avoid; }
th, td { border: 1px solid #d0d7de; padding: 1.2mm 1.8mm; vertical-align: top; text-align: left; }
thead th { background: #f2f4f7; font-weight: 600; }
tfoot td, tr.total td, tr.total th { font-weight: 650; background: #f6f8fa; border-top: 1.5px solid #8c959f; }
dl.summary { display: grid; grid-template-columns: max-content max-content; gap: 1.2mm 10mm; margin: 0 0 4mm; }
dl.summary dt { color: #4b535d; }
dl.summary dd { margin: 0; font-variant-numeric: tabular-nums; }
table.actions { font-size: 8pt; }
table.actions th, table.actions td { padding: 1mm 1.2mm; }
table.actions .title { font-weight: 600; }
table.actions .description { margin-top: 1mm; font-weight: 400; color: #4b535d; }
table.budget { width: 75%; }
table.actions .detail { margin-top: 0.8mm; font-weight: 400; color: #4b535d; }
table.actions .detail b { font-weight: 600; }
/* Money stays on one line: its spaces are no-break, but a narrow cell would still cut the word. */
table.packages .num, table.budget .num { white-space: nowrap; overflow-wrap: normal; }
table.actions .split + .split { margin-top: 0.6mm; }
table.actions .split-share { color: #4b535d; }
dl.check { display: grid; grid-template-columns: max-content 1fr; gap: 1.2mm 8mm; margin: 0 0 4mm; }
dl.check dt { color: #4b535d; }
dl.check dd { margin: 0; font-variant-numeric: tabular-nums; }
dl.check dd.over { color: #a4262c; font-weight: 600; }
dl.check dd.under { color: #8a6d1f; font-weight: 600; }
table.heat td.num { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
.municipality p.population { color: #4b535d; }
table.indicators { width: 60%; }
figure.wheel { margin: 0 0 6mm; text-align: center; break-inside: avoid; page-break-inside: avoid; }
figure.wheel svg { max-width: 100%; height: auto; }
table.rounds { width: 85%; }
/* The round's heading shows its name; the caption names the table for assistive technology. */
table.rounds caption { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
/* A timeline that fits on one page is not split over two; a longer one breaks between rows. */
table.timeline { table-layout: fixed; font-size: 8pt; break-inside: avoid; page-break-inside: avoid; }
table.timeline th, table.timeline td { padding: 0.8mm 0.6mm; text-align: center; }
table.timeline th.action { width: 56mm; text-align: left; padding: 0.8mm 1.4mm; }
table.timeline thead th { font-weight: 600; }
table.timeline thead tr + tr th { font-size: 7pt; font-weight: 500; overflow-wrap: normal; }
/* The timeline is for a glance: a long title shows its first lines (the action table has it all). */
table.timeline .clamp { display: -webkit-box; -webkit-box-orient: vertical; -webkit-line-clamp: 3; line-clamp: 3; overflow: hidden; }
table.timeline td.on {
  background: #2f6db3; border-color: #2f6db3;
  -webkit-print-color-adjust: exact; print-color-adjust: exact;
}
table.timeline td.undated { color: #656d76; font-style: italic; text-align: left; }
.ref { font-weight: 600; font-variant-numeric: tabular-nums; white-space: nowrap; }
/* Themes' needs hang under their references, which line up in a column of their own. */
ul.needs { list-style: none; padding-left: 11mm; }
ul.needs .ref { display: inline-block; min-width: 11mm; margin-left: -11mm; padding-right: 1.5mm; }
/* The trace: each of an action's themes beside the references of its needs. */
dl.trace { display: grid; grid-template-columns: minmax(0, 3fr) minmax(0, 2fr); gap: 0.8mm 5mm; margin: 0 0 3mm 6mm; }
dl.trace dt { font-weight: 600; }
dl.trace dd { margin: 0; font-variant-numeric: tabular-nums; }
/* An action's heading stays with its themes. */
.trace-entry { break-inside: avoid; page-break-inside: avoid; }
footer { margin-top: 10mm; color: #656d76; font-size: 9pt; }
@media screen {
  html { background: #eef0f3; }
  main { background: #fff; box-shadow: 0 1px 4px rgba(0, 0, 0, 0.12); margin: 16px auto; }
  section.wide { margin-left: -10mm; margin-right: -10mm; padding: 0 10mm; overflow-x: auto; }
  /* As wide as on the landscape page; a narrow preview scrolls sideways instead of breaking words. */
  section.wide table { min-width: 265mm; }
}
@page { size: A4; margin: 18mm; @bottom-right { content: ${pageNumber}; font-family: system-ui, sans-serif; font-size: 8.5pt; color: #656d76; } }
@page wide { size: A4 landscape; margin: 14mm 12mm; }
@media print {
  html, body { background: #fff; }
  main { max-width: none; margin: 0; padding: 0; }
  .title-block .label { margin-top: 18mm; }
  nav.toc { break-after: page; page-break-after: always; }
  section.wide { page: wide; }
  h2 { margin-top: 0; }
  section { break-before: auto; }
  section + section { margin-top: 8mm; }
  a { text-decoration: none; }
}
`;
}

/**
 * Column widths in percent (scaled to fill the table). Tables lay out at fixed widths, so a long
 * word or a 5,000-character text wraps inside its column instead of squeezing the others.
 */
function columnWidths(widths: readonly number[]): string {
  const sum = widths.reduce((a, b) => a + b, 0);
  return `<colgroup>${widths.map((w) => `<col style="width:${((w / sum) * 100).toFixed(2)}%">`).join('')}</colgroup>`;
}

/**
 * The longest word of any of `texts`, in characters (emoji count as one or two; close enough).
 * Only ordinary spaces separate words: money's no-break spaces keep an amount whole.
 */
function longestWord(texts: readonly string[]): number {
  let longest = 0;
  for (const text of texts)
    for (const word of text.split(/[ \t\n]+/)) longest = Math.max(longest, word.length);
  return longest;
}

/**
 * Widths for a fixed-layout table that is about `room` characters wide: each column first gets
 * its `least` width and room for its longest word, so compound words such as "kulttuuriministeriö" or
 * "Koostöövõrgustikud" stay whole; what is left is shared by `share`. When the longest words do
 * not all fit, only words longer than the longest length that does fit wrap, so short columns
 * (dates, money, status) never break their words to make room for a 30-letter one.
 */
function fitWidths(
  columns: readonly { readonly least: number; readonly share: number; readonly texts: readonly string[] }[],
  room: number,
): number[] {
  const longest = columns.map((c) => longestWord(c.texts));
  // Bold headers run about a tenth wider; two characters more for padding and borders.
  const least = (cap: number): number[] =>
    longest.map((n, i) => Math.max(columns[i]?.least ?? 0, Math.min(n, cap) * 1.1 + 2));
  const total = (widths: readonly number[]): number => widths.reduce((a, b) => a + b, 0);
  let cap = Math.max(...longest);
  while (cap > 8 && total(least(cap)) > room) cap--;
  const widths = least(cap);
  const spare = room - total(widths);
  const shares = columns.reduce((sum, c) => sum + c.share, 0);
  return spare > 0 ? widths.map((w, i) => w + (spare * (columns[i]?.share ?? 0)) / shares) : widths;
}

/** A stakeholder group's needs, each beside the reference the rest of the document cites. */
function needsTable(report: Report, needs: readonly ReportNeed[]): string {
  const l = report.labels;
  const head = [
    `<th scope="col">${esc(l.number)}</th>`,
    `<th scope="col">${esc(l.need)}</th>`,
    `<th scope="col">${esc(l.municipality)}</th>`,
    report.showVotes ? `<th scope="col" class="num">${esc(l.votes)}</th>` : '',
    report.showAuthors ? `<th scope="col">${esc(l.author)}</th>` : '',
  ].join('');
  const rows = needs
    .map((n) =>
      [
        '<tr>',
        `<td class="ref">${esc(n.ref)}</td>`,
        `<td>${escLines(n.text)}</td>`,
        `<td>${esc(n.municipality)}</td>`,
        report.showVotes ? `<td class="num">${esc(report.format.count(n.votes))}</td>` : '',
        report.showAuthors ? `<td>${esc(n.author)}</td>` : '',
        '</tr>',
      ].join(''),
    )
    .join('\n');
  // The reference column fits its heading and the longest reference (`T2000` in a big plan)
  // without breaking them: about 1.3 % of the row per bold character, plus the cell's padding.
  // Sized over every group's needs, so the groups' tables line up one under another.
  const all = report.needsByStakeholder.flatMap((g) => g.needs);
  const refWidth = Math.max(l.number.length, ...all.map((n) => n.ref.length)) * 1.3 + 3;
  // The municipality column fits its heading and the longest name in it (municipality names
  // are short), so the need's own text gets the width and its rows stay low.
  const placeWidth = Math.min(
    28,
    Math.max(10, Math.max(l.municipality.length, ...all.map((n) => n.municipality.length)) * 1.1 + 3),
  );
  const widths = [
    refWidth,
    report.showAuthors ? 50 : 62,
    placeWidth,
    ...(report.showVotes ? [10] : []),
    ...(report.showAuthors ? [18] : []),
  ];
  return `<table class="needs">${columnWidths(widths)}<thead><tr>${head}</tr></thead><tbody>\n${rows}\n</tbody></table>`;
}

/** One row per municipality: how many needs it has and their references, not their texts again. */
function municipalityTable(report: Report): string {
  const l = report.labels;
  const rows = report.needsByMunicipality
    .map(
      (g) =>
        `<tr><td>${esc(g.name)}</td><td class="num">${esc(report.format.count(g.needs.length))}</td><td>${esc(g.refs)}</td></tr>`,
    )
    .join('\n');
  return [
    `<table class="municipalities">${columnWidths([28, 12, 60])}`,
    `<thead><tr><th scope="col">${esc(l.municipality)}</th><th scope="col" class="num">${esc(l.needCount)}</th><th scope="col">${esc(l.needRefs)}</th></tr></thead>`,
    `<tbody>\n${rows}\n</tbody></table>`,
  ].join('\n');
}

/** A need as a list item: its reference, its text, then its votes and author when shown. */
function needItem(report: Report, need: ReportNeed): string {
  const l = report.labels;
  const details = [
    ...(report.showVotes ? [`${esc(l.votes)}: ${esc(report.format.count(need.votes))}`] : []),
    ...(report.showAuthors ? [`${esc(l.author)}: ${esc(need.author)}`] : []),
  ];
  const suffix = details.length ? ` <span class="muted">(${details.join(', ')})</span>` : '';
  // The space goes inside the hanging reference, so a copied line reads `T3 text`.
  return `<li><span class="ref">${esc(need.ref)} </span>${escLines(need.text)}${suffix}</li>`;
}

function summary(report: Report): string {
  const l = report.labels;
  const s = report.summary;
  const c = report.format.count;
  const items: [string, string][] = [
    [l.needCount, c(s.needCount)],
    [l.stakeholderCount, c(s.stakeholderCount)],
    [l.municipalityCount, c(s.municipalityCount)],
    [l.themeCount, c(s.themeCount)],
    [l.actionCount, c(s.actionCount)],
    [l.totalBudget, s.totalBudgetText],
    [l.period, s.periodText],
  ];
  return `<dl class="summary">${items.map(([k, v]) => `<dt>${esc(k)}</dt><dd>${esc(v)}</dd>`).join('')}</dl>`;
}

function needs(report: Report): string {
  const l = report.labels;
  const out: string[] = [];
  if (report.needsByStakeholder.length === 0) out.push(`<p class="muted">${esc(l.none)}</p>`);
  for (const group of report.needsByStakeholder) {
    out.push(`<h3>${esc(group.name)}</h3>`, needsTable(report, group.needs));
  }
  if (report.needsByMunicipality.length) {
    out.push(`<h2 id="needs-by-municipality">${esc(l.needsByMunicipality)}</h2>`, municipalityTable(report));
  }
  return out.join('\n');
}

function themes(report: Report): string {
  const l = report.labels;
  const out: string[] = [];
  if (report.themes.length === 0) out.push(`<p class="muted">${esc(l.none)}</p>`);
  for (const theme of report.themes) {
    const votes = report.showVotes
      ? ` <span class="muted">· ${esc(l.votes)}: ${esc(report.format.count(theme.votes))}</span>`
      : '';
    out.push(`<h3>${theme.rank}. ${esc(theme.title)}${votes}</h3>`);
    out.push(
      theme.needs.length
        ? `<ul class="needs">${theme.needs.map((n) => needItem(report, n)).join('')}</ul>`
        : `<p class="placeholder">${esc(l.noNeeds)}</p>`,
    );
  }
  if (report.unsortedNeeds.length) {
    out.push(
      `<h3>${esc(l.unsortedNeeds)}</h3>`,
      `<ul class="needs">${report.unsortedNeeds.map((n) => needItem(report, n)).join('')}</ul>`,
    );
  }
  return out.join('\n');
}

/** A value, in the placeholder style when it is one. */
function value(text: string, placeholder: boolean): string {
  return placeholder ? `<span class="placeholder">${esc(text)}</span>` : esc(text);
}

/** An action's funding: one line per source with its amount and share, or the one source. */
function funding(report: Report, action: Report['actions'][number]): string {
  const l = report.labels;
  if (action.split.length <= 1) return value(action.splitText, action.splitText === l.noFunding);
  return action.split
    .map(
      (line) =>
        `<div class="split">${esc(line.source)}: ${esc(line.text)} <span class="split-share">(${esc(line.shareText)})</span></div>`,
    )
    .join('');
}

/** Actions cited by number and title. */
function actionRefs(report: Report, refs: readonly ReportActionRef[]): string {
  if (refs.length === 0) return `<span class="placeholder">${esc(report.labels.noActions)}</span>`;
  return refs.map((r) => `${r.number}. ${esc(r.title)}`).join('<br>');
}

function actions(report: Report): string {
  const l = report.labels;
  if (report.actions.length === 0) return `<p class="muted">${esc(l.none)}</p>`;
  const head = [
    `<th scope="col" class="num">${esc(l.number)}</th>`,
    `<th scope="col">${esc(l.action)}</th>`,
    `<th scope="col">${esc(l.actionThemes)}</th>`,

    `<th scope="col">${esc(l.owner)}</th>`,
    `<th scope="col">${esc(l.partners)}</th>`,
    `<th scope="col">${esc(l.schedule)}</th>`,
    `<th scope="col" class="num">${esc(l.actionBudget)}</th>`,
    `<th scope="col">${esc(l.funding)}</th>`,
    `<th scope="col">${esc(l.indicator)}</th>`,
    `<th scope="col">${esc(l.status)}</th>`,
  ].join('');
  const rows = report.actions
    .map((a) =>
      [
        '<tr>',
        `<td class="num">${a.number}</td>`,
        `<td><div class="title">${esc(a.title)}</div>`,
        a.description ? `<div class="description">${escLines(a.description)}</div>` : '',
        // The work package and objectives under the title: columns of their own would leave
        // every column too narrow on the landscape page.
        a.workPackage ? `<div class="detail"><b>${esc(l.package)}:</b> ${esc(a.workPackage)}</div>` : '',
        a.objectivesText
          ? `<div class="detail"><b>${esc(l.actionObjectives)}:</b> ${esc(a.objectivesText)}</div>`
          : '',
        '</td>',
        `<td>${value(a.themesText, a.themes.length === 0)}</td>`,
        `<td>${value(a.owner, a.ownerMissing)}</td>`,
        `<td>${value(a.partnersText, a.partners.length === 0)}</td>`,
        `<td>${value(a.periodText, a.start === null || a.end === null)}</td>`,
        `<td class="num">${esc(a.budgetText)}</td>`,
        `<td>${funding(report, a)}</td>`,
        `<td>${value(a.indicator, a.indicator === l.notSet).replace(/\n/g, '<br>')}</td>`,
        `<td>${esc(a.statusText)}</td>`,
        '</tr>',
      ].join(''),
    )
    .join('\n');
  const total = `<tfoot><tr class="total"><td></td><td colspan="5">${esc(l.total)}</td><td class="num">${esc(report.budget.totalText)}</td><td colspan="3"></td></tr></tfoot>`;
  const a = report.actions;
  const widths = columnWidths(
    fitWidths(
      [
        { least: 0, share: 0, texts: [l.number, String(a.length)] },
        { least: 26, share: 30, texts: [l.action, ...a.map((x) => x.title)] },
        { least: 12, share: 12, texts: [l.actionThemes, ...a.map((x) => x.themesText)] },
        { least: 10, share: 10, texts: [l.owner, ...a.map((x) => x.owner)] },
        { least: 10, share: 12, texts: [l.partners, ...a.map((x) => x.partnersText)] },
        { least: 9, share: 10, texts: [l.schedule, ...a.map((x) => x.periodText)] },
        // Money does not wrap at its no-break spaces: the whole amount is one word.
        {
          least: 0,
          share: 3,
          texts: [l.actionBudget, report.budget.totalText, ...a.map((x) => x.budgetText)],
        },
        {
          least: 10,
          share: 10,
          texts: [l.funding, ...a.map((x) => x.splitText)],
        },
        { least: 12, share: 12, texts: [l.indicator, ...a.map((x) => x.indicator)] },
        { least: 0, share: 3, texts: [l.status, ...a.map((x) => x.statusText)] },
      ],
      // About as many characters of 8 pt text as fit across a landscape A4 page.
      160,
    ),
  );
  return `<table class="actions">${widths}<thead><tr>${head}</tr></thead><tbody>\n${rows}\n</tbody>${total}</table>`;
}

/** The annual wheel, where the report has it: its SVG inline, described for screen readers. */
function wheel(report: Report): string {
  const w = report.wheel;
  if (!w) return '';
  return `<figure class="wheel" role="img" aria-label="${esc(w.alt)}">${w.svg}</figure>`;
}

function timeline(report: Report): string {
  return wheel(report) + timelineTable(report);
}

function timelineTable(report: Report): string {
  const l = report.labels;
  const t = report.timeline;
  if (report.actions.length === 0) return `<p class="muted">${esc(l.none)}</p>`;
  if (t.columns.length === 0) {
    return `<ul>${report.actions.map((a) => `<li>${a.number}. ${esc(a.title)}: <span class="placeholder">${esc(l.noDates)}</span></li>`).join('')}</ul>`;
  }
  const years = t.years.map((y) => `<th scope="colgroup" colspan="${y.span}">${y.year}</th>`).join('');
  const columns = t.columns.map((c) => `<th scope="col">${esc(c.label)}</th>`).join('');
  const rows = t.rows
    .map((r, i) => {
      const cells = r.undated
        ? `<td class="undated" colspan="${t.columns.length}">${esc(l.noDates)}</td>`
        : r.cells.map((on) => (on ? '<td class="on"></td>' : '<td></td>')).join('');
      return `<tr><th scope="row" class="action"><div class="clamp">${i + 1}. ${esc(r.title)}</div></th>${cells}</tr>`;
    })
    .join('\n');
  return [
    `<table class="timeline">`,
    `<thead><tr><th class="action" rowspan="2" scope="col">${esc(l.action)}</th>${years}</tr><tr>${columns}</tr></thead>`,
    `<tbody>\n${rows}\n</tbody></table>`,
  ].join('\n');
}

function budgetTable(report: Report, column: string, lines: readonly BudgetLine[]): string {
  const l = report.labels;
  const rows = lines
    .map(
      (line) =>
        `<tr><td>${esc(line.label)}</td><td class="num">${esc(line.text)}</td><td class="num">${esc(line.shareText)}</td></tr>`,
    )
    .join('\n');
  return [
    `<table class="budget">${columnWidths([60, 25, 15])}<thead><tr><th scope="col">${esc(column)}</th><th scope="col" class="num">${esc(l.amount)}</th><th scope="col" class="num">${esc(l.share)}</th></tr></thead>`,
    `<tbody>\n${rows}\n</tbody>`,
    `<tfoot><tr class="total"><td>${esc(l.total)}</td><td class="num">${esc(report.budget.totalText)}</td><td></td></tr></tfoot></table>`,
  ].join('\n');
}

function budgetCheck(report: Report): string {
  const l = report.labels;
  const c = report.budget.check;
  if (!c) return '';
  return [
    '<dl class="check">',
    `<dt>${esc(l.budgetFrame)}</dt><dd>${esc(c.frameText)}</dd>`,
    `<dt>${esc(l.budgetPlanned)}</dt><dd>${esc(c.totalText)}</dd>`,
    `<dt>${esc(l.budgetStanding)}</dt><dd class="${c.standing}">${esc(c.standingText)}</dd>`,
    '</dl>',
  ].join('');
}

function costSharing(report: Report): string {
  const l = report.labels;
  const c = report.budget.costSharing;
  if (!c) return '';
  const rows = c.rows
    .map(
      (r) =>
        `<tr><td>${esc(r.municipality)}</td><td class="num">${esc(r.text)}</td><td class="num">${esc(r.shareText)}</td></tr>`,
    )
    .join('\n');
  const difference =
    c.differenceCents !== 0
      ? `<tr class="total"><td>${esc(l.costSharingDifference)}</td><td class="num">${esc(c.differenceText)}</td><td></td></tr>`
      : '';
  return [
    `<h3>${esc(l.costSharing)}</h3>`,
    `<dl class="check"><dt>${esc(l.costSharingMethod)}</dt><dd>${esc(c.methodText)}</dd><dt>${esc(l.municipalShare)}</dt><dd>${esc(c.shareText)}</dd></dl>`,
    `<table class="budget">${columnWidths([60, 25, 15])}<thead><tr><th scope="col">${esc(l.municipality)}</th><th scope="col" class="num">${esc(l.amount)}</th><th scope="col" class="num">${esc(l.share)}</th></tr></thead>`,
    `<tbody>\n${rows}\n</tbody>`,
    `<tfoot><tr class="total"><td>${esc(l.costSharingTotal)}</td><td class="num">${esc(c.totalText)}</td><td></td></tr>${difference}</tfoot></table>`,
    c.note ? `<p class="note">${esc(c.note)}</p>` : '',
  ].join('\n');
}

function packages(report: Report): string {
  const l = report.labels;
  const total = report.packages.reduce((s, p) => s + p.budgetCents, 0);
  const rows = report.packages
    .map(
      (p) =>
        `<tr><th scope="row">${esc(p.title)}</th><td>${value(p.owner, p.ownerMissing)}</td><td>${esc(p.periodText)}</td><td class="num">${esc(p.budgetText)}</td><td>${actionRefs(report, p.actions)}</td></tr>`,
    )
    .join('\n');
  return [
    `<table class="packages">${columnWidths([22, 16, 19, 17, 26])}`,
    `<thead><tr><th scope="col">${esc(l.package)}</th><th scope="col">${esc(l.owner)}</th><th scope="col">${esc(l.schedule)}</th><th scope="col" class="num">${esc(l.actionBudget)}</th><th scope="col">${esc(l.packageActions)}</th></tr></thead>`,
    `<tbody>\n${rows}\n</tbody>`,
    `<tfoot><tr class="total"><td colspan="3">${esc(l.total)}</td><td class="num">${esc(report.format.money(total))}</td><td></td></tr></tfoot></table>`,
  ].join('\n');
}

function objectives(report: Report): string {
  const l = report.labels;
  const withArea = report.objectives.some((o) => o.area !== '');
  const rows = report.objectives
    .map(
      (o) =>
        `<tr><th scope="row">${esc(o.title)}</th>${withArea ? `<td>${esc(o.area)}</td>` : ''}<td>${actionRefs(report, o.actions)}</td></tr>`,
    )
    .join('\n');
  return [
    `<table class="objectives">${columnWidths(withArea ? [35, 20, 45] : [45, 55])}`,
    `<thead><tr><th scope="col">${esc(l.objective)}</th>${withArea ? `<th scope="col">${esc(l.area)}</th>` : ''}<th scope="col">${esc(l.servedBy)}</th></tr></thead>`,
    `<tbody>\n${rows}\n</tbody></table>`,
  ].join('\n');
}

/** A heat cell's background: white to the accent's light blue by its share of the largest count. */
function heatColour(count: number, max: number): string {
  if (count === 0 || max === 0) return '';
  const t = count / max;
  const mix = (from: number, to: number): number => Math.round(from + (to - from) * t);
  return ` style="background:rgb(${mix(240, 120)},${mix(245, 165)},${mix(252, 230)})"`;
}

function municipalities(report: Report): string {
  const l = report.labels;
  const out: string[] = [];
  for (const m of report.municipalities) {
    out.push(`<div class="municipality"><h3>${esc(m.name)}</h3>`);
    if (m.populationText)
      out.push(`<p class="population">${esc(l.population)}: ${esc(m.populationText)}</p>`);
    if (m.baseline) out.push(`<p>${escLines(m.baseline)}</p>`);
    if (m.indicators.length)
      out.push(
        `<table class="indicators">${columnWidths([70, 30])}<thead><tr><th scope="col">${esc(l.indicatorName)}</th><th scope="col" class="num">${esc(l.value)}</th></tr></thead><tbody>${m.indicators
          .map((i) => `<tr><td>${esc(i.label)}</td><td class="num">${esc(i.value)}</td></tr>`)
          .join('')}</tbody></table>`,
      );
    out.push('</div>');
  }
  const heat = report.heat;
  if (heat) {
    const count = report.format.count;
    const rows = heat.rows
      .map(
        (r) =>
          `<tr><th scope="row">${esc(r.municipality)}</th>${r.counts
            .map((c) => `<td class="num"${heatColour(c, heat.max)}>${esc(count(c))}</td>`)
            .join('')}<td class="num">${esc(count(r.total))}</td></tr>`,
      )
      .join('\n');
    const groupWidth = 60 / (heat.groups.length + 1);
    out.push(
      `<h3>${esc(l.needsHeat)}</h3>`,
      `<table class="heat">${columnWidths([40, ...heat.groups.map(() => groupWidth), groupWidth])}`,
      `<thead><tr><th scope="col">${esc(l.municipality)}</th>${heat.groups.map((g) => `<th scope="col" class="num">${esc(g)}</th>`).join('')}<th scope="col" class="num">${esc(l.total)}</th></tr></thead>`,
      `<tbody>\n${rows}\n</tbody>`,
      `<tfoot><tr class="total"><th scope="row">${esc(l.total)}</th>${heat.groupTotals.map((c) => `<td class="num">${esc(count(c))}</td>`).join('')}<td class="num">${esc(count(heat.total))}</td></tr></tfoot></table>`,
    );
  }
  return out.join('\n');
}

function budget(report: Report): string {
  const l = report.labels;
  const b = report.budget;
  return [
    budgetCheck(report),
    `<h3>${esc(l.budgetByFunding)}</h3>`,
    budgetTable(report, l.fundingSource, b.byFunding),
    ...(b.byPackage.length
      ? [`<h3>${esc(l.budgetByPackage)}</h3>`, budgetTable(report, l.package, b.byPackage)]
      : []),
    `<h3>${esc(l.budgetByTheme)}</h3>`,
    budgetTable(report, l.theme, b.byTheme),
    `<p class="note">${esc(l.budgetThemeNote)}</p>`,
    `<h3>${esc(l.budgetByYear)}</h3>`,
    budgetTable(report, l.year, b.byYear),
    `<p class="note">${esc(l.budgetYearNote)}</p>`,
    costSharing(report),
  ].join('\n');
}

function trace(report: Report): string {
  const l = report.labels;
  const out = [`<p>${esc(l.traceIntro)}</p>`];
  if (report.trace.length === 0) out.push(`<p class="muted">${esc(l.none)}</p>`);
  for (const entry of report.trace) {
    const heading = `<h3>${entry.number}. ${esc(entry.title)}</h3>`;
    const body = entry.themes.length
      ? `<dl class="trace">${entry.themes
          .map(
            (theme) =>
              `<dt>${esc(theme.title)}</dt>${
                theme.needs.length
                  ? `<dd>${esc(theme.needRefs)}</dd>`
                  : `<dd class="placeholder">${esc(l.noNeeds)}</dd>`
              }`,
          )
          .join('')}</dl>`
      : `<p class="placeholder">${esc(l.noThemes)}</p>`;
    out.push(`<div class="trace-entry">${heading}${body}</div>`);
  }
  return out.join('\n');
}

/** The voting rounds' history: each revealed round's limits and its ranked result as a table. */
function voting(report: Report): string {
  const l = report.labels;
  const count = report.format.count;
  if (report.rounds.length === 0) return `<p class="muted">${esc(l.noRounds)}</p>`;
  const out = [`<p>${esc(l.votingIntro)}</p>`];
  for (const round of report.rounds) {
    out.push(
      `<h3>${esc(round.title)}</h3>`,
      `<p class="muted">${esc(l.dotsPerPerson)}: ${esc(round.dotsPerPersonText)} · ${esc(l.maxPerItem)}: ${esc(round.maxPerItemText)} · ${esc(l.totalDots)}: ${esc(count(round.totalDots))}</p>`,
    );
    if (round.results.length === 0) {
      out.push(`<p class="muted">${esc(l.none)}</p>`);
      continue;
    }
    const rows = round.results
      .map(
        (r) =>
          `<tr><td class="num">${esc(count(r.rank))}</td><td>${esc(r.itemText)}</td><td class="num">${esc(count(r.count))}</td></tr>`,
      )
      .join('\n');
    out.push(
      [
        `<table class="rounds">${columnWidths([10, 75, 15])}<caption>${esc(round.title)}</caption>`,
        `<thead><tr><th scope="col" class="num">${esc(l.rank)}</th><th scope="col">${esc(l.item)}</th><th scope="col" class="num">${esc(l.dots)}</th></tr></thead>`,
        `<tbody>\n${rows}\n</tbody></table>`,
      ].join('\n'),
    );
  }
  return out.join('\n');
}

const SECTIONS: Readonly<Record<ReportSection, (report: Report) => string>> = {
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

/**
 * Writes `report` as a complete HTML5 document in the report's language: title block, contents
 * with in-page links, then every chosen section in order. No scripts and no external resources,
 * so it can be shown in a sandboxed frame and printed to PDF as it is.
 */
export function writeHtml(report: Report): string {
  const l = report.labels;
  const toc = report.sections
    .map((s) => `<li><a href="#${SECTION_IDS[s]}">${esc(report.sectionTitles[s])}</a></li>`)
    .join('');
  const sections = report.sections
    .map((s) =>
      [
        `<section id="${SECTION_IDS[s]}"${WIDE.has(s) ? ' class="wide" tabindex="0"' : ''}>`,
        `<h2>${esc(report.sectionTitles[s])}</h2>`,
        SECTIONS[s](report),
        '</section>',
      ].join('\n'),
    )
    .join('\n');
  return [
    '<!DOCTYPE html>',
    `<html lang="${report.language}">`,
    '<head>',
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    '<meta name="generator" content="Talkoo">',
    `<title>${esc(report.title)} – ${esc(l.documentTitle)}</title>`,
    `<style>${styles(report)}</style>`,
    '</head>',
    '<body>',
    '<main>',
    '<header class="title-block">',
    `<p class="label">${esc(l.documentTitle)}</p>`,
    `<h1>${esc(report.title)}</h1>`,
    '<dl>',
    `<dt>${esc(l.date)}</dt><dd>${esc(report.dateText)}</dd>`,
    `<dt>${esc(l.organiser)}</dt><dd>${esc(report.organiser)}</dd>`,
    `<dt>${esc(l.participants)}</dt><dd>${esc(report.participantsText)}</dd>`,
    '</dl>',
    '</header>',
    report.sections.length
      ? `<nav class="toc" aria-labelledby="toc-title"><h2 id="toc-title">${esc(l.contents)}</h2><ol>${toc}</ol></nav>`
      : '',
    sections,
    `<footer>${esc(l.madeWith)}</footer>`,
    '</main>',
    '</body>',
    '</html>',
    '',
  ].join('\n');
}
