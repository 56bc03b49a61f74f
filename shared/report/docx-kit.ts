/**
 * The building blocks of the Word writer: page geometry, named paragraph styles, runs that keep a
 * text's line breaks and tabs, and fixed-layout tables. Everything a coordinator may want to
 * restyle is a named style (Word's Styles pane), not formatting typed onto each run; tables use
 * fixed column widths so a long Finnish or Estonian word wraps inside its cell instead of pushing
 * the table off the page.
 */
import {
  AlignmentType,
  BorderStyle,
  HeadingLevel,
  LineRuleType,
  Paragraph,
  ShadingType,
  Tab,
  Table,
  TableCell,
  TableLayoutType,
  TableRow,
  TextRun,
  VerticalAlignTable,
  WidthType,
  type IParagraphStyleOptions,
  type IStylesOptions,
} from 'docx';

/**
 * A4 in twips (twentieths of a point), and the margins: 2 cm, but 1.5 cm at the sides of a
 * landscape page, whose wide tables need the room.
 */
export const PAGE = { width: 11906, height: 16838, margin: 1134, landscapeSide: 851 } as const;

/** The width text may take on a portrait page and on a landscape one, in twips. */
export const TEXT_WIDTH = {
  portrait: PAGE.width - 2 * PAGE.margin,
  landscape: PAGE.height - 2 * PAGE.landscapeSide,
} as const;

/** Colours (hex without `#`): Talkoo's accent, and the quiet greys of rules and notes. */
export const COLOURS = {
  accent: '1D5FD1',
  heading: '173F8A',
  muted: '5F6368',
  border: 'BFC5CD',
  headerFill: 'E8EEF7',
  totalFill: 'F3F5F8',
  bar: '4F7FD9',
} as const;

/** Ids of the document's own paragraph styles (besides Word's built-in headings and title). */
export const STYLES = {
  tableText: 'TableText',
  tableHeading: 'TableHeading',
  note: 'Note',
  coverLabel: 'CoverLabel',
  coverDetail: 'CoverDetail',
  coverNote: 'CoverNote',
  contentsHeading: 'ContentsHeading',
  footer: 'Footer',
  traceTheme: 'TraceTheme',
  traceNeeds: 'TraceNeeds',
} as const;

/** Body font: Calibri in Word; LibreOffice substitutes a metric-compatible one where it has it. */
const FONT = 'Calibri';

function paragraphStyle(
  id: string,
  name: string,
  run: NonNullable<IParagraphStyleOptions['run']>,
  paragraph: NonNullable<IParagraphStyleOptions['paragraph']> = {},
): IParagraphStyleOptions {
  return { id, name, basedOn: 'Normal', next: 'Normal', quickFormat: true, run, paragraph };
}

/** The document's styles: 10.5 pt body, Word's Heading 1–3 and Title restyled, and ours. */
export function documentStyles(locale: string): IStylesOptions {
  const heading = (size: number, before: number, colour: string) => ({
    run: { font: FONT, size, bold: true, color: colour },
    paragraph: {
      spacing: { before, after: 120, line: 240, lineRule: LineRuleType.AUTO },
      keepNext: true,
      keepLines: true,
    },
  });
  return {
    default: {
      document: {
        run: { font: FONT, size: 21, language: { value: locale } },
        paragraph: { spacing: { after: 120, line: 264, lineRule: LineRuleType.AUTO } },
      },
      title: {
        run: { font: FONT, size: 52, bold: true, color: COLOURS.heading },
        paragraph: {
          spacing: { before: 120, after: 480, line: 240, lineRule: LineRuleType.AUTO },
          border: { bottom: { style: BorderStyle.SINGLE, size: 12, color: COLOURS.accent, space: 12 } },
        },
      },
      heading1: heading(32, 360, COLOURS.heading),
      heading2: heading(26, 280, COLOURS.heading),
      heading3: heading(23, 200, COLOURS.heading),
      listParagraph: { paragraph: { spacing: { after: 60 } } },
    },
    paragraphStyles: [
      paragraphStyle(
        STYLES.tableText,
        'Table Text',
        { size: 18 },
        { spacing: { after: 0, line: 240, lineRule: LineRuleType.AUTO } },
      ),
      paragraphStyle(
        STYLES.tableHeading,
        'Table Heading',
        { size: 18, bold: true },
        { spacing: { after: 0, line: 240, lineRule: LineRuleType.AUTO }, keepNext: true },
      ),
      paragraphStyle(
        STYLES.note,
        'Note',
        { size: 18, color: COLOURS.muted },
        { spacing: { before: 80, after: 160 } },
      ),
      paragraphStyle(
        STYLES.coverLabel,
        'Cover Label',
        { size: 28, color: COLOURS.accent, bold: true, allCaps: true, characterSpacing: 20 },
        { spacing: { before: 2400, after: 120 } },
      ),
      paragraphStyle(STYLES.coverDetail, 'Cover Detail', { size: 24 }, { spacing: { after: 80 } }),
      paragraphStyle(
        STYLES.coverNote,
        'Cover Note',
        { size: 18, color: COLOURS.muted },
        { spacing: { before: 480 } },
      ),
      paragraphStyle(
        STYLES.contentsHeading,
        'Contents Heading',
        { size: 32, bold: true, color: COLOURS.heading },
        { spacing: { before: 0, after: 240 } },
      ),
      paragraphStyle(STYLES.footer, 'Footer', { size: 16, color: COLOURS.muted }, { spacing: { after: 0 } }),
      paragraphStyle(
        STYLES.traceTheme,
        'Trace Theme',
        { bold: true, color: COLOURS.heading },
        { spacing: { before: 160, after: 60 }, keepNext: true },
      ),
      paragraphStyle(STYLES.traceNeeds, 'Trace Needs', {}, { spacing: { after: 60 } }),
    ],
  };
}

/** Formatting a run may add to its style. */
export type RunLook = { readonly bold?: boolean; readonly color?: string; readonly size?: number };

/**
 * Runs that show `text` as typed: its line breaks become Word line breaks and its tabs Word tabs
 * (the model already turned every other control character into one of these or a space).
 */
export function textRuns(text: string, look: RunLook = {}): TextRun[] {
  return text.split('\n').map(
    (line, i) =>
      new TextRun({
        ...look,
        break: i > 0 ? 1 : undefined,
        children: line.split('\t').flatMap((part, j) => (j > 0 ? [new Tab(), part] : [part])),
      }),
  );
}

/** Options of {@link para}. */
export type ParaOptions = RunLook & {
  readonly style?: string;
  readonly align?: 'left' | 'right' | 'center';
  readonly keepNext?: boolean;
  readonly pageBreakBefore?: boolean;
  readonly bullet?: boolean;
};

const ALIGN = { left: AlignmentType.LEFT, right: AlignmentType.RIGHT, center: AlignmentType.CENTER };

/** One paragraph of `text` (or of runs already made). */
export function para(text: string | readonly TextRun[], options: ParaOptions = {}): Paragraph {
  const { style, align, keepNext, pageBreakBefore, bullet, ...look } = options;
  return new Paragraph({
    style,
    alignment: align ? ALIGN[align] : undefined,
    keepNext,
    pageBreakBefore,
    bullet: bullet ? { level: 0 } : undefined,
    children: typeof text === 'string' ? textRuns(text, look) : text,
  });
}

/** A Word heading, level 1–3: Word's own Heading styles, so the navigation pane and TOC see it. */
export function heading(text: string, level: 1 | 2 | 3, pageBreakBefore = false): Paragraph {
  const levels = { 1: HeadingLevel.HEADING_1, 2: HeadingLevel.HEADING_2, 3: HeadingLevel.HEADING_3 };
  return new Paragraph({ heading: levels[level], pageBreakBefore, children: textRuns(text) });
}

/** A table column: its header, its share of the width, and how its cells align. */
export type Column = {
  readonly header: string;
  /** Relative width; the columns share the table's width in proportion. */
  readonly weight: number;
  readonly align?: 'left' | 'right' | 'center';
};

/** A cell: a text, paragraphs made by the caller, or a shaded empty cell (timeline bars). */
export type Cell =
  | string
  | { readonly paragraphs: readonly Paragraph[]; readonly chars: number }
  | { readonly fill: string }
  | {
      readonly text: string;
      readonly span: number;
      readonly muted?: boolean;
      readonly bold?: boolean;
      readonly align?: 'left' | 'right' | 'center';
      /** A background (hex), e.g. a heat table's shade. */
      readonly fill?: string;
    };

const BORDER = { style: BorderStyle.SINGLE, size: 4, color: COLOURS.border };
const BORDERS = {
  top: BORDER,
  bottom: BORDER,
  left: BORDER,
  right: BORDER,
  insideHorizontal: BORDER,
  insideVertical: BORDER,
};
const CELL_MARGINS = { top: 40, bottom: 40, left: 90, right: 90 };
const TIGHT_MARGINS = { top: 30, bottom: 30, left: 20, right: 20 };

/** Widths in twips of columns sharing `total` by weight; the last takes the rounding. */
export function columnWidths(weights: readonly number[], total: number): number[] {
  const sum = weights.reduce((a, b) => a + b, 0) || 1;
  const widths = weights.map((w) => Math.floor((w / sum) * total));
  const used = widths.reduce((a, b) => a + b, 0);
  if (widths.length) widths[widths.length - 1] = (widths.at(-1) ?? 0) + total - used;
  return widths;
}

/**
 * A cell that may stand in many rows of one table: its XML is prepared once and then written
 * wherever it stands. Large tables repeat the same cells over and over (a timeline's empty and
 * shaded months, a municipality, a theme, a status, a vote count), and the docx package's
 * per-element object tree is most of the Word export's time.
 */
class SharedCell extends TableCell {
  private xml: ReturnType<TableCell['prepForXml']> | undefined;

  override prepForXml(context: Parameters<TableCell['prepForXml']>[0]): ReturnType<TableCell['prepForXml']> {
    this.xml ??= super.prepForXml(context);
    return this.xml;
  }
}

function tableCell(cell: Cell, width: number, align: ParaOptions['align'], shade?: string): TableCell {
  // Margins are the table's (one setting for Word's Table Properties, and less XML per cell).
  const base = { width: { size: width, type: WidthType.DXA } };
  if (typeof cell === 'string') {
    return new SharedCell({
      ...base,
      shading: shade ? { type: ShadingType.CLEAR, color: 'auto', fill: shade } : undefined,
      children: [para(cell, { style: STYLES.tableText, align })],
    });
  }
  if ('paragraphs' in cell) {
    return new TableCell({
      ...base,
      shading: shade ? { type: ShadingType.CLEAR, color: 'auto', fill: shade } : undefined,
      children: [...cell.paragraphs],
    });
  }
  if ('fill' in cell && !('text' in cell)) {
    return new SharedCell({
      ...base,
      shading: { type: ShadingType.CLEAR, color: 'auto', fill: cell.fill },
      children: [para('', { style: STYLES.tableText })],
    });
  }
  return new TableCell({
    ...base,
    columnSpan: cell.span > 1 ? cell.span : undefined,
    shading:
      (cell.fill ?? shade) ? { type: ShadingType.CLEAR, color: 'auto', fill: cell.fill ?? shade } : undefined,
    children: [
      para(cell.text, {
        style: STYLES.tableText,
        align: cell.align ?? align,
        bold: cell.bold,
        color: cell.muted ? COLOURS.muted : undefined,
      }),
    ],
  });
}

/** Options of {@link table}. */
export type TableOptions = {
  /** Rows above the column headers (e.g. the timeline's years); they repeat with them. */
  readonly headRows?: readonly TableRow[];
  /** A last row set off as a total (shaded, bold). */
  readonly totalRow?: readonly Cell[];
  /** False for a table of label–value pairs, which has no header row. */
  readonly header?: boolean;
};

/** Options of {@link headerCell}. */
export type HeaderCellOptions = {
  readonly span?: number;
  readonly align?: ParaOptions['align'];
  /** Text size in half-points, smaller than the style's where many narrow columns must fit. */
  readonly size?: number;
  /** Narrower side margins, for narrow columns. */
  readonly tight?: boolean;
};

/** A shaded header cell of `text` `width` twips wide, as in {@link table}'s header rows. */
export function headerCell(text: string, width: number, options: HeaderCellOptions = {}): TableCell {
  const span = options.span ?? 1;
  return new TableCell({
    width: { size: width, type: WidthType.DXA },
    margins: options.tight ? TIGHT_MARGINS : undefined,
    columnSpan: span > 1 ? span : undefined,
    shading: { type: ShadingType.CLEAR, color: 'auto', fill: COLOURS.headerFill },
    verticalAlign: VerticalAlignTable.BOTTOM,
    children: [para(text, { style: STYLES.tableHeading, align: options.align, size: options.size })],
  });
}

function spanOf(cell: Cell): number {
  return typeof cell === 'object' && 'span' in cell ? cell.span : 1;
}

function charsOf(cell: Cell): number {
  if (typeof cell === 'string') return cell.length;
  if ('chars' in cell) return cell.chars;
  return 'text' in cell ? cell.text.length : 0;
}

/**
 * Rows with less text than this stay whole on one page. Longer ones may break: Word cuts off a
 * row that may not break and is taller than a page.
 */
const UNSPLIT_ROW_CHARS = 700;

/**
 * A table of `columns` over `width` twips: fixed layout (long words wrap in their cell), light grey
 * rules, a shaded header row that Word repeats on every page the table runs onto.
 */
export function table(
  columns: readonly Column[],
  rows: readonly (readonly Cell[])[],
  width: number,
  options: TableOptions = {},
): Table {
  const widths = columnWidths(
    columns.map((c) => c.weight),
    width,
  );
  // Cells of the same text (or fill), width and alignment are one shared cell (see SharedCell).
  const shared = new Map<string, TableCell>();
  const cellOf = (cell: Cell, cellWidth: number, align: ParaOptions['align'], shade?: string): TableCell => {
    const what =
      typeof cell === 'string'
        ? `text ${cell}`
        : 'fill' in cell && !('text' in cell)
          ? `fill ${cell.fill}`
          : undefined;
    if (what === undefined) return tableCell(cell, cellWidth, align, shade);
    // The text last, so no text can make two different cells' keys the same.
    const key = `${cellWidth} ${align ?? '-'} ${shade ?? '-'} ${what}`;
    let made = shared.get(key);
    if (!made) shared.set(key, (made = tableCell(cell, cellWidth, align, shade)));
    return made;
  };
  const row = (cells: readonly Cell[], total = false): TableRow => {
    let column = 0;
    const chars = cells.reduce((sum, cell) => sum + charsOf(cell), 0);
    return new TableRow({
      cantSplit: chars < UNSPLIT_ROW_CHARS,
      children: cells.map((cell) => {
        const span = spanOf(cell);
        const cellWidth = widths.slice(column, column + span).reduce((a, b) => a + b, 0);
        const align = columns[column]?.align;
        column += span;
        const shown = total && typeof cell === 'string' ? { text: cell, span: 1, bold: true } : cell;
        return cellOf(shown, cellWidth, align, total ? COLOURS.totalFill : undefined);
      }),
    });
  };
  const head =
    options.header === false
      ? []
      : [
          new TableRow({
            tableHeader: true,
            cantSplit: true,
            children: columns.map((c, i) => headerCell(c.header, widths[i] ?? 0, { align: c.align })),
          }),
        ];
  return new Table({
    width: { size: width, type: WidthType.DXA },
    columnWidths: widths,
    layout: TableLayoutType.FIXED,
    borders: BORDERS,
    margins: CELL_MARGINS,
    rows: [
      ...(options.headRows ?? []),
      ...head,
      ...rows.map((cells) => row(cells)),
      ...(options.totalRow ? [row(options.totalRow, true)] : []),
    ],
  });
}
