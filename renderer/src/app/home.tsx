/**
 * Home: recent workshops on this device, joining by a link, and, for an organiser, the
 * server's workshops (each renamed, duplicated, archived or deleted: home-workshops.tsx), the
 * organiser's templates (home-templates.tsx), and creating a new workshop, empty or from a
 * method template or one of theirs. In the desktop app that server is this laptop's own (see
 * platform.ts) unless an organiser link named another.
 */
import { useEffect, useRef, useState } from 'react';
import * as Y from 'yjs';
import { formatParseError, importOutline, LANGUAGES, parseOutlineText, type Language } from '../../../shared';
import { EXAMPLE_NAMES } from '../../../shared/examples/names';
import { HiddenFileInput } from '../controls/hidden-file-input';
import { LanguagePicker } from '../controls/ui-language';
import { useLanguage, useT } from '../i18n';
import { failureReason } from './failure-reason';
import { JoinByLink } from './join-dialog';
import {
  api,
  parseTemplates,
  parseWorkshops,
  type Organiser,
  type TemplateEntry,
  type WorkshopEntry,
} from './home-api';
import { exampleLanguage, TemplateList } from './home-templates';
import { WorkshopList } from './home-workshops';
import {
  chooseOrganiserServer,
  isDesktop,
  localHostStatus,
  organiserServer,
  organisesThisLaptop,
  placeKey,
  placeOf,
  serverParam,
} from '../platform';
import { dispatchCommand } from '../commands';
import { organiserToken, recentWorkshops, workshopHref } from '../routes';

/** Opens a workshop the server just made (from the template, an example or a file). */
function openCreated(organiser: Organiser, created: unknown): void {
  const [entry] = parseWorkshops({ workshops: [created] });
  if (!entry) throw new Error('The server answered with something that is not a workshop.');
  window.location.hash = workshopHref(placeOf(entry.room, organiser.server), entry.token);
}

/**
 * Opens a `.talkoo` file (the file flow, files/file-flow.tsx, asks for it and decides): a copy of
 * a workshop this device has merges into it; another is offered to be added or opened as a copy.
 */
function OpenFile() {
  const t = useT();
  return (
    <button
      type="button"
      className="secondary-button"
      onClick={() => dispatchCommand({ kind: 'menu', command: 'open' })}
    >
      {t('file.open')}
    </button>
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
      <HiddenFileInput
        ref={input}
        accept=".json,application/json"
        label={t('home.importOutlineFile')}
        onFile={(file) => {
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

/**
 * What a new workshop starts from: '' (empty), an example's slug (the value other tests and
 * scripts choose it by) or `template:<id>`.
 */
function startBody(start: string, title: string, language: Language): Record<string, string> {
  const named: Record<string, string> = title ? { title } : {};
  if (start.startsWith('template:')) return { template: start.slice('template:'.length), ...named };
  if (start) return { example: start, ...named };
  return { title, language };
}

function CreateWorkshop({
  organiser,
  templates,
}: {
  organiser: Organiser;
  templates: readonly TemplateEntry[];
}) {
  const t = useT();
  const language = useLanguage();
  const [title, setTitle] = useState('');
  const [lang, setLang] = useState<Language>(language);
  const [start, setStart] = useState('');
  const [error, setError] = useState<string | null>(null);
  // A template chosen before it was deleted is no longer offered: start empty then.
  const chosen =
    start.startsWith('template:') && !templates.some((x) => `template:${x.id}` === start) ? '' : start;
  return (
    <form
      className="home-card"
      aria-labelledby="create-title"
      onSubmit={(e) => {
        e.preventDefault();
        setError(null);
        const body = startBody(chosen, title.trim(), lang);
        api(organiser, '/api/workshops', { method: 'POST', body: JSON.stringify(body) })
          .then((created) => openCreated(organiser, created))
          .catch((err: unknown) => setError(t('home.createFailed', { reason: failureReason(err, t) })));
      }}
    >
      <h2 id="create-title">{t('home.create')}</h2>
      <label>
        {t('home.template')}
        <select value={chosen} onChange={(e) => setStart(e.target.value)}>
          <option value="">{t('home.templateBlank')}</option>
          <optgroup label={t('home.methodTemplates')}>
            {EXAMPLE_NAMES.map((slug) => (
              <option key={slug} value={slug}>
                {`${t(`home.example.${slug}`)} · ${t(`language.${exampleLanguage(slug)}`)}`}
              </option>
            ))}
          </optgroup>
          {templates.length > 0 && (
            <optgroup label={t('home.ownTemplates')}>
              {templates.map((x) => (
                <option key={x.id} value={`template:${x.id}`}>
                  {`${x.name} · ${t(`language.${x.language}`)}`}
                </option>
              ))}
            </optgroup>
          )}
        </select>
      </label>
      <label>
        {t('home.createTitle')}
        <input
          value={title}
          maxLength={200}
          placeholder={chosen ? t('home.titleFromTemplate') : undefined}
          onChange={(e) => setTitle(e.target.value)}
        />
      </label>
      {!chosen && (
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
      )}
      {error && <p role="alert">{error}</p>}
      <button type="submit" className="primary-button" disabled={!chosen && !title.trim()}>
        {t('home.createSubmit')}
      </button>
      <OpenFile />
      <ImportOutline organiser={organiser} />
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
  const [saved, setSaved] = useState<{ asked: string; templates: TemplateEntry[] }>();
  const templates = saved?.asked === asked ? saved.templates : [];
  // Counts the changes made here: each lists the workshops (or templates) again.
  const [changes, setChanges] = useState(0);
  const [templateChanges, setTemplateChanges] = useState(0);

  useEffect(() => {
    if (server === null || token === null || asked === null) return;
    let live = true;
    api({ server, token }, '/api/workshops')
      .then((body) => live && setListed({ asked, workshops: parseWorkshops(body) }))
      .catch((e: unknown) => live && setListed({ asked, error: e }));
    return () => {
      live = false;
    };
  }, [server, token, asked, changes]);

  useEffect(() => {
    if (server === null || token === null || asked === null) return;
    let live = true;
    // A server from before templates has none to list: nothing to say about that.
    api({ server, token }, '/api/templates')
      .then((body) => live && setSaved({ asked, templates: parseTemplates(body) }))
      .catch(() => live && setSaved({ asked, templates: [] }));
    return () => {
      live = false;
    };
  }, [server, token, asked, templateChanges]);

  const active = workshops?.filter((w) => !w.archived) ?? [];
  const archived = workshops?.filter((w) => w.archived) ?? [];
  const changed = (): void => setChanges((n) => n + 1);
  const templatesChanged = (): void => setTemplateChanges((n) => n + 1);

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
            {workshops && active.length === 0 && <p className="muted">{t('home.empty')}</p>}
            <span id="server-list-title" hidden>
              {t('home.serverList')}
            </span>
            <WorkshopList
              organiser={organiser}
              workshops={active}
              labelId="server-list-title"
              onChanged={changed}
              onTemplateSaved={templatesChanged}
            />
          </section>
        )}
        {organiser && archived.length > 0 && (
          <section aria-labelledby="archived-title">
            <h2 id="archived-title">{t('home.archivedList')}</h2>
            <WorkshopList
              organiser={organiser}
              workshops={archived}
              labelId="archived-title"
              onChanged={changed}
              onTemplateSaved={templatesChanged}
            />
          </section>
        )}
        {organiser && templates.length > 0 && (
          <section aria-labelledby="templates-title">
            <h2 id="templates-title">{t('home.ownTemplates')}</h2>
            <TemplateList
              organiser={organiser}
              templates={templates}
              labelId="templates-title"
              onChanged={templatesChanged}
            />
          </section>
        )}
        <div className="home-cards">
          {organiser && <CreateWorkshop organiser={organiser} templates={templates} />}
          <JoinByLink />
        </div>
        {/* Without an organiser, a file still merges into a workshop facilitated here. */}
        {!organiser && (
          <p className="home-open-file">
            <OpenFile />
          </p>
        )}
        {!organiser && recent.length === 0 && <p className="muted">{t('home.needsOrganiser')}</p>}
      </div>
    </main>
  );
}
