/**
 * Accessibility check for end-to-end tests: Deque's axe-core (the rule engine behind most
 * automated audits) run on the page as it is now, failing on any serious or critical violation.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { AxeResults, RunOptions } from 'axe-core';
import type { Frame, Page } from 'playwright-core';

/** axe-core's browser build. Evaluated rather than added as a <script>: the app's CSP refuses inline scripts. */
const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

type Found = { id: string; impact: string; help: string; targets: string[] };

/** The serious and critical violations axe finds in `frame`'s document (its own frames apart). */
async function seriousViolations(frame: Frame): Promise<Found[]> {
  if (!(await frame.evaluate(() => 'axe' in window))) await frame.evaluate(AXE_SOURCE);
  return frame.evaluate(async () => {
    const { axe } = window as unknown as {
      axe: { run: (context: Document, options: RunOptions) => Promise<AxeResults> };
    };
    // Frames are checked on their own (see below): axe would wait for an axe inside each.
    const results = await axe.run(document, { iframes: false, resultTypes: ['violations'] });
    return results.violations
      .filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map((v) => ({
        id: v.id,
        impact: v.impact ?? '',
        help: v.help,
        targets: v.nodes.map((node) => node.target.join(' ')),
      }));
  });
}

/**
 * The violations in each of `page`'s `srcdoc` frames (the export preview), each checked on a page
 * of its own: a sandboxed frame runs no script, axe's included.
 */
async function frameViolations(page: Page): Promise<[string, Found[]][]> {
  const frames = await page.locator('iframe[srcdoc]').all();
  const found: [string, Found[]][] = [];
  for (const frame of frames) {
    const html = (await frame.getAttribute('srcdoc')) ?? '';
    const title = (await frame.getAttribute('title')) ?? 'a frame';
    const scratch = await page.context().newPage();
    try {
      await scratch.setContent(html);
      found.push([title, await seriousViolations(scratch.mainFrame())]);
    } finally {
      await scratch.close();
    }
  }
  return found;
}

/**
 * Fails, with a readable list (rule, impact, what it asks, where), when axe finds a serious or
 * critical violation on `page` or in one of its frames (a dialog's preview). `label` names the
 * screen or dialog in the failure.
 */
export async function expectNoSeriousViolations(page: Page, label: string): Promise<void> {
  const found: [string, Found[]][] = [
    ['', await seriousViolations(page.mainFrame())],
    ...(await frameViolations(page)),
  ];
  const lines = found.flatMap(([frame, violations]) =>
    violations.map(
      (v) =>
        `- ${v.id} [${v.impact}]${frame ? ` (in the frame “${frame}”)` : ''}: ${v.help}\n    ${v.targets.join('\n    ')}`,
    ),
  );
  if (lines.length > 0) {
    throw new Error(
      `${label}: ${lines.length} serious or critical accessibility violation(s)\n${lines.join('\n')}`,
    );
  }
}
