/**
 * Following a link someone pasted: a join link (`…#/w/ROOM?token=…`) or an organiser link
 * (`…#/?organiser=…`). In a browser a link to another server opens that server's page; in the
 * desktop app the workshop opens on the server the link's address names (Home's organiser
 * server, for an organiser link), whatever else its hash says.
 *
 * Or a link code (`K7MX-42QP`, shared/link-code.ts) or its short link (`https://host/j/K7MX-42QP`):
 * the server resolves it (GET /api/link-codes/CODE) to its join link. A code alone is asked of
 * the page's own server in a browser, and of Home's organiser server in the desktop app.
 */
import { linkCodeOfShortLink, parseLinkCode } from '../../shared/link-code';
import { apiRefusal } from './app/failure-reason';
import { chooseOrganiserServer, httpOrigin, organiserServer, placeOf, webOrigin } from './platform';
import { organiserToken, workshopHref } from './routes';

const JOIN = /^#\/w\/([^/?]+)\?(.*)$/;
const ORGANISER = /^#\/\?(?:.*&)?organiser=/;

/** Opens a pasted link; false when it is neither a join nor an organiser link. */
export function followLink(text: string): boolean {
  const link = text.trim();
  const at = link.indexOf('#/');
  const hash = at >= 0 ? link.slice(at) : '';
  const join = JOIN.exec(hash);
  const token = join ? new URLSearchParams(join[2]).get('token') : null;
  if (!(join?.[1] && token) && !ORGANISER.test(hash)) return false;
  const origin = httpOrigin(link);
  const page = webOrigin();
  if (page !== null && origin !== null && origin !== page) {
    window.location.assign(link);
    return true;
  }
  if (join?.[1] && token) {
    // The server is the one the link's address names, never one its hash claims: a token is
    // kept for that server and room only.
    window.location.hash = workshopHref(placeOf(decodeURIComponent(join[1]), origin), token);
    return true;
  }
  if (page === null && origin !== null) chooseOrganiserServer(origin);
  window.location.hash = hash;
  return true;
}

/** What became of a pasted link or code. */
export type JoinAttempt =
  | { readonly kind: 'opened' }
  | { readonly kind: 'not-a-link' }
  /** The server refused the code (an ApiRefusal) or could not be reached (a TypeError). */
  | { readonly kind: 'failed'; readonly error: unknown };

/** Where a link code is asked about: the short link's server, else the page's or Home's. */
function codeServer(text: string): { code: string; server: string | null } | null {
  const short = linkCodeOfShortLink(text);
  if (short !== null) return { code: short, server: httpOrigin(text.trim()) };
  const code = parseLinkCode(text);
  if (code === null) return null;
  return { code, server: webOrigin() ?? organiserServer(organiserToken())?.server ?? null };
}

/** Opens a pasted join link, organiser link, link code or short link. */
export async function joinByLinkOrCode(text: string): Promise<JoinAttempt> {
  if (followLink(text)) return { kind: 'opened' };
  const asked = codeServer(text);
  if (asked === null || asked.server === null) return { kind: 'not-a-link' };
  const page = webOrigin();
  // A browser talks only to the server it was loaded from: another server's short link opens there.
  if (page !== null && asked.server !== page) {
    window.location.assign(text.trim());
    return { kind: 'opened' };
  }
  try {
    const res = await fetch(`${asked.server}/api/link-codes/${asked.code}`);
    if (!res.ok) return { kind: 'failed', error: await apiRefusal(res) };
    const { room, token } = (await res.json()) as { room?: unknown; token?: unknown };
    if (typeof room !== 'string' || typeof token !== 'string')
      return { kind: 'failed', error: new Error('The server answered without a join link.') };
    window.location.hash = workshopHref(placeOf(room, asked.server), token);
    return { kind: 'opened' };
  } catch (error) {
    return { kind: 'failed', error };
  }
}

/** The code a short link brought to Home (`#/?join=K7MX-42QP`), or null. */
export function joinCodeInAddress(): string | null {
  const match = /^#\/\?(?:.*&)?join=([^&]*)/.exec(window.location.hash);
  if (!match) return null;
  try {
    return decodeURIComponent(match[1] ?? '');
  } catch {
    return '';
  }
}

/** Takes the code out of the address: Back must not join again. */
export function forgetJoinCode(): void {
  if (joinCodeInAddress() !== null) history.replaceState(null, '', '#/');
}
