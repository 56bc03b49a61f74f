/**
 * The annual wheel as an image file: the SVG that shared/plan/wheel.ts writes, or a PNG the
 * browser rasterises from it (an SVG drawn into a canvas, at twice its size so that it stays
 * sharp when printed or projected). The PNG is also what a .docx embeds (see wheelPng).
 */
import {
  svgText,
  wheelDrawing,
  type WheelDrawingOptions,
  type WheelLayout,
} from '../../../shared/plan/wheel';
import { safeFileBaseName } from '../../../shared/report/export';
import type { Report } from '../../../shared/report/model';

export type WheelImageFormat = 'svg' | 'png';

/** PNG pixels per SVG unit: an 800-unit wheel becomes 1,600 px wide. */
const PNG_SCALE = 2;

/** `svg` (a standalone SVG document) rasterised to PNG bytes at `scale`. */
export async function svgToPng(svg: string, scale = PNG_SCALE): Promise<Uint8Array> {
  const url = URL.createObjectURL(new Blob([svg], { type: 'image/svg+xml' }));
  try {
    const image = new Image();
    image.src = url;
    await image.decode();
    const canvas = document.createElement('canvas');
    canvas.width = Math.round(image.naturalWidth * scale);
    canvas.height = Math.round(image.naturalHeight * scale);
    const context = canvas.getContext('2d');
    if (!context) throw new Error('This browser cannot draw the image.');
    context.drawImage(image, 0, 0, canvas.width, canvas.height);
    const blob = await new Promise<Blob | null>((resolve) => canvas.toBlob(resolve, 'image/png'));
    if (!blob) throw new Error('This browser cannot write a PNG.');
    return new Uint8Array(await blob.arrayBuffer());
  } finally {
    URL.revokeObjectURL(url);
  }
}

/** The wheel of `layout` as a PNG, with its legend (what a .docx embeds). */
export function wheelPng(
  layout: WheelLayout,
  options: Omit<WheelDrawingOptions, 'idPrefix'>,
): Promise<Uint8Array> {
  return svgToPng(svgText(wheelDrawing(layout, { ...options, idPrefix: 'wheel' })));
}

/**
 * `report` with a PNG of its wheel beside the SVG (for the .docx, which embeds the PNG). Where
 * the browser cannot rasterise it, the report goes without the PNG (the .docx then shows no wheel).
 */
export async function withWheelPng(report: Report): Promise<Report> {
  const { wheel } = report;
  if (!wheel || wheel.png) return report;
  try {
    return { ...report, wheel: { ...wheel, png: await svgToPng(wheel.svg) } };
  } catch {
    return report;
  }
}

/** Downloads `bytes` as `name` (the desktop app asks where to save it). */
function download(bytes: Uint8Array | string, name: string, type: string): void {
  const url = URL.createObjectURL(new Blob([bytes as BlobPart], { type }));
  const link = document.createElement('a');
  link.href = url;
  link.download = name;
  link.hidden = true;
  document.body.append(link);
  link.click();
  link.remove();
  // The download has taken its copy of the blob by the next task; a minute is generous.
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

/** Downloads the wheel of `layout` as an SVG or PNG file named after `fileName`. */
export async function downloadWheel(
  layout: WheelLayout,
  format: WheelImageFormat,
  options: Omit<WheelDrawingOptions, 'idPrefix' | 'selected'> & { readonly fileName: string },
): Promise<void> {
  const svg = svgText(wheelDrawing(layout, { ...options, idPrefix: 'wheel' }));
  const name = `${safeFileBaseName(options.fileName)}.${format}`;
  if (format === 'svg') download(svg, name, 'image/svg+xml');
  else download(await svgToPng(svg), name, 'image/png');
}
