/**
 * A pannable, zoomable canvas. The view (offset and zoom) is applied as one CSS transform on the
 * content layer, written straight to the DOM on each wheel or drag event: panning a board of
 * thousands of notes re-renders nothing and stays on the compositor.
 * Wheel pans, Ctrl/⌘ + wheel (and trackpad pinch) zooms around the pointer, dragging empty space
 * pans; with the canvas focused, arrow keys pan, + and − zoom, 0 resets and F fits the content.
 * Shift + dragging empty space draws a selection rectangle: every note it touches is selected
 * (added to the selection); Ctrl/⌘ + A selects every note on the board.
 * What the view shows is shared through awareness (others may follow it), and the view moves
 * when asked to (view-requests.ts: follow me, bring everyone here, spotlight).
 */
import {
  useCallback,
  useEffect,
  useImperativeHandle,
  useLayoutEffect,
  useRef,
  type ReactNode,
  type Ref,
} from 'react';
import type { BoardKind, NoteId } from '../../../shared';
import { useT } from '../i18n';
import { useCursorSender, useViewSender } from '../presence';
import { useUi } from '../ui-store';
import { useConnection } from '../use-workshop';
import { Cursors } from './cursors';
import { useViewRequests } from './view-requests';

/** What a board may ask of its canvas. */
export type CanvasHandle = {
  /** The canvas point (content coordinates) under a screen point. */
  toContent(clientX: number, clientY: number): { x: number; y: number };
  /** The content point at the centre of the view. */
  centre(): { x: number; y: number };
  fit(): void;
};

type View = { x: number; y: number; zoom: number };
type Box = { left: number; top: number; right: number; bottom: number };

/** The notes (cards marked `data-note-id`) under `root` whose boxes touch `box` (screen pixels). */
function notesTouching(root: HTMLElement, box: Box): NoteId[] {
  const ids: NoteId[] = [];
  for (const el of root.querySelectorAll<HTMLElement>('[data-note-id]')) {
    const r = el.getBoundingClientRect();
    if (r.right >= box.left && r.left <= box.right && r.bottom >= box.top && r.top <= box.bottom) {
      ids.push(el.dataset.noteId as NoteId);
    }
  }
  return ids;
}

/** Every note under `root`, in document order. */
function allNotes(root: HTMLElement): NoteId[] {
  return Array.from(
    root.querySelectorAll<HTMLElement>('[data-note-id]'),
    (el) => el.dataset.noteId as NoteId,
  );
}
const MIN_ZOOM = 0.2;
const MAX_ZOOM = 3;
/** The least zoom a board opens at to show all its columns: notes stay legible. */
const MIN_FIT_ZOOM = 0.6;
/** Space around the content when the view fits it, pixels. */
const MARGIN = 24;
const clampZoom = (z: number): number => Math.min(MAX_ZOOM, Math.max(MIN_ZOOM, z));
/**
 * Room the canvas keeps on every side for the browser's own scrolling. The view is a pan and zoom
 * of the content, and the canvas itself rests scrolled to (ROOM, ROOM) with the content drawn
 * ROOM further in: when the browser scrolls to show something (focus by Tab, find in page, an
 * automation tool), above or left of the view as well as below or right, the scroll is taken
 * back and becomes a pan.
 */
const ROOM = 50_000;

export function CanvasView({
  children,
  handle,
  label,
  board,
}: {
  children: ReactNode;
  handle?: Ref<CanvasHandle>;
  label: string;
  /** Which board this canvas shows: cursors are shared per board. */
  board: BoardKind;
}) {
  const t = useT();
  const { awareness } = useConnection();
  const sendCursor = useCursorSender(awareness, board);
  const sendView = useViewSender(awareness, board);
  const viewport = useRef<HTMLDivElement>(null);
  const content = useRef<HTMLDivElement>(null);
  const view = useRef<View>({ x: 24, y: 24, zoom: 1 });
  const marquee = useRef<HTMLDivElement>(null);
  const setZoom = useUi((s) => s.setZoom);

  const zoomTimer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const apply = useCallback(() => {
    const { x, y, zoom } = view.current;
    if (content.current)
      content.current.style.transform = `translate(${x + ROOM}px, ${y + ROOM}px) scale(${zoom})`;
    const el = viewport.current;
    if (el && (el.scrollLeft !== ROOM || el.scrollTop !== ROOM)) {
      el.scrollLeft = ROOM;
      el.scrollTop = ROOM;
    }
    const box = viewport.current?.getBoundingClientRect();
    if (box) sendView({ x: (box.width / 2 - x) / zoom, y: (box.height / 2 - y) / zoom, zoom });
    // The status bar learns the zoom once the gesture settles: no React work while panning.
    if (zoomTimer.current) clearTimeout(zoomTimer.current);
    zoomTimer.current = setTimeout(() => setZoom(view.current.zoom), 120);
  }, [setZoom, sendView]);

  const zoomAt = useCallback(
    (factor: number, clientX?: number, clientY?: number) => {
      const box = viewport.current?.getBoundingClientRect();
      if (!box) return;
      const px = (clientX ?? box.left + box.width / 2) - box.left;
      const py = (clientY ?? box.top + box.height / 2) - box.top;
      const v = view.current;
      const zoom = clampZoom(v.zoom * factor);
      // Keep the point under the pointer where it is.
      view.current = { zoom, x: px - ((px - v.x) * zoom) / v.zoom, y: py - ((py - v.y) * zoom) / v.zoom };
      apply();
    },
    [apply],
  );

  const fit = useCallback(() => {
    const box = viewport.current?.getBoundingClientRect();
    const inner = content.current;
    if (!box || !inner) return;
    const width = inner.scrollWidth;
    const height = inner.scrollHeight;
    if (!width || !height) return;
    const zoom = clampZoom(Math.min((box.width - 48) / width, (box.height - 48) / height, 1));
    view.current = { zoom, x: (box.width - width * zoom) / 2, y: 24 };
    apply();
  }, [apply]);

  useImperativeHandle(
    handle,
    () => ({
      toContent(clientX, clientY) {
        const box = viewport.current?.getBoundingClientRect();
        const v = view.current;
        return {
          x: (clientX - (box?.left ?? 0) - v.x) / v.zoom,
          y: (clientY - (box?.top ?? 0) - v.y) / v.zoom,
        };
      },
      centre() {
        const box = viewport.current?.getBoundingClientRect();
        const v = view.current;
        return { x: ((box?.width ?? 0) / 2 - v.x) / v.zoom, y: ((box?.height ?? 0) / 2 - v.y) / v.zoom };
      },
      fit,
    }),
    [fit],
  );

  // Wheel needs a non-passive listener to keep the page from scrolling.
  useEffect(() => {
    const el = viewport.current;
    if (!el) return;
    const onWheel = (event: WheelEvent): void => {
      event.preventDefault();
      if (event.ctrlKey || event.metaKey) {
        zoomAt(Math.exp(-event.deltaY * 0.01), event.clientX, event.clientY);
      } else {
        view.current = {
          ...view.current,
          x: view.current.x - event.deltaX,
          y: view.current.y - event.deltaY,
        };
        apply();
      }
    };
    el.addEventListener('wheel', onWheel, { passive: false });
    return () => el.removeEventListener('wheel', onWheel);
  }, [apply, zoomAt]);

  useEffect(() => {
    const onCommand = (event: Event): void => {
      const command = (event as CustomEvent<string>).detail;
      if (command === 'zoom-in') zoomAt(1.25);
      else if (command === 'zoom-out') zoomAt(0.8);
      else if (command === 'fit') fit();
    };
    window.addEventListener('talkoo-canvas', onCommand);
    return () => window.removeEventListener('talkoo-canvas', onCommand);
  }, [fit, zoomAt]);

  // The starting view is in place before the first paint: the board does not jump into position.
  // A board wider than the window (four lanes beside the side panel at 1280 px) opens zoomed out
  // just enough to show every column whole, down to a zoom that keeps notes legible.
  const opened = useRef(false);
  useLayoutEffect(() => {
    const box = viewport.current?.getBoundingClientRect();
    const width = content.current?.scrollWidth ?? 0;
    // Only when the board opens: later the view is the person's own.
    const first = !opened.current;
    opened.current = true;
    if (first && box && width > 0 && width + 2 * MARGIN > box.width) {
      const zoom = Math.max(MIN_FIT_ZOOM, (box.width - 2 * MARGIN) / width);
      view.current = { zoom, x: MARGIN, y: MARGIN };
    }
    apply();
  }, [apply]);

  // Focusing something outside the view (a lane's rename field, a note reached by Tab) makes
  // the browser scroll the canvas itself, which the view does not know of: the first lane then
  // sat out of reach. The scroll becomes a pan (see ROOM), so the view stays whole, can pan back,
  // and whatever lies above or left of the view can be scrolled to as well.
  useEffect(() => {
    const el = viewport.current;
    if (!el) return;
    const onScroll = (): void => {
      if (el.scrollLeft === ROOM && el.scrollTop === ROOM) return;
      view.current = {
        ...view.current,
        x: view.current.x - (el.scrollLeft - ROOM),
        y: view.current.y - (el.scrollTop - ROOM),
      };
      apply();
    };
    el.addEventListener('scroll', onScroll);
    return () => el.removeEventListener('scroll', onScroll);
  }, [apply]);

  // Someone asked this board's canvas to show a view or an item: take the request once.
  useLayoutEffect(() => {
    const take = ({ view: wanted, reveal }: ReturnType<typeof useViewRequests.getState>): void => {
      const box = viewport.current?.getBoundingClientRect();
      if (!box) return;
      if (wanted?.board === board) {
        const zoom = clampZoom(wanted.zoom);
        view.current = { zoom, x: box.width / 2 - wanted.x * zoom, y: box.height / 2 - wanted.y * zoom };
        useViewRequests.setState({ view: null });
        apply();
      }
      const item = reveal?.board === board ? content.current?.querySelector(reveal.selector) : null;
      if (reveal?.board === board) useViewRequests.setState({ reveal: null });
      if (item) {
        const r = item.getBoundingClientRect();
        view.current = {
          ...view.current,
          x: view.current.x + box.left + box.width / 2 - (r.left + r.width / 2),
          // A tall item shows from its top.
          y: view.current.y + box.top + Math.max(16, box.height / 2 - r.height / 2) - r.top,
        };
        apply();
      }
    };
    take(useViewRequests.getState());
    return useViewRequests.subscribe(take);
  }, [apply, board]);

  /** Shift + drag on empty space: a rectangle that selects the notes it touches. */
  const selectByRectangle = (event: React.PointerEvent<HTMLDivElement>): void => {
    const el = viewport.current;
    const rect = marquee.current;
    if (!el || !rect) return;
    // No text selection under the rectangle (it would also turn the next drag into a text drag).
    event.preventDefault();
    window.getSelection()?.removeAllRanges();
    const origin = el.getBoundingClientRect();
    const before = useUi.getState().selection;
    const start = { x: event.clientX, y: event.clientY };
    let frame = 0;
    el.setPointerCapture(event.pointerId);
    const move = (e: PointerEvent): void => {
      const box = {
        left: Math.min(start.x, e.clientX),
        top: Math.min(start.y, e.clientY),
        right: Math.max(start.x, e.clientX),
        bottom: Math.max(start.y, e.clientY),
      };
      Object.assign(rect.style, {
        display: 'block',
        // The rectangle is placed in the canvas's scrolled space (see ROOM).
        left: `${box.left - origin.left + el.scrollLeft}px`,
        top: `${box.top - origin.top + el.scrollTop}px`,
        width: `${box.right - box.left}px`,
        height: `${box.bottom - box.top}px`,
      });
      // Hit-testing once per frame is enough, however fast the pointer moves.
      cancelAnimationFrame(frame);
      frame = requestAnimationFrame(() => {
        const touched = notesTouching(el, box);
        useUi.getState().select([...before, ...touched.filter((id) => !before.includes(id))]);
      });
    };
    const up = (): void => {
      rect.style.display = 'none';
      el.removeEventListener('pointermove', move);
      el.removeEventListener('pointerup', up);
    };
    el.addEventListener('pointermove', move);
    el.addEventListener('pointerup', up);
  };

  const onPointerDown = (event: React.PointerEvent<HTMLDivElement>): void => {
    // Only empty space pans; notes, lanes' controls and inputs handle their own pointers.
    const target = event.target as HTMLElement;
    if (event.button !== 0 && event.button !== 1) return;
    if (target !== viewport.current && !target.dataset.canvasBackground) return;
    if (event.shiftKey && event.button === 0) return selectByRectangle(event);
    const start = { x: event.clientX, y: event.clientY, vx: view.current.x, vy: view.current.y };
    const el = viewport.current;
    el?.setPointerCapture(event.pointerId);
    const move = (e: PointerEvent): void => {
      view.current = {
        ...view.current,
        x: start.vx + e.clientX - start.x,
        y: start.vy + e.clientY - start.y,
      };
      apply();
    };
    const up = (): void => {
      el?.removeEventListener('pointermove', move);
      el?.removeEventListener('pointerup', up);
    };
    el?.addEventListener('pointermove', move);
    el?.addEventListener('pointerup', up);
  };

  const onKeyDown = (event: React.KeyboardEvent<HTMLDivElement>): void => {
    const typing = (event.target as HTMLElement).closest('input, textarea, select, [contenteditable]');
    if ((event.ctrlKey || event.metaKey) && event.key.toLowerCase() === 'a' && !typing && content.current) {
      event.preventDefault();
      useUi.getState().select(allNotes(content.current));
      return;
    }
    if (event.target !== viewport.current) return;
    const step = 60;
    const pan = (dx: number, dy: number): void => {
      view.current = { ...view.current, x: view.current.x + dx, y: view.current.y + dy };
      apply();
    };
    const keys: Record<string, () => void> = {
      ArrowLeft: () => pan(step, 0),
      ArrowRight: () => pan(-step, 0),
      ArrowUp: () => pan(0, step),
      ArrowDown: () => pan(0, -step),
      '+': () => zoomAt(1.25),
      '=': () => zoomAt(1.25),
      '-': () => zoomAt(0.8),
      '0': () => {
        view.current = { ...view.current, zoom: 1 };
        apply();
      },
      f: fit,
    };
    const action = keys[event.key];
    if (action && !event.ctrlKey && !event.metaKey && !event.altKey) {
      event.preventDefault();
      action();
    }
  };

  return (
    <div
      ref={viewport}
      className="canvas"
      role="region"
      aria-label={label}
      aria-roledescription={t('canvas.label')}
      tabIndex={0}
      onPointerDown={onPointerDown}
      onKeyDown={onKeyDown}
      onPointerMove={(event) => {
        const box = viewport.current?.getBoundingClientRect();
        const v = view.current;
        sendCursor(
          (event.clientX - (box?.left ?? 0) - v.x) / v.zoom,
          (event.clientY - (box?.top ?? 0) - v.y) / v.zoom,
        );
      }}
    >
      {/* What the browser may scroll over on every side of the view (see ROOM). */}
      <div className="canvas-room" style={{ width: 2 * ROOM, height: 2 * ROOM }} aria-hidden="true" />
      <div ref={content} className="canvas-content" data-canvas-background="true">
        {children}
        <Cursors board={board} />
      </div>
      <div ref={marquee} className="canvas-marquee" aria-hidden="true" />
    </div>
  );
}

/** Asks the visible canvas to zoom or fit (from the status bar). */
export function canvasCommand(command: 'zoom-in' | 'zoom-out' | 'fit'): void {
  window.dispatchEvent(new CustomEvent('talkoo-canvas', { detail: command }));
}
