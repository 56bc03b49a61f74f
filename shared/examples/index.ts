/**
 * Example workshops shipped with the app (outline format): a day's work from regional culture
 * development in Etelä-Savo, Sörmland, Võru county and an English-language network, and the
 * Etelä-Savo workshop carried on into a plan with work packages, co-funding and cost sharing. Parse them
 * with parseOutline like any other outline; they are data, not trusted code.
 */
import cultureNetworkEn from './culture-network-en.json';
import etelaSavoFi from './etela-savo-fi.json';
import etelaSavoPlanFi from './plans/etela-savo-plan-fi.json';
import sormlandSv from './sormland-sv.json';
import voruEt from './voru-et.json';
import type { ExampleName } from './names';

export { EXAMPLE_NAMES, type ExampleName } from './names';

/** Example outlines by a stable slug (also the room name they are served under). */
export const EXAMPLE_OUTLINES: Readonly<Record<ExampleName, unknown>> = {
  'example-etela-savo-fi': etelaSavoFi,
  'example-etela-savo-plan-fi': etelaSavoPlanFi,
  'example-sormland-sv': sormlandSv,
  'example-voru-et': voruEt,
  'example-culture-network-en': cultureNetworkEn,
};
