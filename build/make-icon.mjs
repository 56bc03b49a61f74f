// Renders build/icon.svg to build/icon.png (1024×1024), the icon electron-builder turns into each
// platform's format, and the icon of .talkoo files, which electron-builder takes as it is:
// talkoo-file.ico (Windows, a 256 px PNG entry) and talkoo-file.icns (macOS, 256, 512 and
// 1024 px PNG entries). Run after changing the SVG: node build/make-icon.mjs (needs Chromium).
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const here = dirname(fileURLToPath(import.meta.url));
const svg = readFileSync(join(here, 'icon.svg'), 'utf8');
const browser = await chromium.launch({
  executablePath: process.env.CHROME_PATH ?? '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu'],
});

/** The icon as PNG bytes, `size` pixels square, transparent around it. */
async function render(size) {
  const page = await browser.newPage({ viewport: { width: size, height: size } });
  await page.setContent(
    `<body style="margin:0;background:transparent">${svg.replace('<svg ', `<svg width="${size}" height="${size}" `)}</body>`,
  );
  const png = await page.screenshot({ omitBackground: true });
  await page.close();
  return png;
}

/** An ICO file of one 256 px PNG entry (width and height 0 mean 256). */
function ico(png256) {
  const header = Buffer.alloc(22);
  header.writeUInt16LE(0, 0); // reserved
  header.writeUInt16LE(1, 2); // type: icon
  header.writeUInt16LE(1, 4); // one image
  header.writeUInt8(0, 6); // width 256
  header.writeUInt8(0, 7); // height 256
  header.writeUInt16LE(1, 10); // colour planes
  header.writeUInt16LE(32, 12); // bits per pixel
  header.writeUInt32LE(png256.length, 14);
  header.writeUInt32LE(22, 18); // where the PNG starts
  return Buffer.concat([header, png256]);
}

/** An ICNS file of PNG entries by their OSType (ic08 256 px, ic09 512 px, ic10 1024 px). */
function icns(entries) {
  const blocks = entries.map(([type, png]) => {
    const head = Buffer.alloc(8);
    head.write(type, 0, 'latin1');
    head.writeUInt32BE(png.length + 8, 4);
    return Buffer.concat([head, png]);
  });
  const head = Buffer.alloc(8);
  head.write('icns', 0, 'latin1');
  head.writeUInt32BE(8 + blocks.reduce((sum, block) => sum + block.length, 0), 4);
  return Buffer.concat([head, ...blocks]);
}

const [png256, png512, png1024] = [await render(256), await render(512), await render(1024)];
await browser.close();
writeFileSync(join(here, 'icon.png'), png1024);
writeFileSync(join(here, 'talkoo-file.ico'), ico(png256));
writeFileSync(
  join(here, 'talkoo-file.icns'),
  icns([
    ['ic08', png256],
    ['ic09', png512],
    ['ic10', png1024],
  ]),
);
console.log('wrote build/icon.png, build/talkoo-file.ico, build/talkoo-file.icns');
