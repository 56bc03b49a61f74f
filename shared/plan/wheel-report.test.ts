/**
 * The annual wheel in the exports: the year a report's wheel shows, its words in the report's
 * language, and the SVG the HTML/PDF writers embed (the DOCX embeds a PNG made from it).
 */
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { addRecurring, setWheelStart } from '../model/plan';
import { readWorkshop } from '../model/read';
import { addAction, createWorkshop } from '../model/write';
import { buildReport, defaultReportOptions } from '../report/model';
import { writeHtml } from '../report/html';
import { createWheelWords, reportWheel, wheelYear, withReportWheel } from './wheel-report';

function workshop(language: 'fi' | 'en' = 'fi') {
  const doc = new Y.Doc();
  createWorkshop(doc, {
    title: 'Vuosisuunnitelma',
    language,
    boardTitles: { needs: 'Tarpeet', themes: 'Teemat', actions: 'Toimenpiteet' },
  });
  return doc;
}

describe('the year a wheel shows', () => {
  const actions = [
    { start: '2026-03', end: '2026-05' },
    { start: '2027-09', end: '2028-02' },
  ];
  it('is today’s year when the plan has actions in it', () => {
    expect(wheelYear(actions, 1, '2027-11')).toBe(2027);
  });
  it('is the plan’s nearest year when today is outside it', () => {
    expect(wheelYear(actions, 1, '2024-01')).toBe(2026);
    expect(wheelYear(actions, 1, '2031-01')).toBe(2028);
  });
  it('counts years from the wheel’s first month', () => {
    expect(wheelYear(actions, 8, '2026-07')).toBe(2025);
  });
});

describe('the wheel’s words', () => {
  const words = createWheelWords('fi-FI', (s) => s);
  it('say an action’s months in the language, the year once when it is the same', () => {
    expect(words.span('2026-03', '2026-05')).toBe('maaliskuu – toukokuu 2026');
    expect(words.span('2026-11', '2027-02')).toBe('marraskuu 2026 – helmikuu 2027');
    expect(words.span('2026-03', '2026-03')).toBe('maaliskuu 2026');
  });
  it('list recurring months', () => {
    expect(words.months([1, 10])).toBe('tammikuu ja lokakuu');
  });
});

describe('the wheel in a report', () => {
  it('is an SVG with the actions and recurring items, named in the report’s language', () => {
    const doc = workshop();
    addAction(doc, { title: 'Kirjastoviikko', start: '2026-03', end: '2026-05' });
    addRecurring(doc, { title: 'Kulttuurifestivaali', months: [10] });
    setWheelStart(doc, 8);
    const wheel = reportWheel(readWorkshop(doc), { language: 'fi', date: '2026-12-06', scope: null })!;
    expect(wheel.svg).toContain('Kirjastoviikko, maaliskuu – toukokuu 2026');
    expect(wheel.svg).toContain('Kulttuurifestivaali, joka vuosi: lokakuu');
    expect(wheel.svg).toContain('>elokuu<');
    expect(wheel.svg).toContain('2025–2026');
    expect(wheel.alt).toContain('Vuosisuunnitelma');
    expect(wheel.png).toBeNull();
    expect(wheel.width).toBeGreaterThan(0);
    expect(wheel.height).toBeGreaterThan(wheel.width);
  });

  it('goes into the report’s slot, which the HTML writer shows with the timeline', () => {
    const doc = workshop('en');
    addAction(doc, { title: 'Library week', start: '2026-03', end: '2026-05' });
    const shown = readWorkshop(doc);
    const options = defaultReportOptions(shown, '2026-12-06');
    const html = writeHtml(withReportWheel(buildReport(shown, options), shown, options));
    expect(html).toContain('<figure class="wheel"');
    expect(html).toContain('Library week, March – May 2026');
  });

  it('is left out when the plan has nothing to put on it', () => {
    const doc = workshop();
    addAction(doc, { title: 'Ilman kuukausia' });
    expect(reportWheel(readWorkshop(doc), { language: 'fi', date: '2026-12-06', scope: null })).toBeNull();
  });
});
