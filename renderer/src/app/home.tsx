/** Home: the workshops on the connected server, for an organiser; otherwise how to get in. */
import { useEffect, useState } from 'react';
import { LANGUAGES, type Language } from '../../../shared';
import { useT } from '../i18n';
import { serverBaseUrl } from '../platform';
import { organiserToken } from '../routes';

type WorkshopEntry = { room: string; title: string; language: Language; facilitatorUrl: string };

/** Parses the server's workshop list, dropping entries that are not well-formed. */
function parseWorkshops(body: unknown): WorkshopEntry[] {
  const list = (body as { workshops?: unknown } | null)?.workshops;
  if (!Array.isArray(list)) return [];
  return list.flatMap((entry: unknown) => {
    const { room, title, language, facilitatorUrl } = (entry ?? {}) as Record<string, unknown>;
    if (typeof room !== 'string' || typeof facilitatorUrl !== 'string') return [];
    const hash = facilitatorUrl.slice(facilitatorUrl.indexOf('#'));
    const lang = (LANGUAGES as readonly unknown[]).includes(language) ? (language as Language) : 'en';
    return [{ room, title: typeof title === 'string' ? title : '', language: lang, facilitatorUrl: hash }];
  });
}

export function Home() {
  const t = useT();
  const token = organiserToken();
  const [workshops, setWorkshops] = useState<WorkshopEntry[] | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    if (!token) return;
    const controller = new AbortController();
    fetch(`${serverBaseUrl()}/api/workshops`, {
      signal: controller.signal,
      headers: { Authorization: `Bearer ${token}` },
    })
      .then(async (res) => {
        const body: unknown = await res.json();
        if (!res.ok) throw new Error((body as { error?: string }).error ?? `HTTP ${res.status}`);
        setWorkshops(parseWorkshops(body));
      })
      .catch((e: unknown) => {
        if (!controller.signal.aborted) setError((e as Error).message);
      });
    return () => controller.abort();
  }, [token]);

  return (
    <main className="home">
      <header className="home-header">
        <span className="brand">{t('app.name')}</span>
      </header>
      <section className="home-body" aria-labelledby="home-title">
        <h1 id="home-title">{t('home.title')}</h1>
        {!token && <p className="muted">{t('home.needsOrganiser')}</p>}
        {error && <p role="alert">{t('home.loadFailed', { reason: error })}</p>}
        {workshops?.length === 0 && <p className="muted">{t('home.empty')}</p>}
        <ul className="workshop-list">
          {workshops?.map((w) => (
            <li key={w.room} lang={w.language}>
              <a href={w.facilitatorUrl}>{w.title || w.room}</a>
            </li>
          ))}
        </ul>
      </section>
    </main>
  );
}
