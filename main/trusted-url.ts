/**
 * The window's trust policy, as pure functions: which URLs are the app's own page (may load,
 * navigate, call IPC, get the few permissions it needs), which links go to the system browser,
 * and the Content-Security-Policy every response carries. main.ts only wires these to Electron.
 */
import { fail, ok, type ParseError, type Result } from '../shared/result';

/** What counts as the app's own page. */
export type TrustPolicy = {
  /** The `file:` URL of the built renderer, `dist/renderer/index.html`. */
  readonly rendererFileUrl: string;
  /** The origin of the dev server given by TALKOO_RENDERER_URL (development only), or null. */
  readonly devServerOrigin: string | null;
};

/** What to do with a navigation or `window.open` target. */
export type UrlDecision =
  | { readonly action: 'allow' }
  /** Cancel it in the app and hand `url` (normalised) to the system browser. */
  | { readonly action: 'open-external'; readonly url: string }
  | { readonly action: 'deny' };

/** A development renderer URL that passed {@link parseDevRendererUrl}. */
export type DevRendererUrl = { readonly url: string; readonly origin: string };

/**
 * The policy, wired into a CSP header: only the app's own files, inline styles (React sets
 * style attributes), images from data:/blob: (exports, QR codes), and connections to collab
 * servers: this laptop's own, or any server a pasted join or organiser link names, over
 * WebSocket and HTTP(S) (its API). Scripts still come from the app's own files only.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "connect-src 'self' ws: wss: http: https:",
  "object-src 'none'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
].join('; ');

/**
 * The CSP of a report page printed to PDF (exports): no script, no connection, no file; only
 * its own inline styles and data: images and fonts.
 */
export const PRINT_CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "style-src 'unsafe-inline'",
  'img-src data:',
  'font-src data:',
  "base-uri 'none'",
  "form-action 'none'",
].join('; ');

/** Longest URL handed to the system browser; anything longer is more likely abuse than a link. */
const MAX_EXTERNAL_URL_LENGTH = 2048;

/** Permissions the app's own page may use; every other request and check is denied. */
const ALLOWED_PERMISSIONS: ReadonlySet<string> = new Set([
  // navigator.clipboard.writeText, e.g. "copy participant link".
  'clipboard-sanitized-write',
  // element.requestFullscreen, e.g. presenting a board on a projector.
  'fullscreen',
]);

const LOOPBACK_HOSTS: ReadonlySet<string> = new Set(['localhost', '127.0.0.1', '[::1]']);

function parseUrl(value: string): URL | null {
  try {
    return new URL(value);
  } catch {
    return null;
  }
}

/**
 * A `file:` URL's path as comparable segments: each one percent-decoded, so Chromium's and
 * Node's escaping of the same path compare equal, and a Windows drive letter in one case (Chromium
 * upper-cases it; `pathToFileURL` keeps what it was given, often `c:`). Nothing else is folded:
 * the rest of the path keeps its case. An escaped separator (`%2F`, `%5C`) is not a path: null.
 */
function filePathSegments(pathname: string): string[] | null {
  try {
    const segments = pathname.split('/').map((segment) => decodeURIComponent(segment));
    if (segments.some((segment) => segment.includes('/') || segment.includes('\\'))) return null;
    const drive = segments[1];
    if (drive !== undefined && /^[A-Za-z]:$/.test(drive)) segments[1] = drive.toUpperCase();
    return segments;
  } catch {
    return null;
  }
}

function sameFilePath(a: string, b: string): boolean {
  const [left, right] = [filePathSegments(a), filePathSegments(b)];
  return (
    left !== null &&
    right !== null &&
    left.length === right.length &&
    left.every((segment, i) => segment === right[i])
  );
}

/**
 * True when `url` is the app's own page: the renderer's index.html file (any query or hash,
 * since the renderer routes with the hash) or, in development, any page on the dev server's
 * origin. Other files on disk are not trusted: a `file:` page can read the whole disk.
 */
export function isTrustedAppUrl(url: string, policy: TrustPolicy): boolean {
  const target = parseUrl(url);
  if (!target) return false;
  if (target.protocol === 'file:') {
    const renderer = parseUrl(policy.rendererFileUrl);
    return (
      renderer !== null && target.host === renderer.host && sameFilePath(target.pathname, renderer.pathname)
    );
  }
  if (target.protocol === 'http:' || target.protocol === 'https:') {
    return policy.devServerOrigin !== null && target.origin === policy.devServerOrigin;
  }
  return false;
}

/** The normalised URL when `url` may be opened in the system browser: https only, no credentials. */
function externalLink(url: string): string | null {
  const target = parseUrl(url);
  if (!target || target.protocol !== 'https:') return null;
  if (target.username !== '' || target.password !== '') return null;
  return target.href.length <= MAX_EXTERNAL_URL_LENGTH ? target.href : null;
}

/**
 * Decides a navigation of the app window (`will-navigate`): the app's own page may load;
 * an https link goes to the system browser; everything else (http, file, javascript:, custom
 * schemes) is denied.
 */
export function decideNavigation(url: string, policy: TrustPolicy): UrlDecision {
  if (isTrustedAppUrl(url, policy)) return { action: 'allow' };
  const external = externalLink(url);
  return external ? { action: 'open-external', url: external } : { action: 'deny' };
}

/**
 * Decides a `window.open` or `target="_blank"` link: the app never opens a second window of its
 * own; an https link goes to the system browser; everything else is denied.
 */
export function decideWindowOpen(url: string): UrlDecision {
  const external = externalLink(url);
  return external ? { action: 'open-external', url: external } : { action: 'deny' };
}

/**
 * True when the page at `requestingUrl` may have `permission` (an Electron permission name):
 * only the app's own page, and only for the few permissions it uses.
 */
export function isPermissionAllowed(
  permission: string,
  requestingUrl: string | undefined,
  policy: TrustPolicy,
): boolean {
  return (
    ALLOWED_PERMISSIONS.has(permission) &&
    requestingUrl !== undefined &&
    isTrustedAppUrl(requestingUrl, policy)
  );
}

/**
 * Parses TALKOO_RENDERER_URL, the dev server to load the renderer from during development.
 * Unset or empty means "load the built file". Only http(s) on this machine is accepted, so a
 * stray variable can never hand the IPC bridge to a remote site.
 */
export function parseDevRendererUrl(value: string | undefined): Result<DevRendererUrl | null, ParseError> {
  if (value === undefined || value.trim() === '') return ok(null);
  const path = 'TALKOO_RENDERER_URL';
  const url = parseUrl(value.trim());
  if (!url) return fail({ path, message: `not a URL: ${JSON.stringify(value)}` });
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    return fail({ path, message: `must be an http(s) URL, got ${url.protocol}` });
  }
  if (!LOOPBACK_HOSTS.has(url.hostname)) {
    return fail({
      path,
      message: `must point at this machine (localhost, 127.0.0.1 or [::1]), got ${url.hostname}`,
    });
  }
  if (url.username !== '' || url.password !== '') {
    return fail({ path, message: 'must not contain a user name or password' });
  }
  return ok({ url: url.href, origin: url.origin });
}

/**
 * The response headers with our CSP in place of any the response carried (in development the
 * dev server's own policy, if any, is replaced, so dev runs under the same rules as the app).
 */
export function withContentSecurityPolicy(
  responseHeaders: Readonly<Record<string, string[]>> | undefined,
): Record<string, string[]> {
  const headers: Record<string, string[]> = {};
  for (const [name, values] of Object.entries(responseHeaders ?? {})) {
    if (name.toLowerCase() !== 'content-security-policy') headers[name] = values;
  }
  headers['Content-Security-Policy'] = [CONTENT_SECURITY_POLICY];
  return headers;
}

/**
 * True when the hidden window printing a report to PDF may load `url`: one of `pageUrls` (the
 * pages main is printing, served from memory) or a data: URL (images embedded in the page).
 * Nothing else: no network, no other file, so printing a report can neither leak it nor read
 * the disk into it.
 */
export function isPrintRequestAllowed(url: string, pageUrls: readonly string[]): boolean {
  if (url.startsWith('data:')) return true;
  const target = parseUrl(url);
  return target !== null && pageUrls.includes(target.href);
}
