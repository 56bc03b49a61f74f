/**
 * The Markdown export against expected output: every example's document is compared with a golden
 * file in expected/ that a person has read. After a deliberate change to the writer, the model or
 * the locale texts, rewrite them with `UPDATE_EXPECTED=1 npx vitest run --project unit
 * shared/report/markdown.test.ts`, read the diff, and commit it with the change.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeMarkdown } from './markdown';
import { buildReport, citeNeeds, defaultReportOptions } from './model';
import { exampleWorkshops, hostileWorkshop, planWorkshop } from './sample-workshops';

const DATE = '2026-12-06';
const EXPECTED = join(import.meta.dirname, 'expected');
const UPDATE = process.env['UPDATE_EXPECTED'] === '1';

/** One line of text as the writer escapes it. */
function escaped(text: string): string {
  return text.replace(/[\\`*_{}[\]<>|#~&!]/g, (c) => `\\${c}`);
}

describe('Markdown export', () => {
  for (const { name, workshop } of exampleWorkshops()) {
    const file = join(EXPECTED, `${name.replace(/^example-/, '')}.md`);
    it(`${name} matches ${file.slice(EXPECTED.length + 1)}`, () => {
      const markdown = writeMarkdown(buildReport(workshop, defaultReportOptions(workshop, DATE)));
      if (UPDATE) writeFileSync(file, markdown);
      expect(markdown).toBe(readFileSync(file, 'utf8'));
    });
  }

  // A plan with co-funding, work packages, objectives, baselines and cost sharing, whole and
  // limited to one work package.
  for (const [file, scope] of [
    ['plan-fi.md', null],
    ['plan-package-fi.md', { kind: 'package', packageId: 'wp-schools' }],
  ] as const) {
    it(`the plan workshop matches ${file}`, () => {
      const workshop = planWorkshop();
      const markdown = writeMarkdown(
        buildReport(workshop, { ...defaultReportOptions(workshop, DATE), scope }),
      );
      if (UPDATE) writeFileSync(join(EXPECTED, file), markdown);
      expect(markdown).toBe(readFileSync(join(EXPECTED, file), 'utf8'));
    });
  }

  it('is the same text every time for the same report', () => {
    const [first] = exampleWorkshops();
    const report = buildReport(first!.workshop, defaultReportOptions(first!.workshop, DATE));
    expect(writeMarkdown(report)).toBe(writeMarkdown(report));
  });

  it('cites needs in the trace by the references of their themes, never by their texts', () => {
    for (const { workshop } of exampleWorkshops()) {
      const report = buildReport(workshop, defaultReportOptions(workshop, DATE));
      const markdown = writeMarkdown(report);
      const trace = markdown.slice(markdown.indexOf(`## ${report.labels.trace}`));
      const needs = report.needsByStakeholder.flatMap((g) => g.needs);
      const refById = new Map(needs.map((n) => [n.id, n]));
      // Worked out from the workshop's links, not from the trace entries.
      const expected = workshop.actions.map((action, i) => {
        const lines = action.themeIds.flatMap((id) => {
          const theme = workshop.themes.find((t) => t.id === id);
          const title = report.themes.find((t) => t.id === id)?.title;
          if (!theme || title === undefined) return [];
          const cited = theme.noteIds.flatMap((noteId) => refById.get(noteId) ?? []);
          const refs = cited.length ? citeNeeds(cited, report.language) : `*${report.labels.noNeeds}*`;
          return [`- **${escaped(title)}:** ${refs}`];
        });
        return [
          `### ${i + 1}. ${escaped(report.actions[i]!.title)}`,
          lines.join('\n') || `*${report.labels.noThemes}*`,
        ];
      });
      const blocks = trace.split('\n\n');
      for (const [heading, body] of expected) {
        const at = blocks.indexOf(heading!);
        expect(at, heading).toBeGreaterThan(0);
        expect(blocks[at + 1]).toBe(body);
      }
      // The example has themes with needs, so this proves references, not just placeholders.
      expect(expected.some(([, body]) => needs.some((n) => body!.includes(n.ref)))).toBe(true);
      for (const n of needs) expect(trace).not.toContain(escaped(n.text));
    }
  });

  it('shows only the chosen sections, without votes, with authors', () => {
    const [first] = exampleWorkshops();
    const workshop = first!.workshop;
    const report = buildReport(workshop, {
      ...defaultReportOptions(workshop, DATE),
      sections: ['themes', 'trace'],
      showVotes: false,
      showAuthors: true,
    });
    const markdown = writeMarkdown(report);
    const headings = markdown.split('\n').filter((line) => line.startsWith('## '));
    expect(headings).toEqual([
      `## ${report.labels.contents}`,
      `## ${report.labels.themesNoVotes}`,
      `## ${report.labels.trace}`,
    ]);
    expect(markdown).not.toContain(`${report.labels.votes}:`);
    expect(markdown).toContain(`${report.labels.author}: ${report.labels.anonymous}`);
  });
});

describe('Markdown of the hostile workshop', () => {
  const workshop = hostileWorkshop();
  const report = buildReport(workshop, { ...defaultReportOptions(workshop, DATE), showAuthors: true });
  const markdown = writeMarkdown(report);
  const lines = markdown.split('\n');

  it('has no control character but line ends', () => {
    // eslint-disable-next-line no-control-regex
    expect(markdown).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u2028\u2029]/);
  });

  it('escapes markup and Markdown syntax so texts read as typed', () => {
    expect(markdown).not.toContain('<script>');
    expect(markdown).toContain('\\<script\\>alert(1)\\</script\\>');
    expect(markdown).not.toContain('<b>');
    expect(markdown).toContain('\\<b\\>\\&amp;\\</b\\>');
    // A `|` in a text does not split a table cell: every row of a table has as many cells as its header.
    let columns = 0;
    for (const line of lines) {
      if (!line.startsWith('|')) {
        columns = 0;
        continue;
      }
      const cells = line.replace(/\\\\/g, '').split(/(?<!\\)\|/).length - 2;
      if (columns === 0) columns = cells;
      expect(cells, line.slice(0, 80)).toBe(columns);
    }
    expect(markdown).toContain('@Yhdistykset \\| \\*tähti\\* \\_alaviiva\\_ \\# otsikko');
  });

  it('keeps a list item that starts like a list or a formula as one item of text', () => {
    const need = report.needsByStakeholder.flatMap((g) => g.needs).find((n) => n.text.includes('HYPERLINK'))!;
    const item = lines.find((line) => line.includes('HYPERLINK') && line.startsWith('- '));
    // The need's reference starts the item, so its text cannot start a list or a formula.
    expect(item?.startsWith(`- **${need.ref}** · =HYPERLINK("http://example.invalid","click")<br>`)).toBe(
      true,
    );
    // Its own line breaks stay inside the item.
    expect(item).toContain('<br>+1+1<br>-2+3<br>@SUM(1,2)<br>=1+1');
  });

  it('keeps emoji and the 5,000-character texts whole, with placeholders where values are missing', () => {
    expect(markdown).toContain('👩🏽‍🎨');
    expect(markdown).toContain(report.actions[2]!.title);
    expect(markdown).toContain(`| 2 | **${report.labels.notSet}** | ${report.labels.noTheme} |`);
    expect(markdown).toContain(report.labels.noDates);
    expect(markdown).toContain(report.labels.noFunding);
    expect(markdown).toContain(`*${report.labels.noNeeds}*`);
    expect(markdown).toContain(`*${report.labels.noThemes}*`);
  });
});
