/**
 * Following a link someone pasted: a join link (`…#/w/ROOM?token=…`) or an organiser link
 * (`…#/?organiser=…`). In a browser a link to another server opens that server's page; in the
 * desktop app the workshop (or Home's organiser server) is remembered to be on that server.
 */
import { chooseOrganiserServer, rememberServer, webOrigin } from './platform';

const JOIN = /^#\/w\/([^/?]+)\?(?:.*&)?token=/;
const ORGANISER = /^#\/\?(?:.*&)?organiser=/;

/** The link's server, when it names one over http(s). */
function originOf(link: string): string | null {
  try {
    const url = new URL(link);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.origin : null;
  } catch {
    return null;
  }
}

/** Opens a pasted link; false when it is neither a join nor an organiser link. */
export function followLink(text: string): boolean {
  const link = text.trim();
  const at = link.indexOf('#/');
  const hash = at >= 0 ? link.slice(at) : '';
  const join = JOIN.exec(hash);
  if (!join && !ORGANISER.test(hash)) return false;
  const origin = originOf(link);
  const page = webOrigin();
  if (page !== null) {
    if (origin !== null && origin !== page) window.location.assign(link);
    else window.location.hash = hash;
    return true;
  }
  if (origin !== null) {
    if (join?.[1]) rememberServer(decodeURIComponent(join[1]), origin);
    else chooseOrganiserServer(origin);
  }
  window.location.hash = hash;
  return true;
}
