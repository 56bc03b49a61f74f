/**
 * The annual wheel (årshjul) on the actions board: one year of the plan as a circle of months from
 * the plan's first month, the actions as arcs over their months and the recurring yearly items
 * in a dashed ring of their own. Drawn from the pure layout and drawing in shared/plan/wheel.ts,
 * the same that the SVG and PNG downloads and the exports draw.
 *
 * A wheel shows one year (an action reaching past it is clipped to it); the year is chosen above
 * it. Keyboard: every item is a button in the Tab order named by what and when; the arrow keys
 * move it a month (an action's start and end; with Shift an action's end alone; a recurring
 * item's months), Enter opens it (an action in the table, a recurring item in its editor).
 * Pointer: a click selects, a double click opens, a drag round the wheel moves by whole months.
 */
import { createPortal, flushSync } from 'react-dom';
import {
  createElement,
  useEffect,
  useId,
  useLayoutEffect,
  useMemo,
  useRef,
  useState,
  type ReactNode,
} from 'react';
import {
  ACTION_STATUSES,
  addMonths,
  InvalidValueError,
  updateAction,
  type Action,
  type ActionId,
  type Plan,
} from '../../../shared';
import { updateRecurring } from '../../../shared/model/plan';
import { INTL_LOCALES } from '../../../shared/report/format';
import {
  createWheelWords,
  itemLabel,
  itemWhen,
  standaloneWheel,
  wheelYear,
  type WheelText,
  type WheelWords,
} from '../../../shared/plan/wheel-report';
import {
  layoutWheel,
  periodOf,
  shiftMonths,
  svgText,
  wheelDrawing,
  WHEEL_RECURRING_COLOURS,
  WHEEL_STATUS_COLOURS,
  type SvgNode,
  type WheelItem,
  type WheelLayout,
} from '../../../shared/plan/wheel';
import { announce } from '../controls/announcer';
import { useLanguage, useT, useTn } from '../i18n';
import { refusalReason, useMay, usePolicyNow } from '../policy';
import { useConnection, useWorkshop } from '../use-workshop';
import { downloadWheel, type WheelImageFormat } from './wheel-image';
import { RecurringDialog } from './wheel-recurring';
import { WheelStartField } from './wheel-start';
import './wheel.css';

/** The wheel's words in the UI language, with the facilitator's status names. */
function useWheelWords(plan: Plan): WheelWords {
  const t = useT();
  const language = useLanguage();
  return useMemo(
    () =>
      createWheelWords(INTL_LOCALES[language], (status) => plan.statusNames[status] ?? t(`status.${status}`)),
    [language, plan.statusNames, t],
  );
}

/** This month as `YYYY-MM`, on this device's calendar. */
function thisMonth(): string {
  const now = new Date();
  return `${now.getFullYear()}-${String(now.getMonth() + 1).padStart(2, '0')}`;
}

/** SVG attribute names as React names them (`stroke-width` → `strokeWidth`, `class` → `className`). */
function reactName(name: string): string {
  let react = reactNames.get(name);
  if (react === undefined) {
    react =
      name === 'class'
        ? 'className'
        : name.startsWith('aria-') || name.startsWith('data-')
          ? name
          : name.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());
    reactNames.set(name, react);
  }
  return react;
}
const reactNames = new Map<string, string>();

/** A node's attributes as React props. */
function svgProps(node: SvgNode): Record<string, unknown> {
  const props: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(node.attrs)) props[reactName(name)] = value;
  return props;
}

/** Renders an SVG tree as React elements; `decorate` adds props to the items (by their id). */
function renderNode(
  node: SvgNode,
  decorate: (id: string, kind: string) => Record<string, unknown>,
  key?: string | number,
): ReactNode {
  const props: Record<string, unknown> = { key, ...svgProps(node) };
  const itemId = node.attrs['data-wheel-item'];
  if (typeof itemId === 'string') Object.assign(props, decorate(itemId, String(node.attrs['data-kind'])));
  const children = node.children.map((child, i) =>
    typeof child === 'string'
      ? child
      : renderNode(
          child,
          decorate,
          typeof child.attrs['data-wheel-item'] === 'string' ? child.attrs['data-wheel-item'] : i,
        ),
  );
  return createElement(node.tag, props, ...children);
}

/** The wheel's smallest height: below it the board scrolls rather than the wheel shrinking away. */
const MIN_HEIGHT = 360;

/**
 * The height that shows `ref`'s element whole in the board's visible height (from where it
 * starts to the board's bottom edge), kept up to date as the window changes; null before it is
 * measured.
 */
function useFittingHeight(ref: React.RefObject<HTMLElement | null>): number | null {
  const [height, setHeight] = useState<number | null>(null);
  useLayoutEffect(() => {
    const el = ref.current;
    if (!el) return;
    const scroller = el.closest<HTMLElement>('.board-panel') ?? document.documentElement;
    const measure = (): void => {
      const box = scroller.getBoundingClientRect();
      const top = el.getBoundingClientRect().top - box.top + scroller.scrollTop;
      const bottomPadding = parseFloat(getComputedStyle(scroller).paddingBottom) || 0;
      setHeight(Math.max(MIN_HEIGHT, Math.floor(scroller.clientHeight - top - bottomPadding)));
    };
    measure();
    const observer = new ResizeObserver(measure);
    observer.observe(scroller);
    return () => observer.disconnect();
  }, [ref]);
  return height;
}

export function AnnualWheel({
  actions,
  onOpenAction,
}: {
  actions: readonly Action[];
  /** Shows action `id` where it can be edited (the table). */
  onOpenAction: (id: ActionId) => void;
}) {
  const t = useT();
  const tn = useTn();
  const { doc } = useConnection();
  const plan = useWorkshop((w) => w.plan);
  const title = useWorkshop((w) => w.meta.title);
  const facilitator = useMay({ kind: 'facilitate' });
  const policyNow = usePolicyNow();
  const language = useLanguage();
  const words = useWheelWords(plan);
  const startMonth = plan.wheelStart;
  const [year, setYear] = useState(() => wheelYear(actions, startMonth, thisMonth()));
  const [selected, setSelected] = useState<string | null>(null);
  // The recurring items' dialog: open at one item (its id), at the list (''), or closed (null).
  const [editing, setEditing] = useState<string | null>(null);
  const box = useRef<HTMLDivElement>(null);
  const figure = useRef<HTMLElement>(null);
  const height = useFittingHeight(figure);
  // The print copy (with its legend) is made only while printing: it doubles the wheel's elements.
  const [printing, setPrinting] = useState(false);
  useEffect(() => {
    const before = (): void => flushSync(() => setPrinting(true));
    const after = (): void => setPrinting(false);
    window.addEventListener('beforeprint', before);
    window.addEventListener('afterprint', after);
    return () => {
      window.removeEventListener('beforeprint', before);
      window.removeEventListener('afterprint', after);
    };
  }, []);
  // The item whose focus must survive a move (React may re-insert its element elsewhere).
  const keepFocus = useRef<string | null>(null);
  const idPrefix = `wheel${useId().replace(/[^a-zA-Z0-9]/g, '')}`;
  const hintId = `${idPrefix}-keys`;

  // The first month changed (by the facilitator): the same months stay in sight.
  const [shownStart, setShownStart] = useState(startMonth);
  if (shownStart !== startMonth) {
    setShownStart(startMonth);
    setYear(periodOf(`${year}-${String(shownStart).padStart(2, '0')}`, startMonth));
  }

  const byId = useMemo(() => new Map(actions.map((a) => [a.id as string, a])), [actions]);
  const layout: WheelLayout = useMemo(
    () =>
      layoutWheel({
        startMonth,
        year,
        actions,
        recurring: plan.recurring,
        monthNames: words.monthNames,
        today: thisMonth(),
      }),
    [startMonth, year, actions, plan.recurring, words.monthNames],
  );
  const text: WheelText = useMemo(
    () => ({
      words,
      actionMonths: byId,
      recurringMonths: new Map(plan.recurring.map((r) => [r.id, r.months])),
    }),
    [words, byId, plan.recurring],
  );
  const period = words.period(year, startMonth);
  const onWheel = layout.items.filter((i) => i.kind === 'action').length;
  const drawing = useMemo(
    () =>
      wheelDrawing(layout, {
        idPrefix,
        title: t('wheel.imageTitle', { title, period }),
        centre: [period, tn('wheel.actionCount', onWheel)],
        itemLabel: (item) => itemLabel(language, text, item),
        todayLabel: t('wheel.today'),
      }),
    // The selection is drawn by a style rule (below), so selecting redraws nothing.
    [layout, idPrefix, language, text, tn, title, period, onWheel, t],
  );

  useLayoutEffect(() => {
    const id = keepFocus.current;
    if (!id) return;
    keepFocus.current = null;
    const item = box.current?.querySelector<SVGElement>(`[data-wheel-item="${CSS.escape(id)}"]`);
    if (item && document.activeElement !== item) item.focus();
  });

  const move = (item: WheelItem, delta: number, endOnly: boolean): void => {
    if (item.kind === 'recurring') {
      const recurring = plan.recurring.find((r) => r.id === item.id);
      if (!recurring) return;
      // Said, not silently ignored: a key that does nothing otherwise looks broken.
      if (!facilitator) return announce(t('plan.readOnly'));
      const months = shiftMonths(recurring.months, delta);
      updateRecurring(doc, item.id, { months });
      keepFocus.current = item.id;
      announce(t('wheel.movedRecurring', { title: item.title, months: words.months(months) }));
      return;
    }
    const action = byId.get(item.id);
    if (!action?.start || !action.end) return;
    const refusal = policyNow().refusal({ kind: 'edit', root: 'actions', id: action.id, field: 'start' });
    if (refusal !== null) return announce(t(refusalReason(refusal)));
    const start = endOnly ? action.start : addMonths(action.start, delta);
    const end = addMonths(action.end, delta);
    if (end < start) return;
    try {
      updateAction(doc, action.id, { start, end });
    } catch (error) {
      if (!(error instanceof InvalidValueError)) throw error;
      return;
    }
    keepFocus.current = item.id;
    // An action moved out of the year shown takes the wheel with it.
    const first = `${year}-${String(startMonth).padStart(2, '0')}`;
    if (end < first || start > addMonths(first, 11)) setYear(periodOf(start, startMonth));
    announce(t('wheel.moved', { title: item.title, when: words.span(start, end) }));
  };

  const open = (item: WheelItem): void => {
    if (item.kind === 'action') onOpenAction(item.id as ActionId);
    else setEditing(item.id);
  };

  // Each item is a button (static props, so the drawn tree is made once per drawing); what it
  // does is handled on the wheel, for the item the event came from.
  const itemsById = useMemo(() => new Map(layout.items.map((i) => [i.id, i])), [layout]);
  const itemOf = (event: React.SyntheticEvent): WheelItem | undefined => {
    const id = (event.target as Element).closest('[data-wheel-item]')?.getAttribute('data-wheel-item');
    return id ? itemsById.get(id) : undefined;
  };
  const onItemKey = (event: React.KeyboardEvent): void => {
    const item = itemOf(event);
    if (!item) return;
    if (event.key === 'Enter' || event.key === ' ') {
      event.preventDefault();
      open(item);
    } else if (event.key === 'ArrowRight' || event.key === 'ArrowLeft') {
      event.preventDefault();
      move(item, event.key === 'ArrowRight' ? 1 : -1, event.shiftKey);
    }
  };
  /** The pointer's angle about the wheel's centre, in degrees clockwise from twelve o'clock. */
  const angleOf = (svg: SVGSVGElement, event: { clientX: number; clientY: number }): number | null => {
    const matrix = svg.getScreenCTM();
    if (!matrix) return null;
    const at = new DOMPoint(event.clientX, event.clientY).matrixTransform(matrix.inverse());
    return (Math.atan2(at.x - layout.centre, layout.centre - at.y) * 180) / Math.PI;
  };
  // Dragging an item round the wheel moves it by whole months (the item turns with the pointer
  // meanwhile); the keys do the same for those who do not drag.
  const onItemDrag = (event: React.PointerEvent<SVGSVGElement>): void => {
    const item = itemOf(event);
    const element = (event.target as Element).closest<SVGGElement>('[data-wheel-item]');
    if (event.button !== 0 || !item || !element) return;
    const movable =
      item.kind === 'recurring'
        ? facilitator
        : policyNow().may({ kind: 'edit', root: 'actions', id: item.id, field: 'start' });
    if (!movable) return;
    const svg = event.currentTarget;
    let last = angleOf(svg, event);
    if (last === null) return;
    let turned = 0;
    let months = 0;
    const follow = (e: PointerEvent): void => {
      const now = angleOf(svg, e);
      if (now === null || last === null) return;
      // The shortest way from the last angle, so that a drag may go round more than half the wheel.
      turned += ((now - last + 540) % 360) - 180;
      last = now;
      months = Math.round(turned / 30);
      if (months)
        element.setAttribute('transform', `rotate(${months * 30} ${layout.centre} ${layout.centre})`);
      else element.removeAttribute('transform');
    };
    const drop = (): void => {
      window.removeEventListener('pointermove', follow);
      window.removeEventListener('pointerup', drop);
      element.removeAttribute('transform');
      if (months) move(item, months, false);
    };
    window.addEventListener('pointermove', follow);
    window.addEventListener('pointerup', drop);
  };
  const itemProps = useMemo(() => ({ tabIndex: 0, role: 'button', 'aria-describedby': hintId }), [hintId]);
  const svgChildren = useMemo(
    () =>
      drawing.children.map((child, i) =>
        typeof child === 'string' ? child : renderNode(child, () => itemProps, i),
      ),
    [drawing, itemProps],
  );

  const chosen = layout.items.find((i) => i.id === selected) ?? null;
  // The wheel as an image stands alone: its legend goes inside it.
  const standalone = standaloneWheel(language, title, layout, text);
  const image = (format: WheelImageFormat) => () =>
    void downloadWheel(layout, format, { ...standalone, fileName: `${title || t('wheel.title')} ${period}` });

  return (
    <div className="wheel-view" ref={box}>
      <div className="wheel-toolbar" role="group" aria-label={t('wheel.controls')}>
        <div className="wheel-year">
          <button
            type="button"
            className="secondary-button"
            aria-label={t('wheel.previousYear')}
            onClick={() => setYear(year - 1)}
          >
            ‹
          </button>
          <span className="wheel-period" aria-live="polite">
            {period}
          </span>
          <button
            type="button"
            className="secondary-button"
            aria-label={t('wheel.nextYear')}
            onClick={() => setYear(year + 1)}
          >
            ›
          </button>
        </div>
        <WheelStartField editable={facilitator} />
        <span className="spacer" />
        <button type="button" className="secondary-button" onClick={() => setEditing('')}>
          {t('wheel.recurringButton')}
        </button>
        <button type="button" className="secondary-button" onClick={image('svg')}>
          {t('wheel.downloadSvg')}
        </button>
        <button type="button" className="secondary-button" onClick={image('png')}>
          {t('wheel.downloadPng')}
        </button>
        <button type="button" className="secondary-button" onClick={() => window.print()}>
          {t('wheel.print')}
        </button>
      </div>
      <div className="wheel-body">
        <figure
          id={`${idPrefix}-figure`}
          className="wheel-figure"
          ref={figure}
          style={{ height: height ?? undefined }}
        >
          {selected && (
            <style>{`#${idPrefix}-figure [data-wheel-item="${CSS.escape(selected)}"] .wheel-arc { stroke: #1d5fd1; stroke-width: 3; }`}</style>
          )}
          {/* A group of buttons here, not one image: the standalone SVG's role is the image's. */}
          <svg
            {...svgProps(drawing)}
            role="group"
            onFocus={(event) => setSelected(itemOf(event)?.id ?? selected)}
            onClick={(event) => setSelected(itemOf(event)?.id ?? selected)}
            onDoubleClick={(event) => {
              const item = itemOf(event);
              if (item) open(item);
            }}
            onKeyDown={onItemKey}
            onPointerDown={onItemDrag}
          >
            {svgChildren}
          </svg>
          <p id={hintId} className="visually-hidden">
            {t('wheel.keys')}
          </p>
        </figure>
        <aside className="wheel-side" aria-label={t('wheel.details')}>
          {chosen ? (
            <div className="wheel-chosen">
              <h3>{chosen.title}</h3>
              <p>
                {chosen.kind === 'recurring'
                  ? t('wheel.everyYear', { months: itemWhen(text, chosen) })
                  : itemWhen(text, chosen)}
              </p>
              <p className="muted">
                {chosen.kind === 'action'
                  ? [words.status(chosen.status ?? 'planned'), byId.get(chosen.id)?.owner]
                      .filter(Boolean)
                      .join(' · ')
                  : plan.recurring.find((r) => r.id === chosen.id)?.owner}
              </p>
              {chosen.kind === 'action' ? (
                <button type="button" className="secondary-button" onClick={() => open(chosen)}>
                  {t('wheel.openAction')}
                </button>
              ) : (
                <button type="button" className="secondary-button" onClick={() => open(chosen)}>
                  {facilitator ? t('wheel.editRecurring') : t('wheel.showRecurring')}
                </button>
              )}
            </div>
          ) : (
            <p className="muted">{t('wheel.help')}</p>
          )}
          <ul className="wheel-legend" aria-label={t('wheel.legend')}>
            {ACTION_STATUSES.map((status) => (
              <li key={status}>
                <span
                  className="wheel-swatch"
                  style={{
                    background: WHEEL_STATUS_COLOURS[status].fill,
                    borderColor: WHEEL_STATUS_COLOURS[status].stroke,
                  }}
                />
                {words.status(status)}
              </li>
            ))}
            <li>
              <span
                className="wheel-swatch recurring"
                style={{
                  background: WHEEL_RECURRING_COLOURS.fill,
                  borderColor: WHEEL_RECURRING_COLOURS.stroke,
                }}
              />
              {t('wheel.legendRecurring')}
            </li>
            {layout.today !== null && (
              <li>
                <span className="wheel-swatch today" />
                {t('wheel.today')}
              </li>
            )}
          </ul>
          {layout.hidden > 0 && <p className="muted">{tn('wheel.hidden', layout.hidden)}</p>}
        </aside>
      </div>
      {printing &&
        createPortal(
          // The same SVG the image downloads hold, beside the page's root, for the print
          // stylesheet (wheel.css) to print alone.
          <div className="wheel-print" aria-hidden="true">
            <h1>{standalone.title}</h1>
            <div
              dangerouslySetInnerHTML={{
                __html: svgText(wheelDrawing(layout, { ...standalone, idPrefix: `${idPrefix}p` })),
              }}
            />
          </div>,
          document.body,
        )}
      {editing !== null && (
        <RecurringDialog initial={editing || null} editable={facilitator} onClose={() => setEditing(null)} />
      )}
    </div>
  );
}
