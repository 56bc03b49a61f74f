/**
 * Export (everyone in the workshop, viewers too): the action plan as Word, PDF, Excel, Markdown,
 * CSV or the workshop's outline JSON, in a language of the person's choice, with the sections
 * and details they pick, and a live preview of the report beside the choices. The preview is the
 * very page a PDF prints (shared/report/html.ts), shown in a sandboxed frame that runs nothing.
 */
import { useEffect, useMemo, useRef, useState, type FormEvent } from 'react';
import {
  defaultReportOptions,
  REPORT_SECTIONS,
  type Language,
  type PlanScope,
  type ReportOptions,
  type ReportSection,
  type Workshop,
} from '../../../shared';
import { EXPORT_FORMATS, type ExportFormat } from '../../../shared/report/export';
import { DialogFooter, Modal } from '../controls/modal';
import { LanguageOptions } from '../controls/ui-language';
import { useT } from '../i18n';
import { isDesktop, placeKey } from '../platform';
import { useToasts } from '../toasts';
import { useConnection, useWorkshop } from '../use-workshop';
import { reportHtml, runExport, today } from './export-run';

type Choices = { readonly format: ExportFormat; readonly options: ReportOptions };

/** The last choices per workshop (server and room), so that a second export in the same session starts from them. */
const lastChoices = new Map<string, Choices>();

/** Rebuilds of the preview wait this long after the last change (typing elsewhere, many clicks). */
const PREVIEW_DELAY_MS = 200;

type Preview = { readonly html: string } | { readonly error: string };

/** The report page for the preview, rebuilt shortly after the workshop or the options change. */
function usePreview(workshop: Workshop, options: ReportOptions): Preview | null {
  const [preview, setPreview] = useState<Preview | null>(null);
  const shown = useRef(false);
  useEffect(() => {
    const build = (): void => {
      shown.current = true;
      try {
        setPreview({ html: reportHtml(workshop, options) });
      } catch (error) {
        setPreview({ error: error instanceof Error ? error.message : String(error) });
      }
    };
    // The first preview at once; later ones once the changes settle.
    const timer = setTimeout(build, shown.current ? PREVIEW_DELAY_MS : 0);
    return () => clearTimeout(timer);
  }, [workshop, options]);
  return preview;
}

/** What an export may cover: the whole plan, each work package, each owner of an action. */
type ScopeChoice = { readonly value: string; readonly scope: PlanScope; readonly label: string };

/** The select's value of `scope` ('' for the whole plan). */
function scopeValue(scope: PlanScope): string {
  if (scope === null) return '';
  return scope.kind === 'package' ? `package:${scope.packageId}` : `owner:${scope.owner}`;
}

/** The work packages, then the owners of the plan's actions (by name, each once), as choices. */
function scopeChoices(workshop: Workshop, t: ReturnType<typeof useT>): ScopeChoice[] {
  const owners = new Map<string, string>();
  for (const action of workshop.actions) {
    const owner = action.owner.trim();
    if (owner && !owners.has(owner.toLocaleLowerCase())) owners.set(owner.toLocaleLowerCase(), owner);
  }
  return [
    { value: '', scope: null, label: t('export.scopeWhole') },
    ...workshop.plan.packages.map((p): ScopeChoice => {
      const scope: PlanScope = { kind: 'package', packageId: p.id };
      return { value: scopeValue(scope), scope, label: t('export.scopePackage', { title: p.title.trim() }) };
    }),
    ...[...owners.values()]
      .sort((a, b) => a.localeCompare(b))
      .map((owner): ScopeChoice => {
        const scope: PlanScope = { kind: 'owner', owner };
        return { value: scopeValue(scope), scope, label: t('export.scopeOwner', { owner }) };
      }),
  ];
}

/** Resolves after the browser has had a chance to paint (the progress state shows first). */
function afterPaint(): Promise<void> {
  return new Promise((resolve) => {
    requestAnimationFrame(() => setTimeout(resolve, 0));
    // A hidden window gets no animation frames.
    setTimeout(resolve, 100);
  });
}

/** Keeps Tab inside the dialog: a sentinel at each end sends focus round to the other end. */
function FocusWrap({ to }: { to: 'first' | 'last' }) {
  return (
    <span
      tabIndex={0}
      className="focus-wrap"
      onFocus={(e) => {
        const dialog = e.currentTarget.closest('[role="dialog"]');
        const items = [
          ...(dialog?.querySelectorAll<HTMLElement>(
            'button:not(:disabled), input:not(:disabled), select:not(:disabled), iframe, [href]',
          ) ?? []),
          // Tab reaches a radio group by its checked radio only.
        ].filter((item) => !(item instanceof HTMLInputElement && item.type === 'radio' && !item.checked));
        (to === 'first' ? items[0] : items.at(-1))?.focus();
      }}
    />
  );
}

export function ExportDialog({ onClose }: { onClose: () => void }) {
  const t = useT();
  const { doc, place } = useConnection();
  const room = placeKey(place);
  const workshop = useWorkshop((w) => w);
  const showToast = useToasts((s) => s.show);
  const [choices, setChoices] = useState<Choices>(
    () => lastChoices.get(room) ?? { format: 'docx', options: defaultReportOptions(workshop, today()) },
  );
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const scopes = useMemo(() => scopeChoices(workshop, t), [workshop, t]);
  // A work package deleted or an owner renamed since it was chosen: the whole plan again.
  const stale = !scopes.some((c) => c.value === scopeValue(choices.options.scope));
  const effective = useMemo(
    () => (stale ? { ...choices.options, scope: null } : choices.options),
    [choices.options, stale],
  );
  const preview = usePreview(workshop, effective);
  const firstControl = useRef<HTMLInputElement>(null);
  const { format } = choices;
  const options = effective;
  const reportOnly = format === 'outline';

  useEffect(() => firstControl.current?.focus(), []);
  useEffect(() => {
    lastChoices.set(room, choices);
  }, [room, choices]);

  /** Changes the choices; a failure shown belongs to the choices it was made with, so it goes. */
  const choose = (update: (current: Choices) => Choices): void => {
    setError(null);
    setChoices(update);
  };

  const setOptions = (change: Partial<ReportOptions>): void =>
    choose((c) => ({ ...c, options: { ...c.options, ...change } }));
  const toggleSection = (section: ReportSection, on: boolean): void =>
    choose((c) => ({
      ...c,
      options: {
        ...c.options,
        sections: REPORT_SECTIONS.filter((s) => (s === section ? on : c.options.sections.includes(s))),
      },
    }));

  const submit = (event: FormEvent): void => {
    event.preventDefault();
    if (busy) return;
    setBusy(true);
    setError(null);
    afterPaint()
      .then(() => runExport({ format, workshop, doc, options: { ...options, date: today() } }))
      .then((outcome) => {
        switch (outcome.kind) {
          case 'cancelled':
            return;
          case 'saved':
            showToast(t('export.saved', { path: outcome.paths.join(', ') }));
            break;
          case 'downloaded':
            showToast(t('export.downloaded', { names: outcome.names.join(', ') }));
            break;
          case 'printed':
            break;
        }
        onClose();
      })
      .catch((e: unknown) =>
        setError(t('export.failed', { reason: e instanceof Error ? e.message : String(e) })),
      )
      .finally(() => setBusy(false));
  };

  return (
    <Modal titleId="export-title" title={t('export.title')} wide onClose={onClose}>
      <div className="export-body">
        <FocusWrap to="last" />
        <form id="export-form" className="export-options" onSubmit={submit} aria-labelledby="export-title">
          <div className="export-choices">
            <fieldset className="export-formats">
              <legend>{t('export.format')}</legend>
              {EXPORT_FORMATS.map((f) => (
                <label key={f}>
                  <input
                    ref={f === format ? firstControl : undefined}
                    type="radio"
                    name="export-format"
                    value={f}
                    checked={f === format}
                    onChange={() => choose((c) => ({ ...c, format: f }))}
                  />
                  {t(`export.format.${f}`)}
                </label>
              ))}
            </fieldset>
            {reportOnly && <p className="muted export-note">{t('export.outlineNote')}</p>}
            {format === 'pdf' && !isDesktop() && (
              <p className="muted export-note">{t('export.pdfBrowserNote')}</p>
            )}
            <fieldset className="export-report-options" disabled={reportOnly}>
              <label className="export-language">
                {t('export.language')}
                <select
                  value={options.language}
                  onChange={(e) => setOptions({ language: e.target.value as Language })}
                >
                  <LanguageOptions />
                </select>
              </label>
              {scopes.length > 1 && (
                <label className="export-language export-scope">
                  {t('export.scope')}
                  <select
                    value={scopeValue(options.scope)}
                    onChange={(e) =>
                      setOptions({ scope: scopes.find((c) => c.value === e.target.value)?.scope ?? null })
                    }
                  >
                    {scopes.map((c) => (
                      <option key={c.value} value={c.value}>
                        {c.label}
                      </option>
                    ))}
                  </select>
                </label>
              )}
              <fieldset>
                <legend>{t('export.sections')}</legend>
                {REPORT_SECTIONS.map((s) => (
                  <label key={s}>
                    <input
                      type="checkbox"
                      checked={options.sections.includes(s)}
                      onChange={(e) => toggleSection(s, e.target.checked)}
                    />
                    {t(`export.section.${s}`)}
                  </label>
                ))}
              </fieldset>
              <fieldset>
                <legend>{t('export.details')}</legend>
                <label>
                  <input
                    type="checkbox"
                    checked={options.showVotes}
                    onChange={(e) => setOptions({ showVotes: e.target.checked })}
                  />
                  {t('export.showVotes')}
                </label>
                {/* An anonymous workshop names no author in its exports (shared/report/model.ts). */}
                {!workshop.facilitation.anonymous && (
                  <label>
                    <input
                      type="checkbox"
                      checked={options.showAuthors}
                      onChange={(e) => setOptions({ showAuthors: e.target.checked })}
                    />
                    {t('export.showAuthors')}
                  </label>
                )}
              </fieldset>
            </fieldset>
          </div>
          <div className="export-actions">
            {busy && (
              <div className="export-progress">
                <div
                  className="progress-indeterminate"
                  role="progressbar"
                  aria-label={t('export.preparing')}
                />
                <span>{t('export.preparing')}</span>
              </div>
            )}
            {error && (
              <p role="alert" className="problems">
                {error}
              </p>
            )}
          </div>
        </form>
        <section className="export-preview" aria-labelledby="export-preview-title">
          <h3 id="export-preview-title">{t('export.preview')}</h3>
          {preview && 'error' in preview ? (
            <p role="alert" className="problems">
              {t('export.previewFailed', { reason: preview.error })}
            </p>
          ) : (
            // No allow-scripts: the preview runs nothing. allow-same-origin keeps the frame in the
            // page's own process: Chromium isolates an opaque-origin frame in a process of its
            // own, and Shift+Tab into that frame sometimes left the focus on the page's body.
            <iframe
              sandbox="allow-same-origin"
              srcDoc={preview?.html ?? ''}
              title={t('export.preview')}
              lang={options.language}
            />
          )}
        </section>
        <DialogFooter>
          <button type="button" className="secondary-button" onClick={onClose}>
            {t('export.close')}
          </button>
          <button type="submit" form="export-form" className="primary-button" disabled={busy}>
            {t('export.submit')}
          </button>
        </DialogFooter>
        <FocusWrap to="first" />
      </div>
    </Modal>
  );
}
