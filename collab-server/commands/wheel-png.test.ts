// The annual wheel in a .docx written by the command line: headless Chromium draws the wheel's
// SVG as a PNG, which the .docx embeds.
import { unzipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { addRecurring } from '../../shared/model/plan';
import { readWorkshop } from '../../shared/model/read';
import { addAction, createWorkshop } from '../../shared/model/write';
import { withReportWheel } from '../../shared/plan/wheel-report';
import { writeReportFiles } from '../../shared/report/export';
import { buildReport, defaultReportOptions } from '../../shared/report/model';
import { withWheelPng } from './wheel-png';

function report() {
  const doc = new Y.Doc();
  createWorkshop(doc, {
    title: 'Annual plan',
    language: 'en',
    boardTitles: { needs: 'Needs', themes: 'Themes', actions: 'Actions' },
  });
  addAction(doc, { title: 'Library week', start: '2026-03', end: '2026-05' });
  addRecurring(doc, { title: 'Culture festival', months: [10] });
  const workshop = readWorkshop(doc);
  const options = defaultReportOptions(workshop, '2026-12-06');
  return withReportWheel(buildReport(workshop, options), workshop, options);
}

describe('the wheel in a .docx from the command line', () => {
  it('is a PNG of the wheel at twice its size, embedded in the document', async () => {
    const withPng = await withWheelPng(report());
    const png = withPng.wheel?.png;
    expect(png).toBeInstanceOf(Uint8Array);
    expect([...png!.subarray(1, 4)].map((c) => String.fromCharCode(c)).join('')).toBe('PNG');
    // The IHDR chunk's width, big-endian at byte 16.
    const width = new DataView(png!.buffer, png!.byteOffset).getUint32(16);
    expect(width).toBe(withPng.wheel!.width * 2);
    const [docx] = await writeReportFiles(withPng, 'docx', 'plan');
    const media = Object.keys(unzipSync(docx!.bytes)).filter((name) => name.startsWith('word/media/'));
    expect(media).toHaveLength(1);
  }, 60_000);

  it('leaves a report without a wheel as it is', async () => {
    const plain = { ...report(), wheel: null };
    expect(await withWheelPng(plain)).toBe(plain);
  });
});
