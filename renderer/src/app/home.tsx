/** Home: the workshops on the connected server. */
import { useEffect, useState } from 'react';
import { LANGUAGES, type Language } from '../../../shared';
import { useT } from '../i18n';
import { serverBaseUrl } from '../platform';

type RoomEntry = { name: string; title: string; language: Language };

/** Parses the server's room list, dropping entries that are not well-formed. */
function parseRooms(body: unknown): RoomEntry[] {
  const rooms = (body as { rooms?: unknown } | null)?.rooms;
  if (!Array.isArray(rooms)) return [];
  return rooms.flatMap((r: unknown) => {
    const { name, title, language } = (r ?? {}) as Record<string, unknown>;
    if (typeof name !== 'string' || typeof title !== 'string') return [];
    const lang = (LANGUAGES as readonly unknown[]).includes(language) ? (language as Language) : 'en';
    return [{ name, title, language: lang }];
  });
}

export function Home() {
  const t = useT();
  const [rooms, setRooms] = useState<RoomEntry[] | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    const controller = new AbortController();
    fetch(`${serverBaseUrl()}/api/rooms`, { signal: controller.signal })
      .then((res) => (res.ok ? res.json() : Promise.reject(new Error(`HTTP ${res.status}`))))
      .then((body: unknown) => setRooms(parseRooms(body)))
      .catch((e: unknown) => {
        if (!controller.signal.aborted) setError((e as Error).message);
      });
    return () => controller.abort();
  }, []);

  return (
    <main className="home">
      <header className="home-header">
        <span className="brand">{t('app.name')}</span>
      </header>
      <section className="home-body" aria-labelledby="home-title">
        <h1 id="home-title">{t('home.title')}</h1>
        {error && <p role="alert">{t('home.loadFailed', { reason: error })}</p>}
        {rooms?.length === 0 && <p className="muted">{t('home.empty')}</p>}
        <ul className="workshop-list">
          {rooms?.map((room) => (
            <li key={room.name} lang={room.language}>
              <a href={`#/w/${encodeURIComponent(room.name)}`}>{room.title || room.name}</a>
            </li>
          ))}
        </ul>
      </section>
    </main>
  );
}
