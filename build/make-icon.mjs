// Renders build/icon.svg to build/icon.png (1024×1024), the icon electron-builder turns into each
// platform's format. Run after changing the SVG: node build/make-icon.mjs (needs Chromium).
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const here = dirname(fileURLToPath(import.meta.url));
const svg = readFileSync(join(here, 'icon.svg'), 'utf8');
const browser = await chromium.launch({
  executablePath: process.env.CHROME_PATH ?? '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu'],
});
const page = await browser.newPage({ viewport: { width: 1024, height: 1024 } });
await page.setContent(
  `<body style="margin:0;background:transparent">${svg.replace('<svg ', '<svg width="1024" height="1024" ')}</body>`,
);
await page.screenshot({ path: join(here, 'icon.png'), omitBackground: true });
await browser.close();
console.log('wrote build/icon.png');
