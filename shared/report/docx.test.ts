// The Word writer read back as Word would: every example workshop and a hostile one are written,
// unzipped, and their XML read for what a reader sees (headings, contents, tables, pages).
import { strFromU8, unzipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { writeDocx } from './docx';
import { buildReport, citeNeeds, defaultReportOptions, type Report, type ReportOptions } from './model';
import {
  CONTROL_CHARACTERS,
  FORMULA_LIKE,
  exampleWorkshops,
  hostileWorkshop,
  longText,
  planWorkshop,
} from './sample-workshops';
import type { Workshop } from '../model/schema';

const DATE = '2026-12-06';

type Parts = Record<string, string>;

async function docxParts(report: Report): Promise<Parts> {
  const files = unzipSync(await writeDocx(report));
  return Object.fromEntries(Object.entries(files).map(([path, bytes]) => [path, strFromU8(bytes)]));
}

function reportOf(workshop: Workshop, options: Partial<ReportOptions> = {}): Report {
  return buildReport(workshop, { ...defaultReportOptions(workshop, DATE), ...options });
}

function unescapeXml(text: string): string {
  return text
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&amp;/g, '&');
}

/** The text a reader sees in a stretch of WordprocessingML: its w:t runs, a line break as \n. */
function textOf(xml: string): string {
  let text = '';
  for (const m of xml.matchAll(/<w:t(?:\s[^>]*)?>([^<]*)<\/w:t>|<w:br\/>|<w:tab\/>/g)) {
    text += m[1] !== undefined ? unescapeXml(m[1]) : m[0] === '<w:br/>' ? '\n' : '\t';
  }
  return text;
}

type Para = { readonly style: string; readonly text: string };

function paragraphs(xml: string): Para[] {
  return [...xml.matchAll(/<w:p(?:\s[^>]*)?>[\s\S]*?<\/w:p>/g)].map((m) => ({
    style: /<w:pStyle w:val="([^"]+)"\/>/.exec(m[0])?.[1] ?? '',
    text: textOf(m[0]),
  }));
}

function headings(xml: string, level: 1 | 2 | 3): string[] {
  return paragraphs(xml)
    .filter((p) => p.style === `Heading${level}`)
    .map((p) => p.text);
}

/** Every table: its rows, each row its cells' texts. */
function tables(xml: string): { xml: string; rows: string[][] }[] {
  return [...xml.matchAll(/<w:tbl>[\s\S]*?<\/w:tbl>/g)].map((m) => ({
    xml: m[0],
    rows: [...m[0].matchAll(/<w:tr(?:\s[^>]*)?>[\s\S]*?<\/w:tr>/g)].map((row) =>
      [...row[0].matchAll(/<w:tc>[\s\S]*?<\/w:tc>/g)].map((cell) => textOf(cell[0])),
    ),
  }));
}

function actionTable(xml: string, report: Report): string[][] {
  // The table with both an owner and an indicator column (a baseline's table has indicators too).
  const found = tables(xml).find(
    (t) => t.rows[0]?.includes(report.labels.indicator) && t.rows[0]?.includes(report.labels.owner),
  );
  expect(found, 'the action table').toBeDefined();
  return found?.rows ?? [];
}

type TracedAction = { heading: string; lines: string[]; themes: { title: string; needs: string }[] };

/** The trace appendix as a reader walks it: each action, its theme lines, and the line below each. */
function traceOf(xml: string, report: Report): TracedAction[] {
  const start = xml.lastIndexOf(`>${report.sectionTitles.trace}<`);
  const out: TracedAction[] = [];
  let theme: { title: string; needs: string } | undefined;
  for (const p of paragraphs(xml.slice(start))) {
    const current = out.at(-1);
    if (p.style === 'Heading3') {
      out.push({ heading: p.text, lines: [], themes: [] });
      theme = undefined;
    } else if (current && p.style === 'TraceTheme') {
      theme = { title: p.text, needs: '' };
      current.themes.push(theme);
    } else if (theme?.needs === '') theme.needs = p.text;
    else current?.lines.push(p.text);
  }
  return out;
}

/** What the appendix must say of each action, worked out from the actions and themes, not the trace. */
function expectedTrace(report: Report): { heading: string; themes: { title: string; needs: string }[] }[] {
  const { labels } = report;
  return report.actions.map((action) => ({
    heading: `${action.number}. ${action.title}`,
    themes: action.themes.map((title) => {
      const needs = report.themes.find((t) => t.title === title)?.needs ?? [];
      return {
        title: `${labels.theme}: ${title}`,
        needs: needs.length ? `${labels.needCount}: ${citeNeeds(needs, report.language)}` : labels.noNeeds,
      };
    }),
  }));
}

/** The needs tables by stakeholder group, their rows after the header, in document order. */
function needRows(xml: string, report: Report): string[][] {
  const { labels } = report;
  return tables(xml)
    .filter((t) => t.rows[0]?.[0] === labels.number && t.rows[0]?.[1] === labels.need)
    .flatMap((t) => t.rows.slice(1));
}

describe('writeDocx', () => {
  for (const { name, workshop } of exampleWorkshops()) {
    it(`writes ${name} as a Word document with headings, contents, tables and pages`, async () => {
      const report = reportOf(workshop);
      const { labels } = report;
      const parts = await docxParts(report);
      const xml = parts['word/document.xml'] ?? '';

      // Word's own heading styles carry the localized section titles, in order.
      expect(headings(xml, 1)).toEqual([
        labels.summary,
        // Municipalities with baselines, or needs tagged with them (the heat table).
        ...(report.municipalities.length || report.heat ? [labels.municipalitiesSection] : []),
        labels.needs,
        ...(report.needsByMunicipality.length ? [labels.needsByMunicipality] : []),
        labels.themes,
        // The voting rounds' history: every example has a revealed round.
        labels.voting,
        labels.actions,
        // The plan's work packages and objectives, where it has them.
        ...(report.packages.length ? [labels.packages] : []),
        ...(report.objectives.length ? [labels.objectives] : []),
        labels.timeline,
        labels.budget,
        labels.trace,
      ]);
      const h2 = headings(xml, 2);
      for (const theme of report.themes) expect(h2).toContain(`${theme.rank}. ${theme.title}`);

      // The title page and a table of contents field over Heading 1–2 (the appendix's actions
      // are Heading 3, so a plan of 500 actions has no 500-line contents), with the hint beneath.
      const texts = paragraphs(xml).map((p) => p.text);
      expect(texts).toContain(labels.documentTitle);
      expect(texts).toContain(report.title);
      expect(texts.some((t) => t.includes(report.dateText))).toBe(true);
      expect(xml).toMatch(/<w:instrText[^>]*>TOC [^<]*\\o &quot;1-2&quot;/);
      expect(texts).toContain(labels.tocHint);
      expect(parts['word/settings.xml']).toContain('<w:updateFields/>');

      // Every table's first row repeats as a header.
      const all = tables(xml);
      expect(all.length).toBeGreaterThan(3);
      for (const t of all) {
        const firstRow = /<w:tr(?:\s[^>]*)?>[\s\S]*?<\/w:tr>/.exec(t.xml)?.[0] ?? '';
        // The summary, the budget against its frame and the cost sharing's method are two-column
        // lists of label and value without a header row.
        const pairs = [labels.needCount, labels.budgetFrame, labels.costSharingMethod];
        if (pairs.includes(t.rows[0]?.[0] ?? '')) continue;
        expect(firstRow).toContain('<w:tblHeader/>');
      }

      // One row per action with its owner, its dates as the report shows them, and its budget.
      const rows = actionTable(xml, report);
      expect(rows[0]).toEqual([
        '#',
        labels.action,
        labels.actionThemes,
        labels.owner,
        labels.partners,
        labels.schedule,
        labels.actionBudget,
        labels.funding,
        labels.indicator,
        labels.status,
      ]);
      expect(rows).toHaveLength(report.actions.length + 2);
      report.actions.forEach((action, i) => {
        const row = rows[i + 1] ?? [];
        expect(row[0]).toBe(String(action.number));
        expect(row[1]).toContain(action.title);
        expect(row[3]).toBe(action.owner);
        expect(row[5]).toBe(action.periodText);
        expect(row[6]).toBe(action.budgetText);
        expect(row[9]).toBe(action.statusText);
      });
      expect(rows.at(-1)).toContain(report.budget.totalText);

      // The timeline: a year row above a row of months or quarters, shaded where actions run.
      const timeline = all.find((t) => t.rows[1]?.[0] === labels.action);
      expect(timeline?.rows[0]?.slice(1)).toEqual(report.timeline.years.map((y) => String(y.year)));
      expect(timeline?.rows[1]?.slice(1)).toEqual(report.timeline.columns.map((c) => c.label));
      const shaded = report.timeline.rows.flatMap((r) => r.cells).filter(Boolean).length;
      expect(timeline?.xml.match(/w:fill="4F7FD9"/g)?.length).toBe(shaded);

      // Needs by stakeholder group: every need once, its reference before its text; the
      // references are 1…n, each once.
      const allNeeds = report.needsByStakeholder.flatMap((g) => g.needs);
      const rowsOfNeeds = needRows(xml, report);
      expect(rowsOfNeeds.map((row) => row.slice(0, 4))).toEqual(
        allNeeds.map((n) => [n.ref, n.text, n.municipality, n.theme]),
      );
      const numbers = rowsOfNeeds.map((row) => Number(/\d+$/.exec(row[0] ?? '')?.[0]));
      expect(numbers.sort((a, b) => a - b)).toEqual(allNeeds.map((_, i) => i + 1));

      // Needs by municipality: one row each, the count and the references, never the texts again.
      const byMunicipality = tables(xml).find(
        (t) => t.rows[0]?.[0] === labels.municipality && t.rows[0]?.[1] === labels.needCount,
      );
      expect(byMunicipality?.rows).toEqual([
        [labels.municipality, labels.needCount, labels.needRefs],
        ...report.needsByMunicipality.map((g) => [
          g.name,
          report.format.count(g.needs.length),
          citeNeeds(g.needs, report.language),
        ]),
      ]);

      // Ranked themes: each need a bullet beginning with its reference.
      for (const theme of report.themes) {
        for (const need of theme.needs) {
          expect(texts.some((t) => t.startsWith(`${need.ref} · ${need.text}`))).toBe(true);
        }
      }

      // The trace appendix: every action, its themes, and exactly those themes' needs by reference.
      const traced = traceOf(xml, report);
      expect(traced.map(({ heading, themes }) => ({ heading, themes }))).toEqual(expectedTrace(report));
      const traceText = textOf(xml.slice(xml.lastIndexOf(`>${report.sectionTitles.trace}<`)));
      for (const need of allNeeds) expect(traceText).not.toContain(need.text);

      // The wide tables sit on landscape pages; the footer numbers the pages.
      expect(xml).toContain('w:orient="landscape"');
      const footers = Object.entries(parts).filter(([path]) => /^word\/footer\d+\.xml$/.test(path));
      const [before] = report.pageLabel.split('{page}');
      expect(
        footers.some(
          ([, f]) => /<w:instrText[^>]*>PAGE<\/w:instrText>/.test(f) && textOf(f).startsWith(before ?? ''),
        ),
      ).toBe(true);

      // Properties: title, creator and the language, in the core properties and the default run.
      const core = parts['docProps/core.xml'] ?? '';
      const locale = { fi: 'fi-FI', sv: 'sv-SE', et: 'et-EE', en: 'en-GB' }[report.language];
      expect(unescapeXml(/<dc:title>([^<]*)<\/dc:title>/.exec(core)?.[1] ?? '')).toBe(report.title);
      expect(core).toContain('<dc:creator>Talkoo</dc:creator>');
      expect(core).toContain(`<dc:language>${locale}</dc:language>`);
      expect(parts['word/styles.xml']).toContain(`<w:lang w:val="${locale}"/>`);
    });
  }

  it('writes hostile content as a document Word opens, every text kept as text', async () => {
    const report = reportOf(hostileWorkshop());
    const parts = await docxParts(report);
    // XML 1.0 forbids these; Word refuses a file that holds one. None in any part.
    const forbidden = new RegExp(
      `[${[...CONTROL_CHARACTERS].map((c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`).join('')}\\ufffe\\uffff]`,
    );
    for (const [path, text] of Object.entries(parts)) {
      expect(forbidden.test(text), path).toBe(false);
      expect(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/.test(text), path).toBe(
        false,
      );
    }
    const xml = parts['word/document.xml'] ?? '';
    const text = textOf(xml);
    expect(text).toContain('🎭');
    expect(text).toContain('👩🏽‍🎨');
    expect(text).toContain(longText(5000).trim());
    expect(text).toContain('<script>alert(1)</script>');
    // Formula-like texts are plain text: shown as typed, and no field runs them.
    for (const formula of FORMULA_LIKE) expect(text).toContain(formula);
    for (const m of xml.matchAll(/<w:instrText[^>]*>([^<]*)<\/w:instrText>/g)) {
      expect(m[1]).toMatch(/^(TOC |PAGEREF _Toc\d+ \\h)/);
    }
    expect(xml).not.toContain('<w:fldSimple');
    // Control characters became spaces and line breaks, never dropped.
    expect(text).toContain(`Tarve${' '.repeat(8)}\n`);
    expect(text).toContain('Kuvaus\njatkuu\nrivillä');
    // Still every section, and every action's row (the one without an owner shows the placeholder).
    const { labels } = report;
    expect(headings(xml, 1)).toEqual([
      labels.summary,
      // Its needs are tagged with municipalities: the heat table.
      labels.municipalitiesSection,
      labels.needs,
      labels.needsByMunicipality,
      labels.themes,
      labels.voting,
      labels.actions,
      labels.timeline,
      labels.budget,
      labels.trace,
    ]);
    const rows = actionTable(xml, report);
    expect(rows).toHaveLength(report.actions.length + 2);
    expect(rows[2]?.[3]).toBe(labels.notSet);
    expect(rows[2]?.[5]).toBe(labels.noDates);
    // The trace cites the right needs even here; an action without themes says so, and a theme
    // without needs too.
    const traced = traceOf(xml, report);
    expect(traced.map(({ heading, themes }) => ({ heading, themes }))).toEqual(expectedTrace(report));
    expect(traced.flatMap((a) => a.lines)).toContain(labels.noThemes);
    // The theme without needs says so under its heading.
    const emptyTheme = report.themes.find((t) => t.needs.length === 0);
    expect(emptyTheme).toBeDefined();
    const themeParas = paragraphs(xml).map((p) => p.text);
    const at = themeParas.indexOf(`${emptyTheme?.rank}. ${emptyTheme?.title}`);
    expect(themeParas.slice(at, at + 3)).toContain(labels.noNeeds);
    expect(
      unescapeXml(/<dc:title>([^<]*)<\/dc:title>/.exec(parts['docProps/core.xml'] ?? '')?.[1] ?? ''),
    ).toBe(report.title);

    // An action linked to that theme: the appendix says the theme has no needs, cites none.
    const hostile = hostileWorkshop();
    const linked = reportOf({
      ...hostile,
      actions: hostile.actions.map((a, i) =>
        i === 0 ? { ...a, themeIds: [...a.themeIds, emptyTheme?.id ?? ''] } : a,
      ),
    } as Workshop);
    const linkedTrace = traceOf((await docxParts(linked))['word/document.xml'] ?? '', linked);
    expect(linkedTrace.map(({ heading, themes }) => ({ heading, themes }))).toEqual(expectedTrace(linked));
    expect(linkedTrace[0]?.themes.at(-1)).toEqual({
      title: `${labels.theme}: ${emptyTheme?.title}`,
      needs: labels.noNeeds,
    });
  });

  it('follows the options: no votes column when votes are hidden, only the sections chosen', async () => {
    const { workshop } = exampleWorkshops()[0] ?? { workshop: hostileWorkshop() };
    const hidden = reportOf(workshop, { showVotes: false, showAuthors: true });
    const xml = (await docxParts(hidden))['word/document.xml'] ?? '';
    const headerCells = tables(xml).flatMap((t) => t.rows[0] ?? []);
    expect(headerCells).not.toContain(hidden.labels.votes);
    expect(headerCells).toContain(hidden.labels.author);
    expect(headings(xml, 1)).toContain(hidden.labels.themesNoVotes);
    expect(textOf(xml)).not.toContain(`${hidden.labels.votes}:`);

    const shown = reportOf(workshop);
    const shownXml = (await docxParts(shown))['word/document.xml'] ?? '';
    expect(tables(shownXml).flatMap((t) => t.rows[0] ?? [])).toContain(shown.labels.votes);
    expect(tables(shownXml).flatMap((t) => t.rows[0] ?? [])).not.toContain(shown.labels.author);

    const some = reportOf(workshop, { sections: ['summary', 'trace'] });
    const someXml = (await docxParts(some))['word/document.xml'] ?? '';
    expect(headings(someXml, 1)).toEqual([some.labels.summary, some.labels.trace]);
    expect(someXml).not.toContain('w:orient="landscape"');
    expect(tables(someXml).some((t) => t.rows[0]?.includes(some.labels.indicator))).toBe(false);

    const wide = reportOf(workshop, { sections: ['actions'] });
    const wideXml = (await docxParts(wide))['word/document.xml'] ?? '';
    expect(headings(wideXml, 1)).toEqual([wide.labels.actions]);
    expect(wideXml).toContain('w:orient="landscape"');
  });
});

describe('the plan in the Word document', () => {
  const nb = (text: string): string => text.replace(/[\u00a0\u202f]/g, ' ');
  /** The action table (the baselines' indicator tables share its "indicator" heading). */
  const actionsOf = (xml: string, report: Report): string[][] =>
    tables(xml).find((t) => t.rows[0]?.includes(report.labels.funding))?.rows ?? [];

  it('shows the funding split, the work packages, the objectives, the baselines and the cost sharing', async () => {
    const report = reportOf(planWorkshop());
    const { labels } = report;
    const xml = (await docxParts(report))['word/document.xml'] ?? '';
    expect(headings(xml, 1)).toEqual([
      labels.summary,
      labels.municipalitiesSection,
      labels.needs,
      labels.needsByMunicipality,
      labels.themes,
      labels.voting,
      labels.actions,
      labels.packages,
      labels.objectives,
      labels.timeline,
      labels.budget,
      labels.trace,
    ]);
    const all = tables(xml).map((t) => t.rows.map((row) => row.map(nb)));
    // The action's funding cell: a line per source with its amount and share.
    const actions = actionsOf(xml, report).map((row) => row.map(nb));
    expect(actions[1]).toContain(
      'Opetus- ja kulttuuriministeriö: 160 000,00 € (80 %)Kunnat: 40 000,00 € (20 %)',
    );
    expect(actions[1]?.[1]).toContain('Työpaketti: TP1 Kulttuuri kouluissa');
    expect(actions[1]?.[1]).toContain('Tavoitteet: Kulttuurihyvinvointi kaikille');
    expect(actions[1]?.at(-1)).toBe('Kokeilu');
    const packages = all.find((t) => t[0]?.[0] === labels.package && t[0]?.[1] === labels.owner);
    expect(packages?.slice(1)).toEqual([
      [
        'TP1 Kulttuuri kouluissa',
        'Mikkelin kaupunki',
        'elokuu 2026 – kesäkuu 2027',
        '200 000,00 €',
        '1. Kulttuurikortti koululaisille',
      ],
      [
        'TP2 Tapahtumat',
        'Savonlinnan kaupunki',
        'kesäkuu 2027 – elokuu 2027',
        '150 000,00 €',
        '2. Yhteinen kesäfestivaali',
      ],
      [labels.total, '350 000,00 €', ''],
    ]);
    const objectives = all.find((t) => t[0]?.[0] === labels.objective);
    expect(objectives?.slice(1)).toEqual([
      ['Kulttuurihyvinvointi kaikille', 'Hyvinvointi', '1. Kulttuurikortti koululaisille'],
      ['Elinvoimainen keskusta', 'Talous', labels.noActions],
    ]);
    const sharing = all.find((t) => t[0]?.[0] === labels.municipality && t[0]?.[1] === labels.amount);
    expect(sharing?.slice(1)).toEqual([
      ['Mikkeli', '36 400,00 €', '52 %'],
      ['Savonlinna', '22 400,00 €', '32 %'],
      ['Pieksämäki', '11 200,00 €', '16 %'],
      [labels.costSharingTotal, '70 000,00 €', ''],
    ]);
    const text = nb(textOf(xml));
    expect(text).toContain('475 000,00 € – 525 000,00 €');
    expect(text).toContain('Kulttuuripalvelut keskittyvät keskustaan.');
  });

  it('limited to one work package, is titled for it and holds only its actions', async () => {
    const report = reportOf(planWorkshop(), { scope: { kind: 'package', packageId: 'wp-events' } });
    const parts = await docxParts(report);
    const texts = paragraphs(parts['word/document.xml'] ?? '').map((p) => p.text);
    expect(texts).toContain('Elinvoimaa kulttuurista – Työpaketti: TP2 Tapahtumat');
    expect(parts['docProps/core.xml']).toContain(
      '<dc:title>Elinvoimaa kulttuurista – Työpaketti: TP2 Tapahtumat</dc:title>',
    );
    const rows = actionsOf(parts['word/document.xml'] ?? '', report);
    expect(rows.slice(1, -1).map((row) => row[1])).toEqual([
      'Yhteinen kesäfestivaaliTyöpaketti: TP2 Tapahtumat',
    ]);
  });
});
