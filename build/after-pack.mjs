// electron-builder's afterPack hook (electron-builder.yml): on macOS, puts the Info.plist texts in
// every language the app speaks into the bundle (Contents/Resources/<language>.lproj/
// InfoPlist.strings), taken from shared/i18n, so the system asks for the local network in the
// user's language. Info.plist itself carries the English text (mac.extendInfo).
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const LOCALES_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', 'shared', 'i18n');
const LANGUAGES = ['en', 'fi', 'sv', 'et'];

/** Info.plist keys and the message that says each. */
const INFO_PLIST_MESSAGES = { NSLocalNetworkUsageDescription: 'desktop.localNetworkUsage' };

/**
 * The InfoPlist.strings text for one language's messages (UTF-8, which macOS reads; a JSON string
 * is a valid .strings string: `\"`, `\\`, `\n` escaped alike).
 * @param {Record<string, string>} messages
 */
export function infoPlistStrings(messages) {
  return Object.entries(INFO_PLIST_MESSAGES)
    .map(([key, message]) => `${JSON.stringify(key)} = ${JSON.stringify(messages[message] ?? '')};\n`)
    .join('');
}

/**
 * @param {{ electronPlatformName: string, appOutDir: string, packager: { appInfo: { productFilename: string } } }} context
 */
export default async function afterPack(context) {
  if (context.electronPlatformName !== 'darwin' && context.electronPlatformName !== 'mas') return;
  const resources = join(
    context.appOutDir,
    `${context.packager.appInfo.productFilename}.app`,
    'Contents',
    'Resources',
  );
  for (const language of LANGUAGES) {
    const messages = JSON.parse(await readFile(join(LOCALES_DIR, `${language}.json`), 'utf8'));
    const folder = join(resources, `${language}.lproj`);
    await mkdir(folder, { recursive: true });
    await writeFile(join(folder, 'InfoPlist.strings'), infoPlistStrings(messages));
  }
}
