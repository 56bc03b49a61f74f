/**
 * The HTML that becomes the PDF and the export preview: every example gives a complete,
 * standalone document in its language with every section, and the hostile workshop's texts come
 * out escaped, whole and free of control characters. String checks only: the PDF test prints it.
 */
import { describe, expect, it } from 'vitest';
import type { Workshop } from '../model/schema';
import { writeHtml } from './html';
import { buildReport, citeNeeds, defaultReportOptions, REPORT_SECTIONS, type Report } from './model';
import { exampleWorkshops, hostileWorkshop } from './sample-workshops';

const DATE = '2026-12-06';

/** Text as it must appear in the HTML. */
function escaped(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

function count(html: string, pattern: RegExp): number {
  return html.match(pattern)?.length ?? 0;
}

/** Every element opened is closed, in order (void elements aside). */
function expectBalanced(html: string): void {
  const stack: string[] = [];
  const body = html.replace(/<style>[\s\S]*?<\/style>/, '<style></style>');
  const voids = new Set(['meta', 'br', 'col', 'link', 'hr', 'img']);
  for (const match of body.matchAll(/<(\/?)([a-z][a-z0-9]*)\b[^>]*>/g)) {
    const [, closing, name = ''] = match;
    if (voids.has(name)) continue;
    if (closing) expect(stack.pop(), `closing </${name}>`).toBe(name);
    else stack.push(name);
  }
  expect(stack).toEqual([]);
}

/** The part of `html` from `start` to `end` (or to its end). */
function between(html: string, start: string, end?: string): string {
  const from = html.indexOf(start);
  expect(from, start).toBeGreaterThanOrEqual(0);
  const to = end === undefined ? html.length : html.indexOf(end, from);
  expect(to, end).toBeGreaterThan(from);
  return html.slice(from, to);
}

/**
 * What the trace must say under each action, worked out from the workshop itself rather than from
 * the trace entries: per linked theme still there, its title and the references of its needs (or
 * the "no needs" label).
 */
function expectedTrace(workshop: Workshop, report: Report): [string, string][][] {
  const refById = new Map(report.needsByStakeholder.flatMap((g) => g.needs).map((n) => [n.id, n]));
  const titleById = new Map(report.themes.map((t) => [t.id, t.title]));
  return workshop.actions.map((action) =>
    action.themeIds.flatMap((id) => {
      const theme = workshop.themes.find((t) => t.id === id);
      if (!theme) return [];
      const cited = theme.noteIds.flatMap((noteId) => refById.get(noteId) ?? []);
      return [[titleById.get(id)!, cited.length ? citeNeeds(cited, report.language) : report.labels.noNeeds]];
    }),
  );
}

/** Per action of the trace appendix, its themes as written: [theme title, what its row says]. */
function traceOf(html: string): [string, string][][] {
  const trace = between(html, '<section id="trace"', '</section>');
  return [...trace.matchAll(/<div class="trace-entry">([\s\S]*?)<\/div>/g)].map((entry) =>
    [...(entry[1] ?? '').matchAll(/<dt>(.*?)<\/dt><dd[^>]*>(.*?)<\/dd>/g)].map((m): [string, string] => [
      m[1] ?? '',
      m[2] ?? '',
    ]),
  );
}

function reportOf(name: string): Report {
  const example = exampleWorkshops().find((e) => e.name === name)!;
  return buildReport(example.workshop, defaultReportOptions(example.workshop, DATE));
}

describe('HTML export of the examples', () => {
  for (const { name, workshop } of exampleWorkshops()) {
    it(`${name}: a standalone document in its language with every section`, () => {
      const report = buildReport(workshop, defaultReportOptions(workshop, DATE));
      const html = writeHtml(report);
      expect(html.startsWith('<!DOCTYPE html>\n')).toBe(true);
      expect(html).toContain(`<html lang="${workshop.meta.language}">`);
      expect(html).toContain('<meta charset="utf-8">');
      expect(html).toContain('<meta name="generator" content="Talkoo">');
      expect(html).toContain(`<title>${escaped(report.title)}`);
      expectBalanced(html);
      // Nothing to run and nothing to fetch: the preview frame and the PDF need neither.
      expect(html).not.toMatch(/<script|<link|<img|<iframe|src=|url\(|@import|https?:\/\//i);
      // Title block.
      expect(html).toContain(`<h1>${escaped(report.title)}</h1>`);
      expect(html).toContain(escaped(report.dateText));
      expect(html).toContain(escaped(report.organiser));
      // Contents link to each section, and the sections come in order.
      const ids = [...html.matchAll(/<section id="([a-z-]+)"/g)].map((m) => m[1]);
      // Every section but those the plan has nothing for (no work packages, no objectives).
      expect(ids).toEqual(
        REPORT_SECTIONS.filter(
          (s) =>
            (s !== 'packages' || report.packages.length) && (s !== 'objectives' || report.objectives.length),
        ),
      );
      expect(ids).toEqual([...report.sections]);
      for (const id of ids) expect(html).toContain(`<a href="#${id}">`);
      // One action row per action, with owner, schedule and budget; the total once.
      const actions = html.slice(
        html.indexOf('<table class="actions">'),
        html.indexOf('</section>', html.indexOf('<table class="actions">')),
      );
      expect(count(actions, /<tbody>[\s\S]*?<\/tbody>/g)).toBe(1);
      const body = actions.slice(actions.indexOf('<tbody>'), actions.indexOf('</tbody>'));
      expect(count(body, /<tr>/g)).toBe(report.actions.length);
      for (const a of report.actions) {
        expect(body).toContain(escaped(a.owner));
        expect(body).toContain(escaped(a.periodText));
        expect(body).toContain(escaped(a.budgetText));
      }
      expect(actions).toContain(`<td class="num">${escaped(report.budget.totalText)}</td>`);
      // Timeline: a year header row and one shaded cell per month or quarter an action runs.
      const timeline = html.slice(
        html.indexOf('<table class="timeline">'),
        html.indexOf('<section id="budget"'),
      );
      for (const year of report.timeline.years) {
        expect(timeline).toContain(`<th scope="colgroup" colspan="${year.span}">${year.year}</th>`);
      }
      const shaded = report.timeline.rows.flatMap((r) => r.cells).filter(Boolean).length;
      expect(count(timeline, /<td class="on">/g)).toBe(shaded);
      // Budget: by source, theme and year, and by work package where the plan has packages, each
      // with its total; cost sharing in a table of its own where the share is split; the two notes.
      const budgetTables = 3 + (report.budget.byPackage.length ? 1 : 0);
      const sharing = report.budget.costSharing ? 1 : 0;
      expect(count(html, /<table class="budget">/g)).toBe(budgetTables + sharing);
      expect(count(html, new RegExp(`<td>${report.labels.total}</td><td class="num">`, 'g'))).toBe(
        budgetTables,
      );
      expect(html).toContain(escaped(report.labels.budgetThemeNote));
      expect(html).toContain(escaped(report.labels.budgetYearNote));
      // Needs by stakeholder group: every need once, its reference first, then its text.
      const needs = between(html, '<section id="needs"', '<section id="themes"');
      const allNeeds = report.needsByStakeholder.flatMap((g) => g.needs);
      expect(allNeeds.map((n) => n.number).sort((a, b) => a - b)).toEqual(allNeeds.map((_, i) => i + 1));
      expect(count(needs, /<td class="ref">/g)).toBe(allNeeds.length);
      for (const n of allNeeds) {
        expect(needs).toContain(`<tr><td class="ref">${escaped(n.ref)}</td><td>${escaped(n.text)}</td>`);
      }
      // Needs by municipality: a row per municipality with its count and references, no texts.
      const municipalities = between(html, '<table class="municipalities">', '</table>');
      expect(count(municipalities, /<tr>/g)).toBe(report.needsByMunicipality.length + 1);
      for (const g of report.needsByMunicipality) {
        expect(municipalities).toContain(
          `<tr><td>${escaped(g.name)}</td><td class="num">${g.needs.length}</td><td>${escaped(g.refs)}</td></tr>`,
        );
      }
      for (const n of allNeeds) expect(municipalities).not.toContain(escaped(n.text));
      // Ranked themes: each need with its reference before its text.
      const themes = between(html, '<section id="themes"', '<section id="actions"');
      for (const t of report.themes) {
        for (const n of t.needs) {
          expect(themes).toContain(`<li><span class="ref">${escaped(n.ref)} </span>${escaped(n.text)}`);
        }
      }
      // Trace appendix: each action's heading, then its themes with their needs' references
      // (as the workshop links them), and never a need's text.
      const trace = between(html, '<section id="trace"', '</section>');
      for (const t of report.trace) expect(trace).toContain(`<h3>${t.number}. ${escaped(t.title)}</h3>`);
      const expected = expectedTrace(workshop, report).map((themes) =>
        themes.map(([title, refs]): [string, string] => [escaped(title), escaped(refs)]),
      );
      expect(traceOf(html)).toEqual(expected);
      expect(expected.flat().length).toBeGreaterThan(0);
      for (const n of allNeeds) expect(trace).not.toContain(escaped(n.text));
    });
  }

  it('prints A4 with the action table and the timeline on landscape pages, shading kept', () => {
    const html = writeHtml(reportOf('example-etela-savo-fi'));
    expect(html).toMatch(/@page \{ size: A4; margin: 18mm;/);
    expect(html).toContain('@page wide { size: A4 landscape;');
    expect(html).toContain('section.wide { page: wide; }');
    // On a screen a wide section scrolls sideways: it takes the keyboard focus to be scrolled.
    expect(html).toContain('<section id="actions" class="wide" tabindex="0">');
    expect(html).toContain('<section id="timeline" class="wide" tabindex="0">');
    expect(html).toContain('thead { display: table-header-group; }');
    expect(html).toMatch(/td\.on \{[^}]*print-color-adjust: exact/);
    // Page numbers in the report's language.
    expect(html).toContain('content: "Sivu " counter(page) ""');
  });

  it('uses the words of the chosen language', () => {
    const example = exampleWorkshops().find((e) => e.name === 'example-etela-savo-fi')!;
    const html = writeHtml(
      buildReport(example.workshop, { ...defaultReportOptions(example.workshop, DATE), language: 'et' }),
    );
    expect(html).toContain('<html lang="et">');
    expect(html).toContain('<h2>Tegevused</h2>');
    expect(html).toContain('62\u00a0000,00\u00a0€');
    expect(html).not.toContain('<h2>Toimenpiteet</h2>');
  });

  it('leaves out sections not chosen, and votes and authors as chosen', () => {
    const example = exampleWorkshops().find((e) => e.name === 'example-sormland-sv')!;
    const report = buildReport(example.workshop, {
      ...defaultReportOptions(example.workshop, DATE),
      sections: ['needs', 'budget'],
      showVotes: false,
      showAuthors: true,
    });
    const html = writeHtml(report);
    expect([...html.matchAll(/<section id="([a-z-]+)"/g)].map((m) => m[1])).toEqual(['needs', 'budget']);
    expect(html).not.toContain(`>${report.labels.votes}<`);
    expect(html).toContain(`<th scope="col">${report.labels.author}</th>`);
    expect(html).toContain(`<td>${report.labels.anonymous}</td>`);
  });
});

describe('HTML export of the hostile workshop', () => {
  const workshop = hostileWorkshop();
  const report = buildReport(workshop, { ...defaultReportOptions(workshop, DATE), showAuthors: true });
  const html = writeHtml(report);

  it('escapes markup in texts so none of it runs or renders', () => {
    expect(html).not.toMatch(/<script/i);
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).not.toContain('<b>');
    expect(html).not.toContain('<i>kursiivi');
    expect(html).toContain('&lt;b&gt;&amp;amp;&lt;/b&gt;');
    expect(html).toContain('&quot;lainaus&quot;');
    expectBalanced(html);
  });

  it('has no control character but line ends', () => {
    // eslint-disable-next-line no-control-regex
    expect(html).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u2028\u2029]/);
  });

  it('keeps emoji, line breaks and 5,000-character texts whole', () => {
    expect(html).toContain('👩🏽‍🎨');
    expect(html).toContain('🎻');
    expect(html).toContain(escaped(report.actions[2]!.title));
    expect(report.actions[2]!.title.length).toBeGreaterThanOrEqual(4999);
    expect(html).toContain('Kuvaus<br>jatkuu<br>rivillä');
  });

  it('shows placeholders for the missing owner, dates, funding and theme', () => {
    const l = report.labels;
    const row = html.split('\n').find((line) => line.startsWith('<tr><td class="num">2</td>'));
    expect(row).toContain(`<span class="placeholder">${l.notSet}</span>`);
    expect(row).toContain(`<span class="placeholder">${l.noDates}</span>`);
    expect(row).toContain(`<span class="placeholder">${l.noFunding}</span>`);
    expect(row).toContain(`<span class="placeholder">${l.noTheme}</span>`);
    // The action whose only theme was deleted reads "no theme" too, and the trace says so.
    const long = html.split('\n').find((line) => line.startsWith('<tr><td class="num">3</td>'));
    expect(long).toContain(`<span class="placeholder">${l.noTheme}</span>`);
    expect(html).toContain(`<p class="placeholder">${l.noThemes}</p>`);
    // The theme without needs.
    expect(html).toContain(`<p class="placeholder">${l.noNeeds}</p>`);
    // The undated action's timeline row.
    expect(html).toContain(
      `<td class="undated" colspan="${report.timeline.columns.length}">${l.noDates}</td>`,
    );
  });
});
