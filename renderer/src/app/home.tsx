/**
 * Home: recent workshops on this device, joining by a link, and, for an organiser, the
 * server's workshops and creating a new one from the template or an example. In the desktop app
 * that server is this laptop's own (see platform.ts) unless an organiser link named another.
 */
import { useEffect, useRef, useState } from 'react';
import * as Y from 'yjs';
import { formatParseError, importOutline, LANGUAGES, parseOutlineText, type Language } from '../../../shared';
import { EXAMPLE_NAMES } from '../../../shared/examples/names';
import { LanguagePicker } from '../controls/ui-language';
import { useLanguage, useT } from '../i18n';
import { followLink } from '../links';
import { apiRefusal, failureReason } from './failure-reason';
import {
  chooseOrganiserServer,
  isDesktop,
  localHostStatus,
  organiserServer,
  organisesThisLaptop,
  placeKey,
  placeOf,
  serverParam,
  workshopFiles,
} from '../platform';
import { organiserToken, recentWorkshops, workshopHref } from '../routes';

type WorkshopEntry = { room: string; title: string; language: Language; token: string };
type Organiser = { readonly server: string; readonly token: string };

/** The token of a join link (`…#/w/ROOM?token=…`), or null when it is not one. */
function tokenOf(link: string): string | null {
  const at = link.indexOf('#/w/');
  return at >= 0 ? new URLSearchParams(link.slice(at).split('?')[1] ?? '').get('token') : null;
}

/** Parses the server's workshop list, dropping entries that are not well-formed. */
function parseWorkshops(body: unknown): WorkshopEntry[] {
  const list = (body as { workshops?: unknown } | null)?.workshops;
  if (!Array.isArray(list)) return [];
  return list.flatMap((entry: unknown) => {
    const { room, title, language, facilitatorUrl } = (entry ?? {}) as Record<string, unknown>;
    const token = typeof facilitatorUrl === 'string' ? tokenOf(facilitatorUrl) : null;
    if (typeof room !== 'string' || !token) return [];
    const lang = (LANGUAGES as readonly unknown[]).includes(language) ? (language as Language) : 'en';
    return [{ room, title: typeof title === 'string' ? title : '', language: lang, token }];
  });
}

async function api(
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

/** Opens a workshop the server just made (from the template, an example or a file). */
function openCreated(organiser: Organiser, created: unknown): void {
  const [entry] = parseWorkshops({ workshops: [created] });
  if (!entry) throw new Error('The server answered with something that is not a workshop.');
  window.location.hash = workshopHref(placeOf(entry.room, organiser.server), entry.token);
}

/** Desktop: a `.talkoo` file becomes a new workshop on the organiser's server. */
function OpenFile({ organiser }: { organiser: Organiser }) {
  const t = useT();
  const [error, setError] = useState<string | null>(null);
  const files = workshopFiles();
  if (!files) return null;
  return (
    <>
      <button
        type="button"
        className="secondary-button"
        onClick={() => {
          setError(null);
          files
            .open()
            .then(async (opened) => {
              if (!opened.ok) {
                if (opened.reason !== 'cancelled') setError(t('file.openFailed', { reason: opened.message }));
                return;
              }
              const init = { method: 'POST', body: new Uint8Array(opened.state) };
              openCreated(
                organiser,
                await api(organiser, '/api/workshops/import', init, 'application/octet-stream'),
              );
            })
            .catch((err: unknown) => setError(t('file.openFailed', { reason: failureReason(err, t) })));
        }}
      >
        {t('file.open')}
      </button>
      {error && <p role="alert">{error}</p>}
    </>
  );
}

/**
 * An outline JSON file (an export of another Talkoo, or a template) becomes a new workshop: it is
 * checked whole first (every problem shown with its field, nothing created), then written into a
 * fresh document whose state the server imports like a `.talkoo` file's.
 */
function ImportOutline({ organiser }: { organiser: Organiser }) {
  const t = useT();
  const input = useRef<HTMLInputElement>(null);
  const [problem, setProblem] = useState<{ summary: string; details: string[] } | null>(null);

  const importFile = async (file: File): Promise<void> => {
    const parsed = parseOutlineText(await file.text());
    if (!parsed.ok) {
      setProblem({
        summary: t('home.importOutlineInvalid', { name: file.name }),
        details: parsed.error.map(formatParseError),
      });
      return;
    }
    const doc = new Y.Doc();
    importOutline(doc, parsed.value);
    const init = { method: 'POST', body: new Uint8Array(Y.encodeStateAsUpdate(doc)) };
    openCreated(organiser, await api(organiser, '/api/workshops/import', init, 'application/octet-stream'));
  };

  return (
    <>
      <button type="button" className="secondary-button" onClick={() => input.current?.click()}>
        {t('home.importOutline')}
      </button>
      <input
        ref={input}
        type="file"
        accept=".json,application/json"
        className="visually-hidden"
        tabIndex={-1}
        aria-label={t('home.importOutlineFile')}
        onChange={(e) => {
          const file = e.currentTarget.files?.[0];
          // The same file chosen again (after fixing it) must fire a change too.
          e.currentTarget.value = '';
          if (!file) return;
          setProblem(null);
          importFile(file).catch((err: unknown) =>
            setProblem({
              summary: t('home.importOutlineFailed', { reason: failureReason(err, t) }),
              details: [],
            }),
          );
        }}
      />
      {problem && (
        <div role="alert" className="problems">
          <p>{problem.summary}</p>
          {problem.details.length > 0 && (
            // The parser names fields and problems in English, as the outline format does.
            <ul lang="en">
              {problem.details.map((detail, i) => (
                <li key={i}>{detail}</li>
              ))}
            </ul>
          )}
        </div>
      )}
    </>
  );
}

function CreateWorkshop({ organiser }: { organiser: Organiser }) {
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
        api(organiser, '/api/workshops', { method: 'POST', body: JSON.stringify(body) })
          .then((created) => openCreated(organiser, created))
          .catch((err: unknown) => setError(t('home.createFailed', { reason: failureReason(err, t) })));
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
      <OpenFile organiser={organiser} />
      <ImportOutline organiser={organiser} />
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
        setBad(!followLink(link));
      }}
    >
      <h2 id="join-link-title">{t('home.join')}</h2>
      <label>
        {t('home.joinLink')}
        <input value={link} aria-describedby="join-link-hint" onChange={(e) => setLink(e.target.value)} />
      </label>
      <p id="join-link-hint" className="muted">
        {t('home.linkHint')}
      </p>
      {bad && <p role="alert">{t('home.badLink')}</p>}
      <button type="submit" className="secondary-button" disabled={!link.trim()}>
        {t('home.joinSubmit')}
      </button>
    </form>
  );
}

/** The heading over the organiser's workshops: this server, this laptop, or another server. */
function ServerHeading({ organiser, onSwitched }: { organiser: Organiser; onSwitched: () => void }) {
  const t = useT();
  if (!isDesktop()) return <h2 id="server-title">{t('home.server')}</h2>;
  if (organisesThisLaptop()) {
    return (
      <>
        <h2 id="server-title">{t('home.thisLaptop')}</h2>
        <p className="muted">{t('home.thisLaptopHint')}</p>
      </>
    );
  }
  return (
    <>
      <h2 id="server-title">{t('home.remoteServer', { server: new URL(organiser.server).host })}</h2>
      {localHostStatus()?.ok && (
        <button
          type="button"
          className="button-link"
          onClick={() => {
            chooseOrganiserServer(null);
            onSwitched();
          }}
        >
          {t('home.useThisLaptop')}
        </button>
      )}
    </>
  );
}

/** The host of a server origin, as people read it. */
function hostOf(server: string): string {
  try {
    return new URL(server).host;
  } catch {
    return server;
  }
}

export function Home() {
  const t = useT();
  // Switching back to this laptop changes what organiserServer() answers: render again.
  const [, setSwitched] = useState(0);
  const organiser = organiserServer(organiserToken());
  const server = organiser?.server ?? null;
  const token = organiser?.token ?? null;
  const recent = recentWorkshops();
  const host = localHostStatus();
  // What the server listed, for the server and token it was asked with.
  const asked = server !== null && token !== null ? `${server} ${token}` : null;
  const [listed, setListed] = useState<{ asked: string; workshops?: WorkshopEntry[]; error?: unknown }>();
  const { workshops, error } = listed?.asked === asked ? listed : { workshops: null, error: null };

  useEffect(() => {
    if (server === null || token === null || asked === null) return;
    let live = true;
    api({ server, token }, '/api/workshops')
      .then((body) => live && setListed({ asked, workshops: parseWorkshops(body) }))
      .catch((e: unknown) => live && setListed({ asked, error: e }));
    return () => {
      live = false;
    };
  }, [server, token, asked]);

  return (
    <main className="home">
      <header className="home-header">
        <span className="brand">{t('app.name')}</span>
        <LanguagePicker />
      </header>
      <div className="home-body">
        <h1 id="home-title">{t('home.title')}</h1>
        {host && !host.ok && <p role="alert">{t('home.hostFailed', { reason: host.message })}</p>}
        {recent.length > 0 && (
          <section aria-labelledby="recent-title">
            <h2 id="recent-title">{t('home.recent')}</h2>
            <ul className="workshop-list">
              {recent.map((w) => {
                // The same title may be a workshop on another server: name the other server, on
                // the entry itself (and in the link's name) so it cannot read as the next one's.
                const server = serverParam(w);
                return (
                  <li key={placeKey(w)}>
                    <a href={workshopHref(w)}>
                      {w.title || w.room}
                      {server !== null && <span className="muted"> · {hostOf(server)}</span>}
                    </a>
                  </li>
                );
              })}
            </ul>
          </section>
        )}
        {organiser && (
          <section aria-labelledby="server-title">
            <ServerHeading organiser={organiser} onSwitched={() => setSwitched((n) => n + 1)} />
            {error != null && <p role="alert">{t('home.loadFailed', { reason: failureReason(error, t) })}</p>}
            {workshops?.length === 0 && <p className="muted">{t('home.empty')}</p>}
            <ul className="workshop-list">
              {workshops?.map((w) => (
                <li key={w.room} lang={w.language}>
                  <a href={workshopHref(placeOf(w.room, organiser.server), w.token)}>{w.title || w.room}</a>
                </li>
              ))}
            </ul>
          </section>
        )}
        <div className="home-cards">
          {organiser && <CreateWorkshop organiser={organiser} />}
          <JoinByLink />
        </div>
        {!organiser && recent.length === 0 && <p className="muted">{t('home.needsOrganiser')}</p>}
      </div>
    </main>
  );
}
