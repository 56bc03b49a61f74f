/**
 * Home: recent workshops on this device, joining by a link, and, for an organiser, the
 * server's workshops and creating a new one from the template or an example.
 */
import { useEffect, useState } from 'react';
import { LANGUAGES, type Language } from '../../../shared';
import { EXAMPLE_NAMES } from '../../../shared/examples/names';
import { useLanguage, useT } from '../i18n';
import { serverBaseUrl } from '../platform';
import { organiserToken, recentWorkshops } from '../routes';

type WorkshopEntry = { room: string; title: string; language: Language; facilitatorUrl: string };

/** The in-app part (`#/w/…`) of a join link, or null when it is not one. */
function hashOf(link: string): string | null {
  const at = link.indexOf('#/w/');
  return at >= 0 ? link.slice(at) : null;
}

/** Parses the server's workshop list, dropping entries that are not well-formed. */
function parseWorkshops(body: unknown): WorkshopEntry[] {
  const list = (body as { workshops?: unknown } | null)?.workshops;
  if (!Array.isArray(list)) return [];
  return list.flatMap((entry: unknown) => {
    const { room, title, language, facilitatorUrl } = (entry ?? {}) as Record<string, unknown>;
    const hash = typeof facilitatorUrl === 'string' ? hashOf(facilitatorUrl) : null;
    if (typeof room !== 'string' || !hash) return [];
    const lang = (LANGUAGES as readonly unknown[]).includes(language) ? (language as Language) : 'en';
    return [{ room, title: typeof title === 'string' ? title : '', language: lang, facilitatorUrl: hash }];
  });
}

async function api(path: string, token: string, init: RequestInit = {}): Promise<unknown> {
  const res = await fetch(`${serverBaseUrl()}${path}`, {
    ...init,
    headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
  });
  const body: unknown = await res.json();
  if (!res.ok) throw new Error((body as { error?: string }).error ?? `HTTP ${res.status}`);
  return body;
}

function CreateWorkshop({ token, onCreated }: { token: string; onCreated: (hash: string) => void }) {
  const t = useT();
  const language = useLanguage();
  const [title, setTitle] = useState('');
  const [lang, setLang] = useState<Language>(language);
  const [template, setTemplate] = useState('');
  const [error, setError] = useState<string | null>(null);
  return (
    <form
      className="home-card"
      aria-labelledby="create-title"
      onSubmit={(e) => {
        e.preventDefault();
        setError(null);
        const body = template ? { example: template } : { title: title.trim(), language: lang };
        api('/api/workshops', token, { method: 'POST', body: JSON.stringify(body) })
          .then((created) => {
            const url = (created as { facilitatorUrl?: unknown }).facilitatorUrl;
            const hash = typeof url === 'string' ? hashOf(url) : null;
            if (hash) onCreated(hash);
          })
          .catch((err: unknown) => setError(t('home.createFailed', { reason: (err as Error).message })));
      }}
    >
      <h2 id="create-title">{t('home.create')}</h2>
      <label>
        {t('home.template')}
        <select value={template} onChange={(e) => setTemplate(e.target.value)}>
          <option value="">{t('home.templateBlank')}</option>
          {EXAMPLE_NAMES.map((slug) => (
            <option key={slug} value={slug}>
              {slug.replace(/^example-/, '')}
            </option>
          ))}
        </select>
      </label>
      {!template && (
        <>
          <label>
            {t('home.createTitle')}
            <input value={title} maxLength={200} onChange={(e) => setTitle(e.target.value)} />
          </label>
          <label>
            {t('home.language')}
            <select value={lang} onChange={(e) => setLang(e.target.value as Language)}>
              {LANGUAGES.map((l) => (
                <option key={l} value={l}>
                  {t(`language.${l}`)}
                </option>
              ))}
            </select>
          </label>
        </>
      )}
      {error && <p role="alert">{error}</p>}
      <button type="submit" className="primary-button" disabled={!template && !title.trim()}>
        {t('home.createSubmit')}
      </button>
    </form>
  );
}

function JoinByLink() {
  const t = useT();
  const [link, setLink] = useState('');
  const [bad, setBad] = useState(false);
  return (
    <form
      className="home-card"
      aria-labelledby="join-link-title"
      onSubmit={(e) => {
        e.preventDefault();
        const hash = hashOf(link.trim());
        setBad(!hash);
        if (hash) window.location.hash = hash;
      }}
    >
      <h2 id="join-link-title">{t('home.join')}</h2>
      <label>
        {t('home.joinLink')}
        <input value={link} onChange={(e) => setLink(e.target.value)} />
      </label>
      {bad && <p role="alert">{t('home.badLink')}</p>}
      <button type="submit" className="secondary-button" disabled={!link.trim()}>
        {t('home.joinSubmit')}
      </button>
    </form>
  );
}

export function Home() {
  const t = useT();
  const token = organiserToken();
  const recent = recentWorkshops();
  const [workshops, setWorkshops] = useState<WorkshopEntry[] | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    if (!token) return;
    let live = true;
    api('/api/workshops', token)
      .then((body) => live && setWorkshops(parseWorkshops(body)))
      .catch((e: unknown) => live && setError((e as Error).message));
    return () => {
      live = false;
    };
  }, [token]);

  return (
    <main className="home">
      <header className="home-header">
        <span className="brand">{t('app.name')}</span>
      </header>
      <div className="home-body">
        <h1 id="home-title">{t('home.title')}</h1>
        {recent.length > 0 && (
          <section aria-labelledby="recent-title">
            <h2 id="recent-title">{t('home.recent')}</h2>
            <ul className="workshop-list">
              {recent.map((w) => (
                <li key={w.room}>
                  <a href={`#/w/${encodeURIComponent(w.room)}`}>{w.title || w.room}</a>
                </li>
              ))}
            </ul>
          </section>
        )}
        {token && (
          <section aria-labelledby="server-title">
            <h2 id="server-title">{t('home.server')}</h2>
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
        )}
        <div className="home-cards">
          {token && <CreateWorkshop token={token} onCreated={(hash) => (window.location.hash = hash)} />}
          <JoinByLink />
        </div>
        {!token && recent.length === 0 && <p className="muted">{t('home.needsOrganiser')}</p>}
      </div>
    </main>
  );
}
