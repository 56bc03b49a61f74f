/**
 * Following a link someone pasted: a join link (`…#/w/ROOM?token=…`) or an organiser link
 * (`…#/?organiser=…`). In a browser a link to another server opens that server's page; in the
 * desktop app the workshop opens on the server the link's address names (Home's organiser
 * server, for an organiser link), whatever else its hash says.
 */
import { chooseOrganiserServer, httpOrigin, placeOf, webOrigin } from './platform';
import { workshopHref } from './routes';

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
