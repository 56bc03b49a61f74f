/**
 * The voting rounds' history in the action plan: every revealed round with its ranked result
 * (ties share a rank), never an open round's secret dots; the same in Markdown, HTML (the PDF),
 * DOCX and XLSX, in the report's language.
 */
import { strFromU8, unzipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import type * as Y from 'yjs';
import type { NoteId, ParticipantId, RoundId } from '../ids';
import { readWorkshop } from '../model/read';
import type { Workshop } from '../model/schema';
import { openVoteRound, setRoundState, setVote } from '../model/write';
import { writeDocx } from './docx';
import { writeHtml } from './html';
import { writeMarkdown } from './markdown';
import { buildReport, defaultReportOptions, REPORT_SECTIONS, type Report, type ReportOptions } from './model';
import { exampleDoc } from './sample-workshops';
import { writeXlsx } from './xlsx';

const DATE = '2026-12-06';
const ANNA = 'anna' as ParticipantId;
const BO = 'bo' as ParticipantId;

/** The English example with two rounds of our own on its needs: one revealed, one still open. */
function votedWorkshop(): { doc: Y.Doc; workshop: Workshop; needs: { id: NoteId; text: string }[] } {
  const doc = exampleDoc('example-culture-network-en');
  const needs = readWorkshop(doc).notes.slice(0, 3);
  const [a, b, c] = needs as [(typeof needs)[0], (typeof needs)[0], (typeof needs)[0]];
  const revealed = openVoteRound(doc, { target: 'notes', dotsPerPerson: 3, id: 'r-revealed' as RoundId });
  // a: 2, b: 1, c: 1 (b and c share rank 2).
  setVote(doc, revealed, ANNA, a.id, 1);
  setVote(doc, revealed, BO, a.id, 1);
  setVote(doc, revealed, ANNA, b.id, 1);
  setVote(doc, revealed, BO, c.id, 1);
  setRoundState(doc, revealed, 'revealed', Date.UTC(2026, 11, 6, 10));
  const open = openVoteRound(doc, { target: 'notes', dotsPerPerson: 5, id: 'r-open' as RoundId });
  setVote(doc, open, ANNA, c.id, 5);
  return { doc, workshop: readWorkshop(doc), needs: [a, b, c] };
}

function reportOf(workshop: Workshop, options: Partial<ReportOptions> = {}): Report {
  return buildReport(workshop, { ...defaultReportOptions(workshop, DATE), ...options });
}

describe('voting rounds in the report', () => {
  it('lists every revealed round with its ranked result, tied items sharing a rank', () => {
    const { workshop, needs } = votedWorkshop();
    const [a, b, c] = needs as [(typeof needs)[0], (typeof needs)[0], (typeof needs)[0]];
    const report = reportOf(workshop);
    expect(REPORT_SECTIONS).toContain('voting');
    expect(report.sections).toContain('voting');
    expect(report.sectionTitles.voting).toBe('Voting rounds');
    // The example's own round, then ours; the open round is not there.
    expect(report.rounds.map((r) => r.title)).toEqual(['Round 1: Needs', 'Round 2: Needs']);
    const ours = report.rounds[1]!;
    expect(ours.totalDots).toBe(4);
    expect(ours.dotsPerPersonText).toBe('3');
    expect(ours.maxPerItemText).toBe('No limit');
    expect(ours.results.map((r) => [r.rank, r.count])).toEqual([
      [1, 2],
      [2, 1],
      [2, 1],
    ]);
    expect(ours.results[0]!.text).toBe(a.text);
    expect(new Set(ours.results.slice(1).map((r) => r.text))).toEqual(new Set([b.text, c.text]));
    // A need carries its number in the report, as everywhere else in it.
    const need = report.needsByStakeholder.flatMap((g) => g.needs).find((n) => n.id === a.id)!;
    expect(ours.results[0]!.ref).toBe(need.ref);
  });

  it('never shows an open round, and leaves the section out when votes are not shown', () => {
    const { workshop } = votedWorkshop();
    const report = reportOf(workshop);
    // Round 3 is open: its five dots on one need are nowhere in the report.
    expect(report.rounds.map((r) => r.number)).toEqual([1, 2]);
    expect(writeMarkdown(report)).not.toContain('Round 3');
    const hidden = reportOf(workshop, { showVotes: false });
    expect(hidden.sections).not.toContain('voting');
    expect(writeMarkdown(hidden)).not.toContain('Voting rounds');
  });

  it('is said in the report’s language', () => {
    const { workshop } = votedWorkshop();
    expect(reportOf(workshop, { language: 'fi' }).rounds[1]!.title).toBe('Kierros 2: Tarpeista');
    expect(reportOf(workshop, { language: 'sv' }).sectionTitles.voting).toBe('Röstningsomgångar');
    expect(reportOf(workshop, { language: 'et' }).sectionTitles.voting).toBe('Hääletusvoorud');
  });

  it('is written by every writer: Markdown, HTML (the PDF), DOCX and XLSX', async () => {
    const { workshop, needs } = votedWorkshop();
    const a = needs[0]!;
    const report = reportOf(workshop);
    const ref = report.rounds[1]!.results[0]!.ref;

    const markdown = writeMarkdown(report);
    expect(markdown).toContain('## Voting rounds');
    expect(markdown).toContain('### Round 2: Needs');
    expect(markdown).toMatch(/\| 1 \| .*Baseline analysis of each town.* \| 2 \|/);

    const html = writeHtml(report);
    expect(html).toContain('<section id="voting"');
    expect(html).toContain('<caption>Round 2: Needs</caption>');
    expect(html).toMatch(new RegExp(`<td class="num">1</td><td>${ref} `));

    const docx = unzipSync(await writeDocx(report));
    const body = strFromU8(docx['word/document.xml']!);
    expect(body).toContain('Voting rounds');
    expect(body).toContain('Round 2: Needs');
    expect(body).toContain(a.text.slice(0, 30));

    const xlsx = unzipSync(await writeXlsx(report));
    expect(strFromU8(xlsx['xl/workbook.xml']!)).toContain('name="Voting rounds"');
    const strings = strFromU8(xlsx['xl/sharedStrings.xml']!);
    expect(strings).toContain('Round 2: Needs');
    expect(strings).toContain(a.text.slice(0, 30));
  });
});
