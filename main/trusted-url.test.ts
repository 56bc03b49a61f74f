// The window's trust policy: the app's own page works, links open in the browser, and nothing
// else can load in the app window, reach the IPC bridge or get a permission.
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  CONTENT_SECURITY_POLICY,
  decideNavigation,
  decideWindowOpen,
  isPermissionAllowed,
  isPrintRequestAllowed,
  isTrustedAppUrl,
  parseDevRendererUrl,
  PRINT_CONTENT_SECURITY_POLICY,
  type TrustPolicy,
  withContentSecurityPolicy,
} from './trusted-url';

const rendererFileUrl = pathToFileURL('/opt/Talkoo app/resources/dist/renderer/index.html').href;
const packaged: TrustPolicy = { rendererFileUrl, devServerOrigin: null };
const dev: TrustPolicy = { rendererFileUrl, devServerOrigin: 'http://localhost:5173' };

describe('the app page', () => {
  it('trusts the built renderer, with any hash route or query', () => {
    expect(isTrustedAppUrl(rendererFileUrl, packaged)).toBe(true);
    expect(isTrustedAppUrl(`${rendererFileUrl}#/workshop/abc`, packaged)).toBe(true);
    expect(isTrustedAppUrl(`${rendererFileUrl}?lang=fi`, packaged)).toBe(true);
  });

  it('trusts the renderer whichever way the space in its folder is escaped', () => {
    expect(isTrustedAppUrl('file:///opt/Talkoo app/resources/dist/renderer/index.html', packaged)).toBe(true);
  });

  it('does not trust other files on disk, even next to the renderer', () => {
    for (const url of [
      'file:///etc/passwd',
      pathToFileURL('/opt/Talkoo app/resources/dist/renderer/other.html').href,
      pathToFileURL('/home/me/Downloads/index.html').href,
      pathToFileURL('/opt/Talkoo app/resources/dist/renderer/index.html.evil').href,
      'file://fileserver/opt/Talkoo%20app/resources/dist/renderer/index.html',
    ]) {
      expect(isTrustedAppUrl(url, packaged), url).toBe(false);
    }
  });

  describe('on Windows, where Chromium upper-cases the drive letter', () => {
    // Electron's own pathToFileURL of a lowercase `c:` path (a shortcut, a working directory).
    const windowsFileUrl = pathToFileURL(
      'c:\\Users\\Aino\\AppData\\Local\\Programs\\Talkoo app\\resources\\app.asar\\dist\\renderer\\index.html',
      { windows: true },
    ).href;
    const windows: TrustPolicy = { rendererFileUrl: windowsFileUrl, devServerOrigin: null };
    const loaded =
      'file:///C:/Users/Aino/AppData/Local/Programs/Talkoo%20app/resources/app.asar/dist/renderer/index.html';

    it('trusts the page Chromium reports, whichever case either drive letter has', () => {
      expect(windowsFileUrl.startsWith('file:///c:/')).toBe(true);
      expect(isTrustedAppUrl(loaded, windows)).toBe(true);
      expect(isTrustedAppUrl(`${loaded}#/workshop/abc`, windows)).toBe(true);
      expect(isTrustedAppUrl(windowsFileUrl, windows)).toBe(true);
      const upper: TrustPolicy = { rendererFileUrl: loaded, devServerOrigin: null };
      expect(isTrustedAppUrl(windowsFileUrl, upper)).toBe(true);
    });

    it('trusts it whichever characters are percent-encoded', () => {
      expect(
        isTrustedAppUrl(
          'file:///C:/Users/Aino/AppData/Local/Programs/Talkoo app/resources/app.asar/dist/renderer/index.html',
          windows,
        ),
      ).toBe(true);
      expect(
        isTrustedAppUrl(
          'file:///C:/Users/%41ino/AppData/Local/Programs/Talkoo%20app/resources/app.asar/dist/renderer/index.html',
          windows,
        ),
      ).toBe(true);
    });

    it('loosens nothing else: another drive, another folder or file, a case change elsewhere, an escaped separator', () => {
      for (const url of [
        loaded.replace('file:///C:', 'file:///D:'),
        loaded.replace('/Users/Aino/', '/Users/aino/'),
        loaded.replace('index.html', 'INDEX.html'),
        loaded.replace('/renderer/', '/other/'),
        loaded.replace('renderer/index.html', 'renderer%2Findex.html'),
        loaded.replace('renderer/index.html', 'renderer%5Cindex.html'),
        loaded.replace('file:///C:', 'file://fileserver/C:'),
        'file:///C:/Windows/System32/drivers/etc/hosts',
      ]) {
        expect(isTrustedAppUrl(url, windows), url).toBe(false);
      }
    });
  });

  it('trusts the dev server only in development, and only its exact origin', () => {
    expect(isTrustedAppUrl('http://localhost:5173/', packaged)).toBe(false);
    expect(isTrustedAppUrl('http://localhost:5173/index.html#/x', dev)).toBe(true);
    expect(isTrustedAppUrl('http://localhost:5174/', dev)).toBe(false);
    expect(isTrustedAppUrl('https://localhost:5173/', dev)).toBe(false);
    expect(isTrustedAppUrl('http://127.0.0.1:5173/', dev)).toBe(false);
    expect(isTrustedAppUrl('http://localhost.evil.example:5173/', dev)).toBe(false);
  });

  it('does not trust web sites, other schemes or garbage', () => {
    for (const url of [
      'https://example.org/',
      'javascript:alert(1)',
      'data:text/html,<script>alert(1)</script>',
      'about:blank',
      'devtools://devtools/bundled/inspector.html',
      'not a url',
      '',
    ]) {
      expect(isTrustedAppUrl(url, dev), url).toBe(false);
    }
  });
});

describe('navigation and new windows', () => {
  it('lets the app page navigate within itself', () => {
    expect(decideNavigation(`${rendererFileUrl}#/board/1`, packaged)).toEqual({ action: 'allow' });
  });

  it('sends https links to the system browser instead of the app window', () => {
    expect(decideNavigation('https://kulttuuri.example.fi/ohjeet?x=1', packaged)).toEqual({
      action: 'open-external',
      url: 'https://kulttuuri.example.fi/ohjeet?x=1',
    });
    expect(decideWindowOpen('https://example.org/a b')).toEqual({
      action: 'open-external',
      url: 'https://example.org/a%20b',
    });
  });

  it('never opens plain http, files, scripts, mail or custom schemes anywhere', () => {
    for (const url of [
      'http://example.org/',
      'file:///etc/passwd',
      'javascript:alert(1)',
      'mailto:someone@example.org',
      'ms-settings:privacy',
      'smb://server/share',
      'https://user:secret@example.org/',
      `https://example.org/${'a'.repeat(3000)}`,
    ]) {
      expect(decideNavigation(url, packaged), url).toEqual({ action: 'deny' });
      expect(decideWindowOpen(url), url).toEqual({ action: 'deny' });
    }
  });

  it('never opens the app itself in a second window', () => {
    expect(decideWindowOpen(rendererFileUrl)).toEqual({ action: 'deny' });
  });
});

describe('permissions', () => {
  it('lets the app page copy to the clipboard and go full screen', () => {
    expect(isPermissionAllowed('clipboard-sanitized-write', rendererFileUrl, packaged)).toBe(true);
    expect(isPermissionAllowed('fullscreen', rendererFileUrl, packaged)).toBe(true);
  });

  it('denies everything else, and everything to pages that are not the app', () => {
    for (const permission of [
      'media',
      'geolocation',
      'notifications',
      'clipboard-read',
      'openExternal',
      'hid',
    ]) {
      expect(isPermissionAllowed(permission, rendererFileUrl, packaged), permission).toBe(false);
    }
    expect(isPermissionAllowed('fullscreen', 'https://example.org/', packaged)).toBe(false);
    expect(isPermissionAllowed('fullscreen', undefined, packaged)).toBe(false);
  });
});

describe('TALKOO_RENDERER_URL', () => {
  it('is optional', () => {
    expect(parseDevRendererUrl(undefined)).toEqual({ ok: true, value: null });
    expect(parseDevRendererUrl('  ')).toEqual({ ok: true, value: null });
  });

  it('accepts a dev server on this machine', () => {
    expect(parseDevRendererUrl('http://localhost:5173')).toEqual({
      ok: true,
      value: { url: 'http://localhost:5173/', origin: 'http://localhost:5173' },
    });
    expect(parseDevRendererUrl('http://[::1]:5173/').ok).toBe(true);
    expect(parseDevRendererUrl('https://127.0.0.1:8443/').ok).toBe(true);
  });

  it('refuses remote hosts, other schemes and credentials with a clear message', () => {
    expect(parseDevRendererUrl('http://192.168.1.20:5173')).toEqual({
      ok: false,
      error: {
        path: 'TALKOO_RENDERER_URL',
        message: 'must point at this machine (localhost, 127.0.0.1 or [::1]), got 192.168.1.20',
      },
    });
    expect(parseDevRendererUrl('file:///tmp/index.html').ok).toBe(false);
    expect(parseDevRendererUrl('http://a:b@localhost:5173/').ok).toBe(false);
    expect(parseDevRendererUrl('localhost:5173').ok).toBe(false);
  });
});

describe('Content-Security-Policy', () => {
  it('replaces whatever policy a response carried with the app policy', () => {
    const headers = withContentSecurityPolicy({
      'content-security-policy': ["default-src *; script-src * 'unsafe-eval'"],
      'Content-Type': ['text/html'],
    });
    expect(headers).toEqual({
      'Content-Type': ['text/html'],
      'Content-Security-Policy': [CONTENT_SECURITY_POLICY],
    });
    expect(withContentSecurityPolicy(undefined)).toEqual({
      'Content-Security-Policy': [CONTENT_SECURITY_POLICY],
    });
  });

  it('allows only own scripts, no plugins, no base rewriting and no framing', () => {
    const directives = new Map(
      CONTENT_SECURITY_POLICY.split(';').map((part) => {
        const [name = '', ...values] = part.trim().split(/\s+/);
        return [name, values] as const;
      }),
    );
    expect(directives.get('script-src')).toEqual(["'self'"]);
    expect(directives.get('object-src')).toEqual(["'none'"]);
    expect(directives.get('base-uri')).toEqual(["'none'"]);
    expect(directives.get('frame-ancestors')).toEqual(["'none'"]);
    expect(CONTENT_SECURITY_POLICY).not.toMatch(/unsafe-eval/);
  });
});

describe('printing a report to PDF', () => {
  const page = 'file:///talkoo-print/0b9e6d1c-5d7e-4a57-9f0e-3f1f1f3c2a10.html';

  it('loads the page being printed and the images embedded in it', () => {
    expect(isPrintRequestAllowed(page, [page])).toBe(true);
    expect(isPrintRequestAllowed('data:image/png;base64,iVBORw0KGgo=', [page])).toBe(true);
  });

  it('loads nothing else: no network, no other file, not the app, not a page no longer printing', () => {
    for (const url of [
      'https://tracker.example/pixel.png',
      'http://127.0.0.1:4466/api/workshops',
      'ws://127.0.0.1:4466/room',
      'file:///etc/passwd',
      'file:///talkoo-print/another.html',
      rendererFileUrl,
      'javascript:alert(1)',
      'not a url',
    ]) {
      expect(isPrintRequestAllowed(url, [page])).toBe(false);
    }
    expect(isPrintRequestAllowed(page, [])).toBe(false);
  });

  it('runs no script and connects nowhere, whatever the page holds', () => {
    expect(PRINT_CONTENT_SECURITY_POLICY).toContain("default-src 'none'");
    expect(PRINT_CONTENT_SECURITY_POLICY).not.toMatch(/script-src|connect-src/);
  });
});
