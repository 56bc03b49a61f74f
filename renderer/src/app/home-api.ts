/**
 * Home's calls of the organiser's server (collab-server/http/api.ts and workshops-api.ts): the
 * workshop and template lists, read defensively (an entry that is not well-formed is dropped),
 * and one `api` call with the organiser's token that throws the server's refusal.
 */
import { LANGUAGES, type Language } from '../../../shared';
import { apiRefusal } from './failure-reason';

/** The server an organiser works on, and the organiser token it accepts. */
export type Organiser = { readonly server: string; readonly token: string };

export type WorkshopCounts = { readonly needs: number; readonly themes: number; readonly actions: number };

/** A workshop of the server's list. */
export type WorkshopEntry = {
  readonly room: string;
  readonly title: string;
  readonly language: Language;
  /** The facilitator token of its join link. */
  readonly token: string;
  /** ISO time it was created; '' when the server does not know. */
  readonly created: string;
  /** Null from an older server, or a record that has none yet. */
  readonly counts: WorkshopCounts | null;
  readonly archived: boolean;
};

/** A template of the organiser's own. */
export type TemplateEntry = {
  readonly id: string;
  readonly name: string;
  readonly language: Language;
  readonly created: string;
  readonly counts: { readonly lanes: number; readonly municipalities: number; readonly needs: number };
};

/** One call of the server's API with the organiser's token; throws its refusal ({@link apiRefusal}). */
export async function api(
  organiser: Organiser,
  path: string,
  init: RequestInit = {},
  contentType = 'application/json',
): Promise<unknown> {
  const res = await fetch(`${organiser.server}${path}`, {
    ...init,
    headers: { Authorization: `Bearer ${organiser.token}`, 'Content-Type': contentType },
  });
  if (!res.ok) throw await apiRefusal(res);
  return (await res.json()) as unknown;
}

/** The token of a join link (`…#/w/ROOM?token=…`), or null when it is not one. */
function tokenOf(link: string): string | null {
  const at = link.indexOf('#/w/');
  return at >= 0 ? new URLSearchParams(link.slice(at).split('?')[1] ?? '').get('token') : null;
}

function languageOf(value: unknown): Language {
  return (LANGUAGES as readonly unknown[]).includes(value) ? (value as Language) : 'en';
}

function count(value: unknown): number | null {
  return Number.isSafeInteger(value) && (value as number) >= 0 ? (value as number) : null;
}

function countsOf(value: unknown): WorkshopCounts | null {
  const { needs, themes, actions } = (value ?? {}) as Record<string, unknown>;
  const [n, t, a] = [count(needs), count(themes), count(actions)];
  return n === null || t === null || a === null ? null : { needs: n, themes: t, actions: a };
}

/** Parses the server's workshop list (or one created workshop, as `{ workshops: [it] }`). */
export function parseWorkshops(body: unknown): WorkshopEntry[] {
  const list = (body as { workshops?: unknown } | null)?.workshops;
  if (!Array.isArray(list)) return [];
  return list.flatMap((entry: unknown) => {
    const { room, title, language, facilitatorUrl, created, counts, archived } = (entry ?? {}) as Record<
      string,
      unknown
    >;
    const token = typeof facilitatorUrl === 'string' ? tokenOf(facilitatorUrl) : null;
    if (typeof room !== 'string' || !token) return [];
    return [
      {
        room,
        title: typeof title === 'string' ? title : '',
        language: languageOf(language),
        token,
        created: typeof created === 'string' ? created : '',
        counts: countsOf(counts),
        archived: archived === true,
      },
    ];
  });
}

/** Parses the server's template list (or one saved template, as `{ templates: [it] }`). */
export function parseTemplates(body: unknown): TemplateEntry[] {
  const list = (body as { templates?: unknown } | null)?.templates;
  if (!Array.isArray(list)) return [];
  return list.flatMap((entry: unknown) => {
    const { id, name, language, created, counts } = (entry ?? {}) as Record<string, unknown>;
    if (typeof id !== 'string' || typeof name !== 'string') return [];
    const { lanes, municipalities, needs } = (counts ?? {}) as Record<string, unknown>;
    return [
      {
        id,
        name,
        language: languageOf(language),
        created: typeof created === 'string' ? created : '',
        counts: {
          lanes: count(lanes) ?? 0,
          municipalities: count(municipalities) ?? 0,
          needs: count(needs) ?? 0,
        },
      },
    ];
  });
}
