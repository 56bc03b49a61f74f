import { describe, expect, it } from 'vitest';
import { csvStakeholders, parseNotesCsv } from './csv';

const lanes = ['Kuntien kulttuurityöntekijät', 'Kuntalaiset ja yhdistykset'];

describe('notes from CSV', () => {
  it('reads a header row in Finnish, semicolons and quoted fields with separators and line breaks', () => {
    const csv =
      '\uFEFFteksti;sidosryhmä;kunta\n' +
      'Yhteinen tapahtumakalenteri;Kuntien kulttuurityöntekijät;Mikkeli\n' +
      '"Tilat; koulujen ja kirjastojen ""iltakäyttö""";kuntalaiset ja yhdistykset;\n' +
      '"Kaksi\nriviä";;Juva\n';
    expect(parseNotesCsv(csv, lanes)).toEqual({
      notes: [
        {
          line: 2,
          text: 'Yhteinen tapahtumakalenteri',
          stakeholder: 'Kuntien kulttuurityöntekijät',
          municipality: 'Mikkeli',
        },
        {
          line: 3,
          text: 'Tilat; koulujen ja kirjastojen "iltakäyttö"',
          stakeholder: 'Kuntalaiset ja yhdistykset',
          municipality: '',
        },
        { line: 4, text: 'Kaksi\nriviä', stakeholder: '', municipality: 'Juva' },
      ],
      problems: [],
    });
  });

  it('takes columns in order without a header, and any column order with one', () => {
    expect(parseNotesCsv('A need,Kuntalaiset ja yhdistykset,Juva', lanes).notes).toEqual([
      { line: 1, text: 'A need', stakeholder: 'Kuntalaiset ja yhdistykset', municipality: 'Juva' },
    ]);
    expect(parseNotesCsv('municipality,text\nJuva,A need\n', lanes).notes).toEqual([
      { line: 2, text: 'A need', stakeholder: '', municipality: 'Juva' },
    ]);
  });

  it('reports each bad row with its line number and keeps the good ones', () => {
    const csv =
      'text,stakeholder,municipality\nGood one,,\n,Kuntalaiset ja yhdistykset,\nTypo,Kuntalaiset,\nAnother good,,Juva\n';
    expect(parseNotesCsv(csv, lanes)).toEqual({
      notes: [
        { line: 2, text: 'Good one', stakeholder: '', municipality: '' },
        { line: 5, text: 'Another good', stakeholder: '', municipality: 'Juva' },
      ],
      problems: [
        { line: 3, kind: 'empty-text' },
        { line: 4, kind: 'unknown-stakeholder', detail: 'Kuntalaiset' },
      ],
    });
  });

  it('reports an unclosed quote and an empty file', () => {
    expect(parseNotesCsv('text\n"never closed,x\n', lanes).problems).toEqual([
      { line: 2, kind: 'unclosed-quote' },
    ]);
    expect(parseNotesCsv('\n \n', lanes)).toEqual({
      notes: [],
      problems: [{ line: 1, kind: 'no-rows' }],
    });
  });

  it('names the groups a file uses, in order, once each, however long, as the lanes of a new workshop', () => {
    const long = `Kulttuurihyvinvoinnin ja kuntien välisen yhteistyön alueellinen verkosto ${'x'.repeat(40)}`;
    const csv =
      'teksti;sidosryhmä;kunta\n' +
      `Tarve 1;${long};Mikkeli\n` +
      'Tarve 2;Kuntalaiset;\n' +
      `Tarve 3;${long.toUpperCase()};\n` +
      'Tarve 4;;Juva\n' +
      `Tarve 5;${'y'.repeat(201)};\n`;
    const groups = csvStakeholders(csv);
    expect(groups).toEqual([long, 'Kuntalaiset']);
    const preview = parseNotesCsv(csv, groups);
    expect(preview.notes.map((n) => n.stakeholder)).toEqual([long, 'Kuntalaiset', long, '']);
    // A name longer than a lane title may be is no lane: its row is reported.
    expect(preview.problems).toEqual([{ line: 6, kind: 'unknown-stakeholder', detail: 'y'.repeat(60) }]);
  });
});

describe('a file that is not CSV text', () => {
  /** What `File.text()` makes of `bytes`: UTF-8, each invalid sequence a U+FFFD. */
  const decoded = (bytes: number[]): string => new TextDecoder().decode(new Uint8Array(bytes));

  it('is refused whole when it holds NUL bytes (an image, a spreadsheet saved as .xlsx)', () => {
    const png = decoded([
      0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d, 0x49, 0x48, 0x44, 0x52,
    ]);
    expect(parseNotesCsv(png, lanes)).toEqual({ notes: [], problems: [{ line: 1, kind: 'binary' }] });
  });

  it('is refused whole when it is mostly control characters or invalid UTF-8', () => {
    const noise = decoded(Array.from({ length: 4096 }, (_, i) => ((i * 7919 + 13) % 255) + 1));
    expect(parseNotesCsv(noise, lanes)).toEqual({ notes: [], problems: [{ line: 1, kind: 'binary' }] });
    const controls = '\u0001\u0002\u0003a\u0004\u0005\u0006b\u0007\u0008\u000b\u000c\n'.repeat(20);
    expect(parseNotesCsv(controls, lanes).problems).toEqual([{ line: 1, kind: 'binary' }]);
  });

  it('says a text file in another encoding (Latin-1 from old Excel) is not UTF-8', () => {
    // "Yhteinen säätiö" in Windows-1252: each ä and ö an invalid UTF-8 byte.
    const ascii = (text: string): number[] => [...text].map((c) => c.charCodeAt(0));
    const latin1 = decoded([
      ...ascii('teksti;kunta\nYhteinen s'),
      ...[0xe4, 0xe4, 0x74, 0x69, 0xf6],
      ...ascii(' kulttuurille;Mikkeli\n'),
    ]);
    expect(parseNotesCsv(latin1, lanes)).toEqual({ notes: [], problems: [{ line: 1, kind: 'not-utf8' }] });
  });

  it('still reads ordinary text with tabs and Windows line ends', () => {
    expect(parseNotesCsv('Yksi\tKuntien kulttuurityöntekijät\r\nKaksi\t\r\n', lanes).notes).toHaveLength(2);
  });
});
